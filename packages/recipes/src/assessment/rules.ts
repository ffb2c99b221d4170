// Readiness rules for moving a QSEoW app to Qlik Cloud: each with an id, a severity and the Qlik page it rests on.
import type { InventoryApp, SiteInventory } from './inventory.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  rule: string;
  severity: Severity;
  appId: string;
  message: string;
  docUrl: string;
}

const HELP = 'https://help.qlik.com/en-US';
export const RULE_DOCS = {
  upload: `${HELP}/cloud-services/Subsystems/Hub/Content/Sense_Hub/Apps/uploading-apps.htm`,
  gateway: `${HELP}/cloud-services/Subsystems/Hub/Content/Sense_Hub/Gateways/direct-access-gateway.htm`,
  connections: `${HELP}/migration/Content/AnalyticsMigrationTool/Managing-Migration-Steps/Data-Connections/Create-Data-Connections.htm`,
  extensions: `${HELP}/cloud-services/Subsystems/Hub/Content/Sense_Hub/Admin/mc-extensions.htm`,
  themes: `${HELP}/cloud-services/Subsystems/Hub/Content/Sense_Hub/Admin/mc-themes.htm`,
  sectionAccess: `${HELP}/cloud-services/Subsystems/Hub/Content/Sense_Hub/Scripting/Security/manage-security-with-section-access.htm`,
  migratingApps: `${HELP}/migration/Content/Migration/qliksense-saas-migrating-apps.htm`,
  multiCloud: `${HELP}/migration/Content/Global_Common/Content/Multi-Cloud/distributing-apps-QSEoW-to-QCS.htm`,
} as const;

const GB = 1024 ** 3;
/** Connector types that reach databases behind the firewall: in Qlik Cloud through Data Gateway - Direct Access. */
const GATEWAY_TYPES = /^(odbc|oledb|qvodbcconnectorpackage\.exe)$/i;
/** Connector types with a Qlik Cloud counterpart (no gateway needed). */
const CLOUD_TYPES = /^(qvrestconnector\.exe|internet|qvwebstorageproviderconnectorpackage\.exe)$/i;
/** Visualizations available in Qlik Cloud without uploading an extension (native charts and Qlik's bundles). */
const BUNDLED =
  /^(sheet|story|barchart|linechart|table|pivot-table|kpi|piechart|combochart|scatterplot|treemap|gauge|map|filterpane|listbox|text-image|histogram|boxplot|distributionplot|waterfallchart|mekkochart|qlik-[a-z-]+|sn-[a-z-]+)$/i;

/** Themes that come with Qlik Sense and Qlik Cloud: Sense Classic, Horizon, Breeze and Focus. */
const BUNDLED_THEMES = /^(sense|horizon|breeze|card)$/i;

export interface RuleOptions {
  now: number;
  inactiveDays: number;
  /** Tenants with large-app support accept files up to 10 GB. */
  largeAppSupport: boolean;
}

/** The connections an app's last reload log connects to (`LIB CONNECT TO 'name'`). */
export function connectionsOf(app: InventoryApp, site: SiteInventory) {
  const names = [...(app.reloadTask?.scriptLog ?? '').matchAll(/LIB CONNECT TO '([^']+)'/gi)].map((m) =>
    m[1]!.toLowerCase(),
  );
  return site.dataConnections.filter((c) => names.includes(c.name.toLowerCase()));
}

export function findingsFor(
  app: InventoryApp & { theme?: string },
  site: SiteInventory,
  options: RuleOptions,
): Finding[] {
  const out: Finding[] = [];
  const add = (rule: string, severity: Severity, message: string, docUrl: string) =>
    out.push({ rule, severity, appId: app.id, message, docUrl });
  const limit = options.largeAppSupport ? 10 * GB : GB;
  if (app.fileSize > limit)
    add(
      'app-size',
      'error',
      `the app file is ${(app.fileSize / GB).toFixed(1)} GB, above Qlik Cloud's ${limit / GB} GB upload limit`,
      RULE_DOCS.upload,
    );
  for (const c of connectionsOf(app, site)) {
    if (c.type.toLowerCase() === 'folder') {
      if (/^([a-z]:\\|\\\\)/i.test(c.connectionstring))
        add(
          'folder-local-path',
          'error',
          `folder connection "${c.name}" reads a local path (${c.connectionstring})`,
          RULE_DOCS.connections,
        );
    } else if (GATEWAY_TYPES.test(c.type)) {
      add(
        'needs-data-gateway',
        'warning',
        `connection "${c.name}" (${c.type}) reaches an on-premise source: Data Gateway - Direct Access`,
        RULE_DOCS.gateway,
      );
    } else if (!CLOUD_TYPES.test(c.type)) {
      add(
        'connection-type',
        'error',
        `connection "${c.name}" has type ${c.type}, with no Qlik Cloud equivalent known`,
        RULE_DOCS.connections,
      );
    }
  }
  for (const type of new Set(app.objectTypes)) {
    if (BUNDLED.test(type) || type === 'masterobject') continue;
    add(
      'extension-not-bundled',
      'warning',
      `objects use extension "${type}", which must be uploaded to each tenant`,
      RULE_DOCS.extensions,
    );
  }
  if (app.theme && !BUNDLED_THEMES.test(app.theme)) {
    const installed = site.extensions.some((e) => e.type === 'theme' && e.name === app.theme);
    if (installed)
      add(
        'custom-theme',
        'warning',
        `styled with the custom theme "${app.theme}", which must be uploaded to each tenant`,
        RULE_DOCS.themes,
      );
    else
      add(
        'missing-theme',
        'info',
        `styled with the theme "${app.theme}", which the site no longer has: the app shows the default theme`,
        RULE_DOCS.themes,
      );
  }
  if (/^\s*\S+\s+\d{4}\s+Section Access\s*;/im.test(app.reloadTask?.scriptLog ?? ''))
    add(
      'section-access',
      'warning',
      'the load script has section access: user ids change in Qlik Cloud',
      RULE_DOCS.sectionAccess,
    );
  if (!app.lastReloadTime && !app.reloadTask?.lastRun)
    add('never-reloaded', 'info', 'the app was never reloaded', RULE_DOCS.migratingApps);
  else if (app.reloadTask?.lastStatus === 8)
    add('reload-failing', 'warning', 'the last reload failed', RULE_DOCS.migratingApps);
  const users = app.stream ? (site.streamAccess[app.stream.id] ?? []) : [];
  const since = options.now - options.inactiveDays * 86_400_000;
  if (!users.some((u) => u.lastUsed && Date.parse(u.lastUsed) >= since))
    add(
      'no-recent-users',
      'info',
      `no user with access used the site in the last ${options.inactiveDays} days`,
      RULE_DOCS.migratingApps,
    );
  if (app.lastDataDistribution)
    add(
      'already-distributed',
      'info',
      `already distributed to Qlik Cloud (${app.lastDataDistribution})`,
      RULE_DOCS.multiCloud,
    );
  return out;
}
