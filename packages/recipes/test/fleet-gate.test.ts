// The fleet gate's process-local layer: creates that ask together are admitted by one store call, a reconciliation
// still waits for every one of them, and a create asking later is admitted by a call made after it asked.
import { describe, expect, it } from 'vitest';
import { createFleetGate, type FleetGateBackend } from '../src/index.js';

function countingBackend() {
  const calls: string[] = [];
  let allow = true;
  const backend: FleetGateBackend = {
    tryShared: async (holding) => {
      calls.push(holding ? 'check' : 'take');
      await new Promise((resolve) => setTimeout(resolve, 5)); // a store round trip
      return allow;
    },
    releaseShared: async () => void calls.push('release'),
    tryExclusive: async () => (calls.push('exclusive'), true),
    releaseExclusive: async () => void calls.push('release exclusive'),
  };
  return { backend, calls, refuse: () => (allow = false) };
}

describe('createFleetGate', () => {
  it('admits 50 creates that ask together with one store call, and gives the hold back once', async () => {
    const { backend, calls } = countingBackend();
    const gate = createFleetGate(backend);
    const releases = await Promise.all(Array.from({ length: 50 }, () => gate.shared()));
    // One call takes the hold for every create that asked before it started (here all 50: each asked at once).
    expect(calls).toEqual(['take']);
    // A create asking now, while the process holds the gate, is admitted by a check made after it asked.
    releases.push(await gate.shared());
    expect(calls).toEqual(['take', 'check']);
    let reconciled = false;
    const reconciliation = gate.exclusive().then((release) => ((reconciled = true), release));
    for (const release of releases.slice(0, 50)) await release();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(reconciled).toBe(false); // one create is still in flight
    await releases[50]!();
    await (
      await reconciliation
    )();
    expect(calls.filter((call) => call === 'release')).toHaveLength(1);
  });

  it('refuses creates while the store says no, asking it at most once per poll, and a wait ends with its signal', async () => {
    const { backend, calls, refuse } = countingBackend();
    const gate = createFleetGate(backend);
    const first = await gate.shared();
    refuse();
    const aborted = new AbortController();
    const waiting = Array.from({ length: 10 }, () => gate.shared(aborted.signal).catch((error: unknown) => error));
    await new Promise((resolve) => setTimeout(resolve, 60));
    // Each refused admission was one call for all ten, polled again after a pause, not ten calls per poll.
    const checks = calls.filter((call) => call === 'check').length;
    expect(checks).toBeGreaterThan(0);
    expect(checks).toBeLessThan(10);
    aborted.abort(new Error('stop'));
    for (const outcome of await Promise.all(waiting)) expect((outcome as Error).message).toBe('stop');
    await first();
    expect(calls.at(-1)).toBe('release');
  });
});
