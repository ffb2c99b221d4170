import { beforeAll, describe, expect, it } from 'vitest';
import { isQlikAuthError } from '@qlik-oem/core';
import { startSimulator, type Simulator } from '@qlik-oem/simulator';
import {
  createConnection,
  getScript,
  isReloadFailedError,
  reload,
  rewriteAppConnection,
  save,
  SessionLimiter,
  setScript,
  withApp,
  type CloudEngineOptions,
} from '../src/index.js';
import { staticToken } from './harness.js';

const HOST = 'source.eu.qlikcloud.com';
const CLIENT = { client_id: 'sim-eu-regional', client_secret: 'sim-eu-regional-secret' };

let sim: Simulator;
let token: string;
let options: CloudEngineOptions;

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await sim.nodeFetch(`https://${HOST}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  sim = await startSimulator({ strict: true, latency: false, rateLimits: false, timeScale: 20 });
  const response = await sim.nodeFetch(`https://${HOST}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...CLIENT, grant_type: 'client_credentials' }),
  });
  token = ((await response.json()) as { access_token: string }).access_token;
  options = {
    platform: 'cloud',
    host: HOST,
    auth: staticToken(token),
    createSocket: sim.createSocket,
    sessionLimiter: new SessionLimiter(),
  };
  return () => sim.close();
});

describe('@qlik-oem/engine against startSimulator()', () => {
  it('hydrates an app: script and connection through the engine, reload through REST sees the saved script', async () => {
    const created = await api('POST', '/api/v1/apps', { attributes: { name: 'Template' } });
    expect(created.status).toBe(200);
    const appId = created.body.attributes.id as string;

    await withApp(options, appId, async (doc) => {
      await setScript(doc, "// template\nLIB CONNECT TO 'Template DB';\nLOAD 1 AS x AUTOGENERATE 1;\n");
      // No such connection yet: the engine reload fails with the log.
      const failure = await reload(doc, { pollIntervalMs: 20 }).catch((error: unknown) => error);
      expect(isReloadFailedError(failure)).toBe(true);
      expect((failure as Error).message).toContain("Connection 'Template DB' not found");

      await createConnection(doc, {
        name: 'Customer A',
        connectionString: 'CUSTOM CONNECT TO "provider=x;host=a"',
        type: 'folder',
      });
      await rewriteAppConnection(doc, { from: 'Template DB', to: 'Customer A' });
      const result = await reload(doc, { pollIntervalMs: 20 });
      expect(result.log).toContain("Connecting to 'Customer A'");
      await save(doc);
      expect(await getScript(doc)).toContain("LIB CONNECT TO 'Customer A';");
    });

    // The REST side sees the connection and runs the script the engine saved.
    const connections = await api('GET', '/api/v1/data-connections');
    expect(connections.body.data.map((connection: { qName: string }) => connection.qName)).toContain('Customer A');
    const queued = await api('POST', '/api/v1/reloads', { appId });
    expect(queued.status).toBe(201);
    let status = queued.body.status as string;
    for (let attempt = 0; attempt < 100 && !['SUCCEEDED', 'FAILED', 'CANCELED'].includes(status); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await api('GET', `/api/v1/reloads/${queued.body.id}`)).body.status;
    }
    expect(status).toBe('SUCCEEDED');
    expect(sim.violations).toEqual([]);
  });

  it('refuses a wrong token with a typed 401', async () => {
    const error = await withApp(
      { ...options, auth: staticToken('not-a-token') },
      'whatever',
      async () => undefined,
    ).catch((caught: unknown) => caught);
    expect(isQlikAuthError(error)).toBe(true);
    expect(error).toMatchObject({ status: 401 });
  });
});
