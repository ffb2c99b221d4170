import {
  RecipeEvents,
  createProvisioningEnvironment,
  createQseowSite,
  setupMultiCloudFleet,
  type FleetResult,
  type JournalStore,
  type ProvisioningEnvironmentOptions,
  type QseowSiteOptions,
  type SetupMultiCloudOutputs,
} from '@qlik-oem/recipes';
import { resolveAppIds } from './apps.js';
import type { CustomerEntry } from './customers.js';

export interface MultiCloudRunOptions {
  customers: CustomerEntry[];
  environment: ProvisioningEnvironmentOptions;
  site: QseowSiteOptions;
  journal: JournalStore;
  concurrency?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/**
 * Runs setupMultiCloud for every customer: app names are resolved to QSEoW ids first, then each customer goes
 * through deployment → token → idp → routing → distribute → placeApp, resuming from its journal.
 */
export async function runMultiCloud(options: MultiCloudRunOptions): Promise<FleetResult<SetupMultiCloudOutputs>> {
  const log = options.log ?? (() => undefined);
  // Both validate their options before any request.
  const environment = createProvisioningEnvironment(options.environment);
  const site = await createQseowSite(options.site);
  const qrs = await site.qrs();
  const customers = [];
  for (const { apps, ...customer } of options.customers)
    customers.push({ ...customer, appIds: await resolveAppIds(qrs, customer.customerId, apps) });

  const events = new RecipeEvents();
  events.on('step:done', (e) => log(`${e.customerId}: ${e.step} ${e.action} (${e.durationMs} ms)`));
  events.on('step:fail', (e) => log(`${e.customerId}: ${e.step} failed: ${e.error.message}`));
  events.on('customer:done', (e) => log(`${e.customerId}: ${e.status}`));
  return setupMultiCloudFleet(environment, site, customers, {
    journal: options.journal,
    events,
    concurrency: options.concurrency ?? 8,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
