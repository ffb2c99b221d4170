import { beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MemoryQixBackend, parseEnginePath, type QixEngine } from '../../src/qix/index.js';
import { startLoopbackEngine, type LoopbackEngine } from './loopback-engine.js';

const TENANT = 'acme.eu.qlikcloud.com';
let loopback: LoopbackEngine;
let engine: QixEngine;
let port: number;

beforeEach(async () => {
  const backend = new MemoryQixBackend({
    tokens: { good: { tenant: TENANT, userId: 'bot' } },
    apps: [{ id: 'app-1', name: 'App', tenant: TENANT, script: "LIB CONNECT TO 'Db';" }],
    connections: [{ tenant: TENANT, name: 'Db', connectionString: 'x', type: 'folder' }],
  });
  loopback = await startLoopbackEngine(backend, { reloadDurationMs: 150, maxParallelSessionsPerUser: 2 });
  ({ engine, port } = loopback);
  return () => loopback.close();
});

/** A raw JSON-RPC client: records every frame, and `call` waits for the reply with its id. */
async function connect(path = '/app/app-1', token = 'good') {
  const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, {
    headers: { host: TENANT, authorization: `Bearer ${token}` },
  });
  const frames: any[] = [];
  const waiters = new Map<number, (frame: any) => void>();
  socket.on('message', (data) => {
    const frame = JSON.parse((data as Buffer).toString('utf8'));
    frames.push(frame);
    waiters.get(frame.id)?.(frame);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let nextId = 1;
  const call = (handle: number, method: string, params: unknown = []): Promise<any> => {
    const id = nextId++;
    const reply = new Promise<any>((resolve) => waiters.set(id, resolve));
    socket.send(JSON.stringify({ jsonrpc: '2.0', id, handle, method, params, delta: true }));
    return reply;
  };
  return { socket, frames, call, sendRaw: (text: string) => socket.send(text) };
}

function upgradeStatus(path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, {
      headers: { host: TENANT, authorization: `Bearer ${token}` },
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => reject(new Error('upgrade accepted')));
    socket.on('error', () => undefined);
  });
}

