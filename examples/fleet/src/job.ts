import { readFileSync } from 'node:fs';
import type { CreateSocket } from '@qlik-oem/engine';
import { unwrap } from '@qlik-oem/qlik-cloud';
import {
  createFileJournalStore,
  createMemoryJournalStore,
  createProvisioningEnvironment,
  provisionFleet,
  type ProvisionFleetResult,
  type ProvisioningEnvironmentOptions,
} from '@qlik-oem/recipes';
import { startSimulator, type Simulator } from '@qlik-oem/simulator';
import { parseCustomersCsv } from './customers-csv.js';
import { createProgressDisplay } from './progress.js';
import { formatReport } from './report.js';
import { readHydrate, readPartner, type JobSettings } from './settings.js';

export interface JobIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
}

export interface JobOutcome {
  exitCode: number;
  result?: ProvisionFleetResult;
  /** The simulator's spec violations (strict simulator runs). */
  violations: number;
}

const SIM_TEMPLATE_NAME = 'Customer Analytics Template';

/**
 * The fleet job: read the customers, set up the target (the embedded simulator, or Qlik Cloud),
 * provision every customer with a live progress display, print a table, and return the exit code
 * (1 when any customer failed or was aborted).
 */
export async function runFleetJob(settings: JobSettings, io: JobIo): Promise<JobOutcome> {
  let sim: Simulator | undefined;
  try {
    const customers = parseCustomersCsv(readFileSync(settings.customersCsv, 'utf8'));
    const target = settings.target;
    let envOptions: ProvisioningEnvironmentOptions;
    if (target.kind === 'simulator') {
      sim = await startSimulator({
        strict: target.strict,
        timeScale: target.timeScale,
        seed: target.seed,
        ...(target.faultRate > 0 ? { faults: { rate: target.faultRate, seed: target.seed } } : {}),
      });
      const createSocket: CreateSocket = (url, init) => sim!.createSocket(url, init);
      envOptions = {
        region: 'eu',
        sourceTenantHost: 'source.eu.qlikcloud.com',
        oauth: { clientId: 'sim-eu-regional', clientSecret: 'sim-eu-regional-secret' },
        organization: { clientId: 'sim-org', clientSecret: 'sim-org-secret' },
        fetch: sim.nodeFetch,
        createSocket,
        timeScale: target.timeScale,
      };
      io.stdout.write(
        `Embedded Qlik Cloud simulator at ${sim.url} (strict: ${target.strict}, time scale ${target.timeScale}x, fault rate ${target.faultRate}); ${customers.length} customers\n`,
      );
    } else {
      envOptions = {
        region: target.region,
        sourceTenantHost: target.sourceTenantHost,
        oauth: {
          clientId: target.clientId,
          clientSecret: target.clientSecret,
          ...(target.scope ? { scope: target.scope } : {}),
        },
        ...(target.organization ? { organization: target.organization } : {}),
      };
      if (!target.organization)
        io.stderr.write(
          'No QLIK_ORG_CLIENT_ID: a tenant create whose answer is lost cannot be reconciled; such customers stop and are listed as possible orphans.\n',
        );
      io.stdout.write(
        `Qlik Cloud region ${target.region}, source tenant ${target.sourceTenantHost}; ${customers.length} customers\n`,
      );
    }
    const env = createProvisioningEnvironment(envOptions);
    const partner = readPartner(io.env, settings.partnerFile, target);
    const templateAppId = target.kind === 'simulator' ? await findTemplate(env) : io.env.QLIK_TEMPLATE_APP_ID;
    const hydrate = readHydrate(io.env, templateAppId);
    if (!hydrate) io.stdout.write('No QLIK_TEMPLATE_APP_ID: onboarding only (no template app).\n');

    // A fresh simulator knows nothing of earlier runs, so its journal lives in memory unless asked.
    const journal = settings.journalDirectory
      ? createFileJournalStore({ directory: settings.journalDirectory })
      : createMemoryJournalStore();
    const progress = createProgressDisplay(customers.length, io.stdout);
    let result: ProvisionFleetResult;
    try {
      result = await provisionFleet(
        env,
        { partner, customers, ...(hydrate ? { hydrate } : {}) },
        {
          journal,
          concurrency: settings.concurrency,
          onEvent: progress.onEvent,
          ...(io.signal ? { signal: io.signal } : {}),
        },
      );
    } finally {
      progress.stop();
    }
    io.stdout.write(`\n${formatReport(result.customers)}\n\n`);
    const { provisioned, unchanged, failed, aborted } = result.counts;
    io.stdout.write(
      `${provisioned} provisioned, ${unchanged} unchanged, ${failed} failed, ${aborted} aborted; template exported ${result.templateExports} time(s)\n`,
    );
    if (result.possibleOrphans.length > 0)
      io.stderr.write(
        `POSSIBLE ORPHAN TENANTS: the tenant creates of ${result.possibleOrphans.join(', ')} got no answer; check My Qlik's tenant list for tenants created during this run before running again\n`,
      );
    const violations = sim?.violations.length ?? 0;
    if (violations > 0)
      io.stderr.write(
        `The simulator saw ${violations} spec violation(s), e.g. ${JSON.stringify(sim!.violations[0])}\n`,
      );
    const orphans = result.possibleOrphans.length;
    return { exitCode: failed + aborted + orphans > 0 || violations > 0 ? 1 : 0, result, violations };
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return { exitCode: 1, violations: sim?.violations.length ?? 0 };
  } finally {
    await sim?.close();
  }
}

async function findTemplate(env: ReturnType<typeof createProvisioningEnvironment>): Promise<string> {
  const items = unwrap(
    await env
      .source()
      .items.GET('/api/v1/items', { params: { query: { resourceType: 'app', name: SIM_TEMPLATE_NAME } } }),
  );
  const template = items.data?.find((item) => item.name === SIM_TEMPLATE_NAME);
  if (!template?.resourceId) throw new Error(`The simulator's source tenant has no "${SIM_TEMPLATE_NAME}" app`);
  return template.resourceId;
}
