import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isQlikAuthError, isQlikNotFoundError, isQlikValidationError } from '@qlik-oem/core';
import {
  createConnection,
  EngineRpcError,
  getScript,
  isEngineSessionClosedError,
  listConnections,
  openApp,
  openEngine,
  reload,
  rewriteAppConnection,
  save,
  SessionLimiter,
  setScript,
  withApp,
} from '../src/index.js';
import { startEngine, startEngineForEachTest, staticToken, TENANT } from './harness.js';

const t = startEngineForEachTest();

describe('engine sessions against the simulated QIX engine', () => {
  it('opens an app with a unique identity, edits and saves the script', async () => {
    const script = await withApp(t.options, 'app-1', async (doc) => {
      expect(doc.id).toBe('app-1');
      const before = await getScript(doc);
      expect(before).toContain("LIB CONNECT TO 'Template data';");
      const { changed } = await rewriteAppConnection(doc, { from: 'Template data', to: 'Customer 42' });
      expect(changed).toBe(true);
      // Not saved yet: the stored app still has the old script.
      expect(t.harness.backend.apps.get(`${TENANT}\u0000app-1`)?.script).toContain('Template data');
      await save(doc);
      return getScript(doc);
    });
    expect(script).toBe("// main\nLIB CONNECT TO 'Customer 42';\nSales: LOAD * INLINE [\nRegion\nNorth\n];\n");
    expect(t.harness.backend.apps.get(`${TENANT}\u0000app-1`)?.script).toBe(script);
    await withApp(t.options, 'app-1', async () => undefined);
    expect(t.harness.urls).toHaveLength(2);
    for (const url of t.harness.urls)
      expect(url).toMatch(/^wss:\/\/acme\.eu\.qlikcloud\.com\/app\/app-1\/identity\/oem-[0-9a-f-]{36}$/);
    expect(t.harness.urls[0]).not.toBe(t.harness.urls[1]);
    expect(t.harness.engine.sessionCount).toBe(0);
  });

  it('lists and creates connections through the engine', async () => {
    await withApp(t.options, 'app-1', async (doc) => {
      const id = await createConnection(doc, {
        name: 'Customer 7',
        connectionString: 'host=c7',
        type: 'folder',
        password: 'p4ss',
      });
      const connections = await listConnections(doc);
      expect(connections.map((connection) => connection.name).sort()).toEqual([
        'Customer 42',
        'Customer 7',
        'Template data',
      ]);
      expect(connections.find((connection) => connection.name === 'Customer 7')?.id).toBe(id);
      await expect(
        createConnection(doc, { name: 'Customer 7', connectionString: 'x', type: 'folder' }),
      ).rejects.toMatchObject({
        name: 'EngineRpcError',
        code: 2000,
        method: 'CreateConnection',
      });
    });
  });

  it('turns a rejected upgrade into typed errors with the HTTP status', async () => {
    const wrongToken = openApp({ ...t.options, auth: staticToken('wrong') }, 'app-1');
    await expect(wrongToken).rejects.toSatisfy(isQlikAuthError);
    await expect(wrongToken).rejects.toMatchObject({ status: 401 });
    await expect(wrongToken).rejects.not.toThrow(/wrong/); // the token never appears in the error
    expect(inspect(await wrongToken.catch((error: unknown) => error))).not.toContain('wrong');
    const missingApp = openApp(t.options, 'no-such-app');
    await expect(missingApp).rejects.toSatisfy(isQlikNotFoundError);
    await expect(missingApp).rejects.toMatchObject({ status: 404 });
  });

  it('reports a socket that cannot be created as EngineConnectError and frees the slot', async () => {
    const limiter = new SessionLimiter();
    const broken = {
      ...t.options,
      sessionLimiter: limiter,
      createSocket: () => {
        throw new Error('no route to engine');
      },
    };
    await expect(openApp(broken, 'app-1')).rejects.toMatchObject({
      name: 'EngineConnectError',
      message: expect.stringContaining('no route to engine'),
    });
    expect(limiter.active('cloud|acme.eu.qlikcloud.com|static:test')).toBe(0);
  });

  it('rejects bad options before any network call', async () => {
    await expect(openApp({ ...t.options, host: 'https://acme' }, 'app-1')).rejects.toSatisfy(isQlikValidationError);
    await expect(openApp(t.options, '')).rejects.toSatisfy(isQlikValidationError);
    expect(t.harness.urls).toHaveLength(0);
  });

  it('maps engine error frames to EngineRpcError', async () => {
    const session = await openEngine(t.options);
    try {
      const error = await session.global.openDoc('app-1').then(
        () => undefined,
        (caught: unknown) => caught,
      );
      // engineData sessions may open any visible app; a second OpenDoc in the same session is refused.
      expect(error).toBeUndefined();
      await expect(session.global.openDoc('app-1')).rejects.toBeInstanceOf(EngineRpcError);
      await expect(session.global.openDoc('app-1')).rejects.toMatchObject({ code: 1002, method: 'OpenDoc' });
    } finally {
      await session.close();
    }
  });

  it('rejects pending calls when the server closes the socket mid-call', async () => {
    const session = await openApp(t.options, 'app-1');
    const pending = session.doc.doReload(0, false, false);
    setTimeout(() => t.harness.engine.close(), 30);
    const error = await pending.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isEngineSessionClosedError(error)).toBe(true);
    expect(error).toMatchObject({ closeCode: 1001 });
    await expect(session.doc.getScript()).rejects.toSatisfy(isEngineSessionClosedError);
    await session.close();
  });

  it('names the close code when the engine terminates the session', async () => {
    const session = await openApp(t.options, 'app-1');
    const pending = session.doc.doReload(0, false, false);
    setTimeout(() => t.harness.engine.close(4003, 'Engine terminating'), 30);
    const error = await pending.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      name: 'EngineSessionClosedError',
      closeCode: 4003,
      closeReason: 'Engine terminating',
    });
    expect((error as Error).message).toContain('engine terminating');
    await session.close();
  });

  it('turns a fatal proxy notification into EngineSessionClosedError, even without a close', async () => {
    const session = await openApp(t.options, 'app-1');
    const pending = session.doc.doReload(0, false, false);
    setTimeout(
      () =>
        t.harness.engine.notifyAll('OnSessionTimedOut', {
          severity: 'fatal',
          timestamp: 'now',
          message: 'Session timed out',
        }),
      30,
    );
    const error = await pending.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      name: 'EngineSessionClosedError',
      notification: { method: 'OnSessionTimedOut', message: 'Session timed out', severity: 'fatal' },
    });
    await session.close();
  });

  it('connects through a QSEoW JWT virtual proxy with the JWT as bearer', async () => {
    await t.harness.close();
    t.harness = await startEngine({
      tokens: { 'signed.jwt.value': { tenant: 'qlik.customer.example', userId: 'CORP\\svc', flavor: 'qseow' } },
      apps: [{ id: 'app-9', name: 'App', tenant: 'qlik.customer.example', script: 'LOAD 1 AS x AUTOGENERATE 1;' }],
    });
    const proxied = {
      platform: 'qseow' as const,
      host: 'qlik.customer.example',
      virtualProxy: 'jwt',
      auth: staticToken('signed.jwt.value'),
      createSocket: t.harness.createSocket,
      sessionLimiter: new SessionLimiter(),
    };
    const script = await withApp(proxied, 'app-9', (doc) => getScript(doc));
    expect(script).toBe('LOAD 1 AS x AUTOGENERATE 1;');
    expect(t.harness.urls[0]).toMatch(/^wss:\/\/qlik\.customer\.example\/jwt\/app\/app-9\/identity\/oem-/);
  });

  it('opens a session app, reloads it, and refuses to save it', async () => {
    await withApp(t.options, 'SessionApp_job-7', async (doc) => {
      expect(doc.id).toBe('SessionApp_job-7');
      await setScript(doc, "LIB CONNECT TO 'Customer 42';");
      await expect(reload(doc, { pollIntervalMs: 20 })).resolves.toMatchObject({
        log: expect.stringContaining("Connecting to 'Customer 42'"),
      });
      await expect(save(doc)).rejects.toMatchObject({ name: 'EngineRpcError', code: 1005 });
    });
  });

  it('setScript validates its input', async () => {
    await withApp(t.options, 'app-1', async (doc) => {
      await expect(setScript(doc, 42 as unknown as string)).rejects.toSatisfy(isQlikValidationError);
    });
  });
});
