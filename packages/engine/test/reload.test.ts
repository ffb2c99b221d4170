import { describe, expect, it } from 'vitest';
import {
  isReloadFailedError,
  reload,
  ReloadFailedError,
  rewriteAppConnection,
  save,
  setScript,
  withApp,
  type ReloadProgressEvent,
} from '../src/index.js';
import { startEngineForEachTest, TENANT } from './harness.js';

const t = startEngineForEachTest(undefined, { reloadDurationMs: 200 });

describe('reload', () => {
  it('reloads with progress and the script log, then saves', async () => {
    const events: ReloadProgressEvent[] = [];
    const result = await withApp(t.options, 'app-1', async (doc) => {
      await rewriteAppConnection(doc, { to: 'Customer 42' });
      const outcome = await reload(doc, { pollIntervalMs: 40, onProgress: (event) => events.push(event) });
      await save(doc);
      return outcome;
    });
    expect(result.log).toContain('Started loading data');
    expect(result.log).toContain("Connecting to 'Customer 42'");
    expect(result.log).toContain('Finished successfully');
    expect(result.scriptLogFile).toMatch(/app-1/);
    // Polled while the reload ran, not only at the end.
    expect(events.filter((event) => !event.finished).length).toBeGreaterThan(1);
    expect(events.at(-1)?.finished).toBe(true);
    expect(t.harness.backend.apps.get(`${TENANT}\u0000app-1`)?.properties.qLastReloadTime).toEqual(expect.any(String));
  });

  it.each(['DoReloadEx', 'DoReload'] as const)(
    'a failing script becomes ReloadFailedError with the log (%s)',
    async (method) => {
      await withApp(t.options, 'app-1', async (doc) => {
        await setScript(doc, "LIB CONNECT TO 'Nope';\nLOAD 1 AS x AUTOGENERATE 1;");
        const error = await reload(doc, { pollIntervalMs: 40, method }).catch((caught: unknown) => caught);
        expect(isReloadFailedError(error)).toBe(true);
        const failed = error as ReloadFailedError;
        expect(failed.message).toContain("Connection 'Nope' not found");
        expect(failed.log).toContain('Execution failed');
        expect(failed.errors[0]?.message).toBe("Connection 'Nope' not found");
        if (method === 'DoReloadEx') expect(failed.scriptLogFile).toMatch(/\.log$/);
        else expect(failed.scriptLogFile).toBeUndefined();
      });
    },
  );

  it('cancels the reload in the engine when the signal aborts', async () => {
    await withApp(t.options, 'app-1', async (doc) => {
      const controller = new AbortController();
      const reason = new Error('stop now');
      setTimeout(() => controller.abort(reason), 50);
      const started = Date.now();
      await expect(reload(doc, { signal: controller.signal, pollIntervalMs: 20 })).rejects.toBe(reason);
      expect(Date.now() - started).toBeLessThan(190); // did not wait for the 200 ms reload
      // The session is still usable and no reload is running any more.
      const progress = await doc.getScript();
      expect(progress).toContain('Template data');
    });
    expect(t.harness.backend.apps.get(`${TENANT}\u0000app-1`)?.properties.qLastReloadTime).toBeUndefined();
  });

  it('rejects an aborted signal before calling the engine', async () => {
    await withApp(t.options, 'app-1', async (doc) => {
      const controller = new AbortController();
      controller.abort(new Error('already'));
      await expect(reload(doc, { signal: controller.signal })).rejects.toThrow('already');
    });
  });
});
