// Reloads run the load script: REST reloads end FAILED with the line in the log, QIX DoReload answers
// false with the error in its progress, and a successful reload leaves the loaded tables with the app.
import enigma from 'enigma.js';
import schema from 'enigma.js/schemas/12.2027.0.json' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeQvf } from '../../src/content/qvf.js';
import { defaultStateFile, startSimulator, type Simulator } from '../../src/index.js';
import { SOURCE, tokenFor } from '../helpers.js';

const BASE = `https://${SOURCE}`;

let sim: Simulator;
let token: string;
let spaceId: string;

async function api(method: string, path: string, body?: unknown) {
  const res = await sim.fetch(`${BASE}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function appWithScript(name: string, script: string): Promise<string> {
  const bytes = encodeQvf({ name, description: '', script, properties: {}, objects: [], hasData: false });
  const res = await sim.fetch(`${BASE}/api/v1/apps/import?spaceId=${spaceId}&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  return ((await res.json()) as { attributes: { id: string } }).attributes.id;
}

/** Reloads over REST and waits for the final status (the clock runs 20x). */
async function restReload(appId: string): Promise<{ status: string; log: string }> {
  const created = await api('POST', '/api/v1/reloads', { appId });
  expect(created.status).toBe(201);
  for (;;) {
    const reload = (await api('GET', `/api/v1/reloads/${created.body.id}`)).body;
    if (!['QUEUED', 'RELOADING'].includes(reload.status)) return reload;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function openDoc(appId: string) {
  const session = enigma.create({
    schema,
    url: `wss://${SOURCE}/app/${appId}`,
    createSocket: (url: string) =>
      sim.createSocket(url, { headers: { authorization: `Bearer ${token}` } }) as unknown as globalThis.WebSocket,
  });
  const global: any = await session.open();
  const doc: any = await global.openDoc(appId);
  return { global, doc, close: () => session.close() };
}

beforeAll(async () => {
  const state = defaultStateFile();
  state.databases = [
    { host: 'locked-db.partner.example', database: 'analytics', user: 'qlik', password: 'right' },
    ...(state.databases as unknown[]),
  ];
  sim = await startSimulator({ state, strict: true, latency: false, rateLimits: false, timeScale: 20 });
  token = await tokenFor(sim, SOURCE);
  spaceId = (await api('POST', '/api/v1/spaces', { name: 'Acme', type: 'shared' })).body.id;
  const connection = { qType: 'postgres', datasourceID: 'postgres', space: spaceId };
  await api('POST', '/api/v1/data-connections', {
    ...connection,
    qName: 'Customer Data',
    qConnectStatement: 'host=acme-db.partner.example;database=analytics',
  });
  await api('POST', '/api/v1/data-connections', {
    ...connection,
    qName: 'Locked',
    qConnectStatement: 'host=locked-db.partner.example;database=analytics',
    qUsername: 'qlik',
    qPassword: 'wrong',
  });
  const form = new FormData();
  form.append('Json', JSON.stringify({ name: 'regions.csv', connectionId: spaceId }));
  form.append('File', new Blob([new TextEncoder().encode('Region,Manager\nNorth,Ann\nSouth,Bo\n')]), 'regions.csv');
  const uploaded = await sim.fetch(`${BASE}/api/v1/data-files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  expect(uploaded.status).toBe(201);
}, 120_000);
afterAll(() => sim.close());

/** What fails, the script, the failing line and statement, and the reason in the message. */
const FAILURES: [string, string, number, string, RegExp][] = [
  [
    'a syntax error',
    'SET a = 1;\nT: LOAD (1 + AS x AUTOGENERATE 1;',
    2,
    'T: LOAD (1 + AS x AUTOGENERATE 1',
    /Unexpected token/,
  ],
  [
    'an unknown field',
    'T: LOAD * INLINE [\na\n1\n];\n\nU: LOAD nope RESIDENT T;',
    6,
    'U: LOAD nope RESIDENT T',
    /Field 'nope' not found/,
  ],
  [
    'a missing file',
    "\nT: LOAD * FROM [lib://DataFiles/missing.csv] (txt, utf8, embedded labels, delimiter is ',');",
    2,
    "T: LOAD * FROM [lib://DataFiles/missing.csv] (txt, utf8, embedded labels, delimiter is ',')",
    /Cannot open file/,
  ],
  [
    'a wrong database password',
    "TRACE go;\nLIB CONNECT TO 'Locked';",
    2,
    "LIB CONNECT TO 'Locked'",
    /password authentication failed for user "qlik"/,
  ],
  [
    'a failing SQL statement',
    "LIB CONNECT TO 'Customer Data';\nT: SQL SELECT * FROM no_such_table;",
    2,
    'T: SQL SELECT * FROM no_such_table',
    /relation "no_such_table" does not exist/,
  ],
  [
    'an unsupported statement',
    'T: LOAD 1 AS a AUTOGENERATE 1;\nSTORE T INTO x.qvd;',
    2,
    'STORE T INTO x.qvd',
    /Unsupported statement/,
  ],
];

describe('reload failures carry the line and statement', { timeout: 120_000 }, () => {
  for (const [what, script, line, statement, reason] of FAILURES) {
    it(`${what}: REST FAILED with the log, QIX DoReload false with the error`, async () => {
      const appId = await appWithScript(`Fails on ${what}`, script);
      const reload = await restReload(appId);
      expect(reload.status).toBe('FAILED');
      expect(reload.log).toMatch(reason);
      expect(reload.log).toContain(`(line ${line}): ${statement}`);
      expect(reload.log).toContain('Execution failed');
      expect(reload.log).not.toContain('wrong');

      const { global, doc, close } = await openDoc(appId);
      // GetProgress takes the request id of the DoReload call, as Qlik's clients send it.
      const reloading = doc.doReload(0, false, false);
      expect(await reloading).toBe(false);
      const progress = await global.getProgress(reloading.requestId);
      const [error] = progress.qErrorData;
      expect(error.qErrorString).toMatch(reason);
      expect(error.qLine).toBe(statement);
      expect(progress.qPersistentProgress).toContain(`(line ${line}): ${statement}`);
      await close();
    });
  }
});

describe('a successful reload leaves its tables with the app', { timeout: 120_000 }, () => {
  const script = [
    "LIB CONNECT TO 'Customer Data';",
    'Orders: LOAD order_id AS OrderID, Upper(region) AS Region;',
    'SQL SELECT order_id, region FROM orders;',
    "Managers: LOAD Upper(Region) AS Region, Manager FROM [lib://DataFiles/regions.csv] (txt, utf8, embedded labels, delimiter is ',');",
  ].join('\n');

  it('over REST: SUCCEEDED, the log counts the lines, the data model sees the tables', async () => {
    const appId = await appWithScript('Loads', script);
    const reload = await restReload(appId);
    expect(reload.status).toBe('SUCCEEDED');
    expect(reload.log).toMatch(/Orders << orders\n.*\d+ Lines fetched/);
    expect(reload.log).toMatch(/Managers << regions\n.*2 Lines fetched/);
    const { doc, close } = await openDoc(appId);
    const tables = await doc.getTablesAndKeys({}, {}, 0, true, false);
    expect(tables.qtr.map((t: { qName: string }) => t.qName).sort()).toEqual(['Managers', 'Orders']);
    await close();
  });

  it('over QIX: DoReload true, then DoSave keeps the tables for the REST side', async () => {
    const appId = await appWithScript('Loads over QIX', script);
    const { doc, close } = await openDoc(appId);
    expect(await doc.doReload(0, false, false)).toBe(true);
    const tables = await doc.getTablesAndKeys({}, {}, 0, true, false);
    expect(tables.qtr.map((t: { qName: string }) => t.qName).sort()).toEqual(['Managers', 'Orders']);
    await doc.doSave();
    await close();
    const app = await api('GET', `/api/v1/apps/${appId}`);
    expect(app.body.attributes.lastReloadTime).toBeDefined();
    const reopened = await openDoc(appId);
    const again = await reopened.doc.getTablesAndKeys({}, {}, 0, true, false);
    expect(again.qtr).toHaveLength(2);
    await reopened.close();
  });
});
