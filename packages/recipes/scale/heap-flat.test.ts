// A long-lived broker's heap does not grow with the fleets it runs: a 5,000-customer fleet run three times
// back to back in one child process (one environment, one file journal, as a broker keeps them) leaves the
// same heap after each run, measured once the run's keep-alive connections have closed and after a full GC
// (--expose-gc). The simulator lives in this process, so its own state is not counted. `npm run test:scale`,
// a bounded CI step of its own.
// HEAP_FLAT_CUSTOMERS sizes the fleet: default 1,200 (2-3 minutes on 2 shared cores); CI's scale step runs the
// issue's 5,000 (about 7 minutes). The SDK child is busy throughout, spread over the HTTP client, the file
// journal (an fsync per line) and GC, with no one hot spot: 48 ms a customer on its first run, 25 ms on a no-op.

import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type Simulator } from '@qlik-oem/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsxChild } from '../test/helpers/child-process.js';

const CUSTOMERS = Number(process.env.HEAP_FLAT_CUSTOMERS ?? 1200);
const RUNS = 3;
const childDir = fileURLToPath(new URL('./heap/', import.meta.url));

interface RunLine {
  run: number;
  counts: Record<string, number>;
  heapUsed: number;
}

let running: ChildProcess | undefined;

async function runChild(config: object): Promise<{ lines: RunLine[]; stderr: string; code: number | null }> {
  const { stdout, stderr, code } = await runTsxChild({
    script: join(childDir, 'child.ts'),
    args: [JSON.stringify(config)],
    tsconfig: join(childDir, 'tsconfig.json'),
    nodeArgs: ['--expose-gc'],
    onSpawn: (child) => (running = child),
    // Each run's line as it comes, so a run that outlasts the timeout still shows the ones before it.
    onChunk: (chunk) => process.stderr.write(chunk),
  });
  running = undefined;
  const lines = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as RunLine);
  return { lines, stderr, code };
}

describe(`the heap of one process after each of ${RUNS} back-to-back runs of a ${CUSTOMERS}-customer fleet`, () => {
  let sim: Simulator;
  let journalDirectory: string;
  beforeAll(async () => {
    // Not strict and without latencies: this measures the SDK's memory, not the simulator's checks.
    sim = await startSimulator({ strict: false, latency: false, timeScale: 1_000 });
    journalDirectory = await mkdtemp(join(tmpdir(), 'heap-flat-'));
  });
  afterAll(async () => {
    if (running) {
      const exited = new Promise((resolve) => running!.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    }
    await sim.close();
    await rm(journalDirectory, { recursive: true, force: true });
  });

  it("stays flat: no run keeps a customer's worth of state", async () => {
    const { lines, stderr, code } = await runChild({
      port: sim.port,
      timeScale: 1_000,
      journalDirectory,
      customers: CUSTOMERS,
      runs: RUNS,
      concurrency: 64,
    });
    expect(code, stderr).toBe(0);
    expect(lines.map((line) => line.run)).toEqual([1, 2, 3]);
    expect(lines[0]!.counts.provisioned).toBe(CUSTOMERS);
    expect(lines[1]!.counts.unchanged).toBe(CUSTOMERS);
    expect(lines[2]!.counts.unchanged).toBe(CUSTOMERS);
    const [first, second, third] = lines.map((line) => line.heapUsed) as [number, number, number];
    console.log(
      `heap after runs 1-3: ${[first, second, third].map((bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`).join(', ')}`,
    );
    // Before the per-host caches were bounded a customer kept ~48 KB per run (240 MB a run at this size).
    // Measured with the connection pools closed, on 2 shared cores: six runs of 1,200 customers 51.5, 51.2,
    // 51.4, 51.3, 51.5, 51.4 MB; three of 5,000 64.6, 62.5, 62.9 MB (the first run leaves a little more than
    // the no-op runs after it). Measured while pools were still open, the same runs drifted by 0.3 to 4 MB,
    // which is what the old bound of 8 MB plus 1 KB a customer had to allow. Now: no run grows the heap by
    // more than 1 MB plus 256 bytes a customer over the first.
    const bound = 2 ** 20 + 256 * CUSTOMERS;
    expect(second - first).toBeLessThan(bound);
    expect(third - first).toBeLessThan(bound);
  }, 1_500_000);
});
