import { isQlikError } from '@qlik-oem/core';
import { describe, expect, it } from 'vitest';
import { QrsTaskTimeoutError, runTask, uploadApp } from '../src/index.js';
import { qvf, startQseowSim } from './support/qseow-sim.js';

async function setup() {
  const site = await startQseowSim();
  const qrs = site.qrs({ retry: false });
  const app = await uploadApp(qrs, { name: 'Sales', file: qvf('LOAD 1;') });
  const taskId = site.host.addReloadTask({ name: 'Reload Sales', appId: app.id! });
  // The poller's sleeps move the simulated clock, so the simulated task (2 s) finishes after a few polls.
  const clock = { now: () => site.clock.now(), sleep: async (ms: number) => site.clock.advance(ms) };
  return { site, qrs, taskId, clock };
}

describe('runTask', () => {
  it('starts the task and polls until it finished successfully', async () => {
    const { qrs, taskId, clock, site } = await setup();
    const run = await runTask(qrs, taskId, { pollIntervalMs: 500, timeoutMs: 60_000, clock });
    expect(run).toMatchObject({ status: 'FinishedSuccess', succeeded: true, result: { taskID: taskId } });
    const polls = site.log.filter((r) => r.method === 'GET' && /executionresult/.test(r.url.pathname));
    expect(polls.length).toBeGreaterThanOrEqual(4);
  });

  it('reports a failed execution', async () => {
    const { qrs, taskId, clock, site } = await setup();
    site.host.setNextTaskOutcome(taskId, 'fail');
    const run = await runTask(qrs, taskId, { pollIntervalMs: 500, clock });
    expect(run).toMatchObject({ status: 'FinishedFail', succeeded: false });
  });

  it('times out with the last status seen', async () => {
    const { qrs, taskId, clock } = await setup();
    const error = await runTask(qrs, taskId, { pollIntervalMs: 200, timeoutMs: 1_000, clock }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QrsTaskTimeoutError);
    expect(isQlikError(error)).toBe(true);
    expect((error as QrsTaskTimeoutError).lastStatus).toBe('Started');
  });

  it('stops when the signal aborts', async () => {
    const { qrs, taskId } = await setup();
    const controller = new AbortController();
    const pending = runTask(qrs, taskId, { pollIntervalMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 20);
    await expect(pending).rejects.toThrow('shutting down');
  });
});
