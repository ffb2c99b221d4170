// A journal does not grow with re-runs: a fleet run 100 more times with nothing to do keeps every
// customer's journal at the size it had after its first no-op run (each finished run is compacted).
// `npm run test:scale`, a bounded CI step of its own.
import { beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJournalStore, provisionFleet } from '../src/index.js';
import {
  sampleCustomers,
  samplePartner,
  startOnboardHarness,
  type OnboardHarness,
} from '../test/e2e/onboard-harness.js';

const CUSTOMERS = 10;
const NO_OP_RUNS = 100;

describe(`a journal across ${NO_OP_RUNS} no-op runs of a ${CUSTOMERS}-customer fleet (strict simulator)`, () => {
  let h: OnboardHarness;
  beforeAll(async () => {
    h = await startOnboardHarness({ timeScale: 1_000 });
    return () => h.close();
  });

  it('stays the size it had after the first no-op run', async () => {
    const journal = createMemoryJournalStore();
    const customers = sampleCustomers(CUSTOMERS);
    const input = { partner: samplePartner(), customers };
    const run = () => provisionFleet(h.env, input, { journal, concurrency: CUSTOMERS });
    const bytes = async () => {
      let total = 0;
      for (const customer of customers) total += JSON.stringify(await journal.read(customer.customerId)).length;
      return total;
    };
    expect((await run()).counts.provisioned).toBe(CUSTOMERS);
    const sizes: number[] = [];
    for (let i = 0; i < NO_OP_RUNS; i++) {
      const result = await run();
      expect(result.counts.unchanged).toBe(CUSTOMERS);
      sizes.push(await bytes());
    }
    // Entries hold ISO times and ids of fixed length: a compacted journal is the same size run after run.
    // 1% is room for a timestamp field that gains a digit, never for a run's worth of lines (~2 kB each).
    expect(Math.max(...sizes)).toBeLessThanOrEqual(sizes[0]! * 1.01);
  }, 600_000);
});
