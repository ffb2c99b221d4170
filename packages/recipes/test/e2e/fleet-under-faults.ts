// One fleet run against a strict simulator that injects every fault kind, and everything that run got wrong.
import type { Logger, RetryBudgetStats } from '@qlik-oem/core';
import { LOST_ANSWER_KINDS, type FaultKind } from '@qlik-oem/simulator';
import { createMemoryJournalStore, provisionFleet } from '../../src/index.js';
import { contentOf, fleetHydrate, prepareTemplate, retrying, stateByAlias } from './fleet-fixtures.js';
import { sampleCustomers, samplePartner, startOnboardHarness } from './onboard-harness.js';

/** Every kind the simulator injects: before the handler, and after it (the work done, the answer lost). */
export const ALL_FAULT_KINDS: readonly FaultKind[] = ['429', '500', '503', 'reset', 'slow', ...LOST_ANSWER_KINDS];

export interface FleetUnderFaults {
  seed: number;
  customers: number;
  concurrency: number;
  /** Probability of a fault per request, token requests included. Default 0.3. */
  rate?: number;
  /** Sees every transport log line (retries, refusals), e.g. to explain a failure. */
  logger?: Logger;
}

/** What one run left behind; every list empty and `provisioned === customers` is a pass. */
export interface FleetUnderFaultsOutcome {
  provisioned: number;
  /** `<customer> at <step>: <error>` for each customer that did not finish in this one run. */
  failed: string[];
  possibleOrphans: string[];
  /** Tenants in the simulator that no customer's result names (the source tenant aside). */
  orphans: string[];
  /** Per customer: anything but one tenant, one IdP, three groups and the expected spaces and apps. */
  wrongState: string[];
  violations: unknown[];
  /** Fault kinds that never happened in this run (a run that dodged a kind proves nothing about it). */
  kindsMissing: FaultKind[];
  lostWrites: number;
  faults: number;
  /** What the fleet's shared retry budget paid and refused. */
  retryBudget: RetryBudgetStats;
  /** HTTP requests the SDK sent (token requests included; engine WebSockets not). */
  requests: number;
}

// A simulated 'slow' fault is 300 simulated seconds, 1.5 real seconds at 200x: past the client's 1 s
// timeout, so a lost-slow answer is really lost (the server did the work, the client gave up on it).
const TIME_SCALE = 200;
const SLOW_SIM_MS = 300_000;
const CLIENT_TIMEOUT_MS = 1_000;

/**
 * Provisions `customers` customers (onboard and hydrate) in one `provisionFleet` run with `rate` of
 * every request, token requests included, getting a fault of a kind drawn from `ALL_FAULT_KINDS` by
 * `seed`. The fault sequence follows the order requests arrive in, so with customers in flight at once a
 * seed names a fault mix rather than one exact sequence.
 */
export async function runFleetUnderFaults(options: FleetUnderFaults): Promise<FleetUnderFaultsOutcome> {
  const h = await startOnboardHarness({
    timeScale: TIME_SCALE,
    timeoutMs: CLIENT_TIMEOUT_MS,
    ...(options.logger ? { environment: { logger: options.logger } } : {}),
    faults: {
      rate: options.rate ?? 0.3,
      kinds: [...ALL_FAULT_KINDS],
      seed: options.seed,
      includeOAuth: true,
      slowMs: SLOW_SIM_MS,
    },
  });
  try {
    const templateAppId = await retrying(() => prepareTemplate(h.env), 12);
    const customers = sampleCustomers(options.customers);
    const result = await provisionFleet(
      h.env,
      { partner: samplePartner(), customers, hydrate: fleetHydrate(templateAppId) },
      // The fleet's default attempts; only the step retries' pauses are shortened (they run on real time).
      {
        journal: createMemoryJournalStore(),
        concurrency: options.concurrency,
        retry: { baseDelayMs: 20, maxDelayMs: 200 },
      },
    );
    const failed = result.customers
      .filter((c) => c.status !== 'provisioned')
      .map((c) => `${c.customerId} at ${c.failedStep}: ${String(c.error)}`);

    const owned = new Set(result.customers.map((c) => c.tenantId).filter((id) => id !== undefined));
    const orphans = [...h.sim.state.tenants.values()]
      .filter((t) => !t.hostnames.includes(h.env.sourceTenantHost) && !owned.has(t.id))
      .map((t) => `${t.id} (${t.hostnames.join(', ')})`);

    const wrongState: string[] = [];
    const state = stateByAlias(h.sim);
    for (const customer of customers) {
      const entry = state.get(customer.alias);
      if (!entry) {
        wrongState.push(`${customer.customerId}: no tenant with its alias`);
        continue;
      }
      const counts = { tenants: entry.tenants, idps: entry.idps, groups: entry.groups.length };
      if (counts.tenants !== 1 || counts.idps !== 1 || counts.groups !== 3)
        wrongState.push(`${customer.customerId}: ${JSON.stringify(counts)}`);
      if (failed.length > 0) continue; // its content is not expected to be there
      const content = await retrying(() => contentOf(h.env, entry.tenantHost), 12);
      const expected = {
        spaces: [`managed:${customer.name}`, `shared:${customer.name} (development)`],
        apps: ['managed:Sales Analytics', 'shared:Sales Analytics'],
      };
      if (JSON.stringify(content) !== JSON.stringify(expected))
        wrongState.push(`${customer.customerId}: ${JSON.stringify(content)}`);
    }
    const seen = new Set(h.sim.faults.map((f) => f.kind));
    return {
      provisioned: result.counts.provisioned,
      failed,
      possibleOrphans: result.possibleOrphans,
      orphans,
      wrongState,
      violations: [...h.sim.violations],
      kindsMissing: ALL_FAULT_KINDS.filter((kind) => !seen.has(kind)),
      lostWrites: h.sim.faults.filter((f) => f.kind.startsWith('lost-') && !f.request.startsWith('GET')).length,
      faults: h.sim.faults.length,
      retryBudget: h.env.retryBudget.stats(),
      requests: h.requests.length,
    };
  } finally {
    await h.close();
  }
}
