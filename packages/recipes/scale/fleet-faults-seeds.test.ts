// 30% injected faults of every kind (lost answers, timed-out writes and token requests included) over many
// seeds and a larger fleet than `npm test`'s: every customer provisioned in one run, no orphan, exactly one
// of each resource, no spec violation. `npm run test:scale`, a bounded CI step of its own.
// FLEET_FAULT_SEED_COUNT (default 12) and FLEET_FAULT_FIRST_SEED (default 1000) choose the seeds.
import { describe, expect, it } from 'vitest';
import { runFleetUnderFaults } from '../test/e2e/fleet-under-faults.js';

const COUNT = Number(process.env.FLEET_FAULT_SEED_COUNT ?? 12);
const FIRST = Number(process.env.FLEET_FAULT_FIRST_SEED ?? 1000);
const SEEDS = Array.from({ length: COUNT }, (_, i) => FIRST + i);
const CUSTOMERS = 16;

describe(`provisionFleet at 30% faults of every kind: ${CUSTOMERS} customers, seeds ${FIRST}..${FIRST + COUNT - 1}`, () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${CUSTOMERS} of ${CUSTOMERS} provisioned in one run, 0 orphans`, async () => {
      const outcome = await runFleetUnderFaults({ seed, customers: CUSTOMERS, concurrency: CUSTOMERS });
      expect({
        failed: outcome.failed,
        possibleOrphans: outcome.possibleOrphans,
        orphans: outcome.orphans,
        wrongState: outcome.wrongState,
        violations: outcome.violations,
        kindsMissing: outcome.kindsMissing,
      }).toEqual({ failed: [], possibleOrphans: [], orphans: [], wrongState: [], violations: [], kindsMissing: [] });
      expect(outcome.provisioned).toBe(CUSTOMERS);
      expect(outcome.retryBudget.denied).toBe(0);
      expect(outcome.lostWrites).toBeGreaterThan(0);
    }, 300_000);
  }
});