describe('QIX JSON-RPC protocol', () => {
  it('sends OnConnected first and numbers object handles from 1', async () => {
    const client = await connect('/app/app-1/identity/job-1');
    const opened = await client.call(-1, 'OpenDoc', ['app-1']);
    expect(client.frames[0]).toEqual({
      jsonrpc: '2.0',
      method: 'OnConnected',
      params: { qSessionState: 'SESSION_CREATED' },
    });
    expect(opened).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { qReturn: { qType: 'Doc', qHandle: 1, qGenericType: '', qGenericId: 'app-1' } },
    });
    // Replies are plain even though the request asked for delta.
    expect(opened.delta).toBeUndefined();
    const active = await client.call(-1, 'GetActiveDoc');
    expect(active.result.qReturn.qHandle).toBe(1);
    expect((await client.call(1, 'GetScript')).result).toEqual({ qScript: "LIB CONNECT TO 'Db';" });
    // Named parameters are accepted too.
    const set = await client.call(1, 'SetScript', { qScript: 'LOAD 1 AS x AUTOGENERATE 1;' });
    expect(set).toEqual({ jsonrpc: '2.0', id: 4, result: {}, change: [1] });
    client.socket.close();
  });

  it('answers unknown methods, bad parameters and unknown handles with JSON-RPC errors', async () => {
    const client = await connect();
    expect((await client.call(-1, 'NoSuchMethod')).error).toMatchObject({ code: -32601 });
    expect((await client.call(-1, 'OpenDoc', [42])).error).toMatchObject({ code: -32602, parameter: 'qDocName' });
    expect((await client.call(-1, 'OpenDoc', { qNope: 1 })).error).toMatchObject({ code: -32602, parameter: 'qNope' });
    expect((await client.call(7, 'GetScript')).error).toMatchObject({ code: -32602 });
    expect((await client.call(-1, 'OpenDoc', ['other-app'])).error).toMatchObject({
      code: 1003,
      message: 'App not found',
    });
    client.sendRaw('{not json');
    await expect.poll(() => client.frames.at(-1)?.error?.code).toBe(-32700);
    client.socket.close();
  });

  it('checks auth and the app on the HTTP upgrade', async () => {
    expect(await upgradeStatus('/app/app-1', 'bad')).toBe(401);
    // An unknown app is not an HTTP error: the socket opens and closes with 4204, as Qlik Cloud's proxy does.
    const missing = new WebSocket(`ws://127.0.0.1:${port}/app/missing`, {
      headers: { host: TENANT, authorization: 'Bearer good' },
    });
    const closed = await new Promise<[number, string]>((resolve) =>
      missing.on('close', (code, reason) => resolve([code, reason.toString()])),
    );
    expect(closed).toEqual([4204, 'App not found']);
  });

  it('serves GetProgress while DoReload runs, and CancelReload stops it', async () => {
    const client = await connect();
    await client.call(-1, 'OpenDoc', ['app-1']);
    const reloading = client.call(1, 'DoReload', [0, false, false]); // id 2
    const during = await client.call(-1, 'GetProgress', [2]);
    expect(during.result.qProgressData).toMatchObject({
      qStarted: true,
      qFinished: false,
      qPersistentProgress: 'Started loading data',
    });
    const done = await reloading;
    expect(done.result).toEqual({ qReturn: true });
    const after = await client.call(-1, 'GetProgress', [2]);
    expect(after.result.qProgressData.qFinished).toBe(true);
    expect(after.result.qProgressData.qPersistentProgress).toContain('Finished successfully');

    const cancelled = client.call(1, 'DoReloadEx', [{ qMode: 0 }]); // id 5
    await client.call(-1, 'CancelReload', ['stop']);
    expect((await cancelled).result.qResult).toMatchObject({ qSuccess: false });
    client.socket.close();
  });

  it('enforces the parallel session limit with a fatal notification and a normal close', async () => {
    const first = await connect();
    const second = await connect();
    const third = await connect();
    const closed = await new Promise<number>((resolve) => third.socket.on('close', (code) => resolve(code)));
    expect(closed).toBe(1000);
    expect(third.frames).toEqual([
      {
        jsonrpc: '2.0',
        method: 'OnMaxParallelSessionsExceeded',
        params: expect.objectContaining({ severity: 'fatal' }),
      },
    ]);
    first.socket.close();
    second.socket.close();
  });

  it('serves app properties, infos, the engine version and session apps', async () => {
    const client = await connect('/app/app-1');
    expect((await client.call(-1, 'EngineVersion')).result).toEqual({ qVersion: { qComponentVersion: '12.2027.0' } });
    await client.call(-1, 'OpenDoc', ['app-1']);
    expect((await client.call(1, 'GetAppProperties')).result.qProp).toMatchObject({
      qTitle: 'App',
      qLastReloadTime: '',
    });
    expect((await client.call(1, 'SetAppProperties', [{ qTitle: 'Renamed' }])).change).toEqual([1]);
    expect((await client.call(1, 'GetAppProperties')).result.qProp.qTitle).toBe('Renamed');
    expect((await client.call(1, 'GetAllInfos')).result).toEqual({ qInfos: [{ qId: 'app-1', qType: 'app' }] });
    const connections = (await client.call(1, 'GetConnections')).result.qConnections;
    expect(connections).toEqual([expect.objectContaining({ qName: 'Db', qType: 'folder', qConnectionString: 'x' })]);
    expect(connections[0]).not.toHaveProperty('qPassword');
    client.socket.close();

    const session = await connect('/app/engineData');
    const created = await session.call(-1, 'CreateSessionApp');
    expect(created.result.qSessionAppId).toMatch(/^SessionApp_/);
    expect(created.result.qReturn).toMatchObject({ qType: 'Doc', qHandle: 1 });
    expect((await session.call(1, 'DoSave')).error).toMatchObject({ code: 1005 });
    session.socket.close();
  });

  it('closes sessions with a chosen code', async () => {
    const client = await connect();
    const closed = new Promise<number>((resolve) => client.socket.on('close', (code) => resolve(code)));
    engine.close(4003, 'Engine terminating');
    expect(await closed).toBe(4003);
  });

  it('parses engine paths', () => {
    expect(parseEnginePath('/app/engineData')).toEqual({ appId: undefined, identity: undefined });
    expect(parseEnginePath('/jwt/app/a%20b/identity/x?reloadUri=y')).toEqual({ appId: 'a b', identity: 'x' });
    expect(parseEnginePath('/app/a/ttl/30')).toEqual({ appId: 'a', identity: undefined });
    expect(parseEnginePath('/api/v1/apps')).toBeUndefined();
  });
});

