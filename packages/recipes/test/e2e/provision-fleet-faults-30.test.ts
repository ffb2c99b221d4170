import { describe, expect, it } from 'vitest';
import { runFleetUnderFaults } from './fleet-under-faults.js';

// A few fixed seeds on every `npm test` (7 and 30 once found a 429 on the Organization API's tenant lookup
// and resets on groups and spaces that nothing retried); `npm run test:scale` runs many more seeds and a
// larger fleet (scale/fleet-faults-seeds.test.ts). FLEET_FAULT_SEEDS=1,2,3 replays chosen seeds.
const SEEDS = (process.env.FLEET_FAULT_SEEDS ?? '7,30,101').split(',').map(Number);

describe('provisionFleet with 30% injected faults of every kind, lost answers included (strict simulator)', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: every customer provisioned in one run, exactly one of each resource, no orphan`, async () => {
      const outcome = await runFleetUnderFaults({ seed, customers: 8, concurrency: 8 });
      expect({
        ...outcome,
        faults: undefined,
        lostWrites: undefined,
        retryBudget: undefined,
        requests: undefined,
      }).toEqual({
        provisioned: 8,
        failed: [],
        possibleOrphans: [],
        orphans: [],
        wrongState: [],
        violations: [],
        kindsMissing: [],
        faults: undefined,
        lostWrites: undefined,
        retryBudget: undefined,
        requests: undefined,
      });
      // The fleet's shared retry budget rode it out: no retry was refused (an empty budget fails customers).
      expect(outcome.retryBudget.denied).toBe(0);
      // Lost answers of writes among them: the server did the work and the client never heard.
      expect(outcome.lostWrites).toBeGreaterThan(0);
    }, 180_000);
  }
});
