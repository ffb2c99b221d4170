/**
 * Meta-test of the conformance suite: every case of forbidden-cases.ts that expects a 403 is run against a
 * simulator with authorization switched off (`authorization: 'off'`, the test-only switch), where none of
 * them may get 403. A case that still got 403 there would pass whatever authorization does, so it would
 * prove nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORBIDDEN_CASES, startForbiddenTarget, type ForbiddenTarget } from './forbidden-cases.js';

let target: ForbiddenTarget;

beforeAll(async () => {
  target = await startForbiddenTarget('off');
});
afterAll(async () => {
  // Authorization off changes decisions, not the shape of answers: strict mode still finds nothing.
  expect(target.sim.violations).toEqual([]);
  await target.close();
});

describe('the 403 cases of the conformance suite fail when authorization is off', () => {
  it('covers at least one case', () => {
    expect(FORBIDDEN_CASES.length).toBeGreaterThan(0);
  });

  it.each(FORBIDDEN_CASES.map((c) => [c.name, c] as const))('%s: not 403', async (_name, forbidden) => {
    const status = await forbidden.status(target);
    expect(status).not.toBe(403);
    // Let through, the call reaches the service, which answers as it would for an authorized caller.
    expect(status).toBeLessThan(500);
  });
});