describe('QIX generic objects', () => {
  it('creates, lists, lays out and destroys objects; DoSave persists the stored ones', async () => {
    const client = await connect();
    await client.call(-1, 'OpenDoc', ['app-1']);
    expect((await client.call(-1, 'GetAuthenticatedUser')).result).toEqual({ qReturn: 'UserDirectory=; UserId=bot' });
    const sheet = await client.call(1, 'CreateObject', [
      { qInfo: { qId: 'sheet-1', qType: 'sheet' }, qMetaDef: { title: 'Overview' }, cells: [{ name: 'chart-1' }] },
    ]);
    expect(sheet.result).toEqual({
      qReturn: { qType: 'GenericObject', qHandle: 2, qGenericType: 'sheet', qGenericId: 'sheet-1' },
      qInfo: { qId: 'sheet-1', qType: 'sheet' },
    });
    await client.call(1, 'CreateObject', [{ qInfo: { qId: 'chart-1', qType: 'barchart' }, visualization: 'barchart' }]);
    const list = await client.call(1, 'CreateSessionObject', [
      {
        qInfo: { qId: 'SheetList', qType: 'SheetList' },
        qAppObjectListDef: { qType: 'sheet', qData: { title: '/qMetaDef/title', cells: '/cells', rank: '/rank' } },
      },
    ]);
    const listLayout = (await client.call(list.result.qReturn.qHandle, 'GetLayout')).result.qLayout;
    expect(listLayout.qAppObjectList.qItems).toEqual([
      expect.objectContaining({
        qInfo: { qId: 'sheet-1', qType: 'sheet' },
        qMeta: expect.objectContaining({ title: 'Overview' }),
        qData: { title: 'Overview', cells: [{ name: 'chart-1' }], rank: null },
      }),
    ]);
    // The same object is the same handle; a missing one is a null handle (enigma.js: "Object not found").
    expect((await client.call(1, 'GetObject', ['sheet-1'])).result.qReturn.qHandle).toBe(2);
    expect((await client.call(1, 'GetObject', ['nope'])).result.qReturn).toMatchObject({ qHandle: null, qType: null });
    const changed = await client.call(2, 'SetProperties', [
      { qInfo: { qId: 'sheet-1', qType: 'sheet' }, qMetaDef: { title: 'Renamed' }, cells: [] },
    ]);
    expect(changed.change).toEqual([2]);
    expect((await client.call(2, 'GetProperties')).result.qProp.qMetaDef).toEqual({ title: 'Renamed' });
    const objects = (await client.call(1, 'GetObjects', [{ qTypes: ['sheet'] }])).result.qList;
    expect(objects.map((o: any) => o.qInfo.qId)).toEqual(['sheet-1']);
    // A schema method the simulator does not serve is -32601, as an unknown one is.
    expect((await client.call(2, 'Approve')).error).toMatchObject({ code: -32601 });
    expect((await client.call(1, 'DoSave')).error).toBeUndefined();
    const destroyed = await client.call(1, 'DestroyObject', ['chart-1']);
    expect(destroyed.result).toEqual({ qSuccess: true });
    expect(destroyed.close).toEqual([3]);
    client.socket.close();
    await new Promise((resolve) => client.socket.once('close', resolve));

    // A new session sees what was saved, not the unsaved destroy.
    const again = await connect();
    await again.call(-1, 'OpenDoc', ['app-1']);
    const saved = (await again.call(1, 'GetObjects', [{ qTypes: [] }])).result.qList.map((o: any) => o.qInfo.qId);
    expect(saved.sort()).toEqual(['chart-1', 'sheet-1']);
    expect(saved).not.toContain('SheetList');
    again.socket.close();
  });
});
