// `assessQseowSite`: inventory, readiness findings and a migration plan per customer, from read-only QRS calls.
import type { MultiCloudCustomerInput } from '../recipes/setup-multi-cloud-input.js';
import { resolveQseowSite, type QseowSite, type QseowSiteOptions } from '../recipes/setup-multi-cloud-site.js';
import { readSiteInventory, type InventoryApp, type SiteInventory } from './inventory.js';
import { findingsFor, type Finding } from './rules.js';
import { readAppThemes } from './themes.js';

export interface AssessmentOptions {
  /** Custom property that names an app's customer; apps without it are grouped by stream. Default `Customer`. */
  customerProperty?: string;
  /** Apps unused for this many days are proposed for retirement. Default 90. */
  inactiveDays?: number;
  largeAppSupport?: boolean;
  /** Apps per QRS page. Default 100. */
  pageSize?: number;
  /** The tenant of each customer, for the first wave's setupMultiCloud input. */
  tenantHostOf?: (customerId: string) => string;
  /** The managed space apps are placed in. Default `Production`. */
  managedSpace?: string;
  /** "Now" for last-use rules (ms). Default the site clock's now. */
  now?: number;
  /**
   * Read each app's theme in the engine (through the same virtual proxy, the app opened without data, four
   * apps at a time). Default true; false reads QRS only and reports no theme.
   */
  readThemes?: boolean;
  signal?: AbortSignal;
}

export type AppDisposition = 'distribute-now' | 'move-data-first' | 'retire';

export interface AssessedApp extends Omit<InventoryApp, 'reloadTask'> {
  customer: string;
  disposition: AppDisposition;
  findings: Finding[];
  reloadTask?: Omit<NonNullable<InventoryApp['reloadTask']>, 'scriptLog'>;
  /** The latest use of the site by a user with access to the app's stream, when known. */
  lastUsed?: string;
  /** The app's theme id; absent when it keeps the site's default (or when themes were not read). */
  theme?: string;
  /** Why the app's theme could not be read in the engine. */
  themeError?: string;
}

export interface QseowAssessment {
  host: string;
  assessedAt: string;
  summary: {
    apps: number;
    streams: number;
    customers: number;
    findingsBySeverity: Record<string, number>;
    dataConnectionsByType: Record<string, number>;
    /** Apps per theme id (`default`: no theme of its own; `unknown`: the engine could not tell); empty when not read. */
    appsByTheme: Record<string, number>;
  };
  apps: AssessedApp[];
  customers: Array<{
    customerId: string;
    apps: number;
    distributeNow: string[];
    moveDataFirst: string[];
    retire: string[];
  }>;
  extensions: SiteInventory['extensions'];
  dataConnections: Array<Omit<SiteInventory['dataConnections'][number], 'connectionstring'>>;
  distributionPolicies: string[];
  /** Existing multi-cloud deployments, or `undefined` when the site does not list them (see `SiteInventory`). */
  deployments: SiteInventory['deployments'];
  /** Ready input for setupMultiCloud / provisionFleet: each customer's apps that can be distributed now (max 100). */
  firstWave: MultiCloudCustomerInput[];
  requests: number;
}

const tally = (values: string[]) =>
  values.reduce<Record<string, number>>((acc, v) => ((acc[v] = (acc[v] ?? 0) + 1), acc), {});

/** Reads the site (GETs and query POSTs only: no write), evaluates each app and proposes a plan. */
export async function assessQseowSite(
  siteOrOptions: QseowSite | QseowSiteOptions,
  options: AssessmentOptions = {},
): Promise<QseowAssessment> {
  const site = await resolveQseowSite(siteOrOptions);
  const inventory = await readSiteInventory(await site.qrs(), {
    pageSize: options.pageSize ?? 100,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const themes =
    options.readThemes === false
      ? undefined
      : await readAppThemes(
          site.engine,
          inventory.apps.map((a) => a.id),
          { concurrency: 4, ...(options.signal ? { signal: options.signal } : {}) },
        );
  const now = options.now ?? site.clock.now();
  const property = options.customerProperty ?? 'Customer';
  const apps: AssessedApp[] = inventory.apps.map((inventoryApp) => {
    const read = themes?.get(inventoryApp.id);
    const app = {
      ...inventoryApp,
      ...(read && 'theme' in read && read.theme ? { theme: read.theme } : {}),
      ...(read && 'error' in read ? { themeError: read.error } : {}),
    };
    const findings = findingsFor(app, inventory, {
      now,
      inactiveDays: options.inactiveDays ?? 90,
      largeAppSupport: options.largeAppSupport ?? false,
    });
    const has = (rule: string) => findings.some((f) => f.rule === rule);
    const disposition: AppDisposition =
      has('no-recent-users') || has('never-reloaded')
        ? 'retire'
        : findings.some((f) => f.severity !== 'info') || !app.published
          ? 'move-data-first'
          : 'distribute-now';
    const { reloadTask, ...rest } = app;
    const task = reloadTask ? (({ scriptLog: _log, ...t }) => t)(reloadTask) : undefined;
    const lastUsed = (app.stream ? (inventory.streamAccess[app.stream.id] ?? []) : [])
      .map((u) => u.lastUsed)
      .filter((used): used is string => used !== undefined)
      .sort()
      .at(-1);
    return {
      ...rest,
      ...(task ? { reloadTask: task } : {}),
      ...(lastUsed ? { lastUsed } : {}),
      customer: app.customProperties[property]?.[0] ?? app.stream?.name ?? '(none)',
      disposition,
      findings,
    };
  });
  const customerIds = [...new Set(apps.map((a) => a.customer))];
  const customers = customerIds.map((customerId) => {
    const mine = apps.filter((a) => a.customer === customerId);
    const ids = (d: AppDisposition) => mine.filter((a) => a.disposition === d).map((a) => a.id);
    return {
      customerId,
      apps: mine.length,
      distributeNow: ids('distribute-now'),
      moveDataFirst: ids('move-data-first'),
      retire: ids('retire'),
    };
  });
  const firstWave = options.tenantHostOf
    ? customers
        .filter((c) => c.distributeNow.length > 0 && c.customerId !== '(none)')
        .map((c) => ({
          customerId: c.customerId,
          tenantHost: options.tenantHostOf!(c.customerId),
          appIds: c.distributeNow.slice(0, 100),
          managedSpace: options.managedSpace ?? 'Production',
        }))
    : [];
  return {
    host: site.host,
    assessedAt: new Date(now).toISOString(),
    summary: {
      apps: apps.length,
      streams: inventory.streams.length,
      customers: customerIds.length,
      findingsBySeverity: tally(apps.flatMap((a) => a.findings.map((f) => f.severity))),
      dataConnectionsByType: tally(inventory.dataConnections.map((c) => c.type)),
      appsByTheme: themes
        ? tally(apps.map((a) => a.theme ?? (a.themeError !== undefined ? 'unknown' : 'default')))
        : {},
    },
    apps,
    customers,
    extensions: inventory.extensions,
    dataConnections: inventory.dataConnections.map(({ connectionstring: _c, ...c }) => c),
    distributionPolicies: inventory.distributionPolicies,
    deployments: inventory.deployments,
    firstWave,
    requests: inventory.requests,
  };
}
