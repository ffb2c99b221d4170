import type { SimClock } from '../clock.js';
import type { QseowState, SimDeployment, SimQrsApp } from './state.js';
import { wireText } from '../http/wire-text.js';

/** Distribute = 1024 in QRS's action bit mask. */
export const DISTRIBUTE_ACTION = 1024;

/** What QSEoW hands to the Qlik Cloud side when an app is distributed. */
export interface DistributedAppPayload {
  /** Same id as on QSEoW (multi-cloud keeps app ids). */
  id: string;
  name: string;
  description: string;
  /** Bumped when the app's data changed (reload, replace): the cloud copy's data is replaced. */
  dataVersion: number;
  qvf: Buffer;
  lastReloadTime: string;
  customProperties: Array<{ name: string; value: string }>;
  sourceHost: string;
  deploymentName: string;
}

/** The Qlik Cloud side of multi-cloud, as the distribution service needs it. */
export interface CloudDistributionBackend {
  /**
   * Tokens of the active `qsefw-local-bearer-token` identity providers of the tenant at `hostname`;
   * undefined when no tenant is served there.
   */
  multiCloudTokens(hostname: string): string[] | undefined;
  /** Creates the app in the tenant, staged (no space, no owner), or replaces its data and metadata, keeping its space. */
  upsertDistributedApp(hostname: string, app: DistributedAppPayload): void;
}

export interface DistributionRecord {
  appId: string;
  deploymentName: string;
  tenantHost: string;
  at: number;
  outcome: 'delivered' | 'rejected-token' | 'no-tenant';
}

/**
 * The App Distribution Service: when a published app changes, the distribution policies (system rules with the
 * Distribute action on `App_*`) pick its target deployments; after the configured delay the app lands, with the same
 * id, in each deployment's tenant whose multi-cloud IdP holds the deployment's token.
 */
export function createDistributionService(
  state: QseowState,
  clock: SimClock,
  backend: CloudDistributionBackend | undefined,
  signal: AbortSignal,
) {
  const log: DistributionRecord[] = [];

  const deliver = (appId: string, deployment: SimDeployment): void => {
    const app = state.apps.get(appId);
    if (!app || !app.published) return;
    const tenantHost = new URL(deployment.serviceUrl).hostname.toLowerCase();
    const tokens = backend?.multiCloudTokens(tenantHost);
    const record = { appId, deploymentName: deployment.name, tenantHost, at: clock.now() };
    if (!backend || tokens === undefined) return void log.push({ ...record, outcome: 'no-tenant' });
    if (!tokens.includes(deployment.token)) return void log.push({ ...record, outcome: 'rejected-token' });
    const content = state.appContent.get(appId);
    backend.upsertDistributedApp(tenantHost, {
      id: app.id,
      name: app.name,
      description: app.description,
      dataVersion: content?.version ?? 0,
      qvf: Buffer.from(content?.bytes ?? Buffer.alloc(0)),
      lastReloadTime: app.lastReloadTime,
      customProperties: app.customProperties.map((c) => ({ name: c.definition.name, value: c.value })),
      sourceHost: state.config.hostname,
      deploymentName: deployment.name,
    });
    app.lastDataDistribution = new Date(clock.now()).toISOString();
    log.push({ ...record, outcome: 'delivered' });
  };

  return {
    log,
    /** Deployments the policies route this app to right now. */
    targetsOf(app: SimQrsApp): SimDeployment[] {
      if (!app.published) return [];
      return [...state.deployments.values()].filter((d) =>
        [...state.systemRules.values()].some((rule) => ruleDistributes(rule, app, d)),
      );
    },
    trigger(appId: string): void {
      const app = state.apps.get(appId);
      if (!app) return;
      for (const deployment of this.targetsOf(app)) {
        clock.sleep(state.config.distributionDelayMs, signal).then(
          () => deliver(appId, deployment),
          () => undefined,
        );
      }
    },
  };
}

function ruleDistributes(rule: Record<string, unknown>, app: SimQrsApp, deployment: SimDeployment): boolean {
  if (rule['disabled'] === true) return false;
  if (typeof rule['actions'] !== 'number' || (rule['actions'] & DISTRIBUTE_ACTION) === 0) return false;
  if (!resourceFilterMatchesApp(wireText(rule['resourceFilter']))) return false;
  return evaluateCondition(wireText(rule['rule']), app, deployment);
}

function resourceFilterMatchesApp(filter: string): boolean {
  return filter
    .split(',')
    .map((f) => f.trim())
    .some((f) => f === 'App_*' || f === 'App*' || f.startsWith('App_'));
}

/**
 * A small subset of the rule language, enough for distribution policies: clauses joined by `or` / `and`
 * (and binds tighter), each `resource.@<customProperty>=subject.name`, `subject.name="<name>"`,
 * `resource.stream.name="<name>"` or `resource.name="<name>"`, with optional parentheses. An empty rule is true.
 * Anything else does not match (documented simplification).
 */
export function evaluateCondition(rule: string, app: SimQrsApp, deployment: SimDeployment): boolean {
  const text = rule.replace(/[()]/g, ' ').trim();
  if (!text) return true;
  return text
    .split(/\s+or\s+/i)
    .some((group) => group.split(/\s+and\s+/i).every((clause) => evaluateClause(clause.trim(), app, deployment)));
}

function evaluateClause(clause: string, app: SimQrsApp, deployment: SimDeployment): boolean {
  const m = /^(\S+?)\s*(=|like)\s*(\S.*)$/i.exec(clause);
  if (!m) return false;
  const left = valuesOf(m[1]!, app, deployment);
  const right = valuesOf(m[3]!.trim(), app, deployment);
  if (left === undefined || right === undefined) return false;
  return left.some((l) => right.some((r) => l.toLowerCase() === r.toLowerCase()));
}

function valuesOf(operand: string, app: SimQrsApp, deployment: SimDeployment): string[] | undefined {
  const quoted = /^"(.*)"$/.exec(operand) ?? /^'(.*)'$/.exec(operand);
  if (quoted) return [quoted[1]!];
  const lower = operand.toLowerCase();
  if (lower === 'subject.name') return [deployment.name];
  if (lower === 'resource.name') return [app.name];
  if (lower === 'resource.stream.name') return app.stream ? [app.stream.name] : [];
  const cp = /^resource\.@(\w+)$/i.exec(operand);
  if (cp)
    return app.customProperties
      .filter((c) => c.definition.name.toLowerCase() === cp[1]!.toLowerCase())
      .map((c) => c.value);
  return undefined;
}
