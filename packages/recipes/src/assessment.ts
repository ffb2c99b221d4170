// `@qlik-oem/recipes/assessment`: the read-only assessment of a QSEoW site before a move to Qlik Cloud, and its
// HTML report. Only partners with a QSEoW site need it, so the package root does not load it.
// Reaches the package root, so that the build keeps the root's modules in one chunk every entry shares (tsup.config.ts).
import './index.js';
export {
  assessQseowSite,
  type AppDisposition,
  type AssessedApp,
  type AssessmentOptions,
  type QseowAssessment,
} from './assessment/assess-qseow-site.js';
export { RULE_DOCS, type Finding, type Severity } from './assessment/rules.js';
export { renderAssessmentHtml, type AssessmentHtmlOptions } from './assessment/report-html.js';
export type { InventoryApp, SiteInventory } from './assessment/inventory.js';
export type { QseowSite, QseowSiteOptions } from './recipes/setup-multi-cloud-site.js';
