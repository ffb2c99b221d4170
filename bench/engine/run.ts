/**
 * The simulated engine against the work it replaces, through the path a partner's hydrate uses:
 * 1,000,000 order rows in PostgreSQL (the simulator's embedded PGlite) reloaded over REST by the
 * app's load script (`LIB CONNECT TO` a data connection, `SQL SELECT`, run by the interpreter), then
 * summed by two dimensions in a hypercube session object over QIX (enigma.js). Each is timed next to
 * the same work done by the raw driver query plus a plain JavaScript group-by, in the same run; the
 * engine's memory for the rows (app data plus data model) is set against the raw result set's.
 *
 *   npx tsx bench/engine/run.ts [--rows 1000000] [--reloads 3] [--rounds 9]
 *   BENCH_ENGINE_ROWS=100000 npx tsx bench/engine/run.ts      # a quick run
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import enigma from 'enigma.js';
import schema from 'enigma.js/schemas/12.2027.0.json' with { type: 'json' };
import { createManualClock, startSimulator, type StateFile } from '../../packages/simulator/src/index.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: process.env.BENCH_ENGINE_ROWS ?? '1000000' },
    reloads: { type: 'string', default: process.env.BENCH_ENGINE_RELOADS ?? '3' },
    rounds: { type: 'string', default: '9' },
  },
});
const rows = Number(values.rows);
const reloads = Number(values.reloads);
const rounds = Number(values.rounds);
for (const [name, value] of Object.entries({ rows, reloads, rounds })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
}

// A collectable heap for the memory figures (as `node --expose-gc` gives it, without asking for node flags).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** The JavaScript heap plus array buffers (typed arrays' storage; PGlite's WebAssembly memory), after full GCs. */
const heap = (): number => {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

const HOST = 'bench.eu.qlikcloud.com';
const BASE = `https://${HOST}`;
const CLIENT = { client_id: 'bench-engine', client_secret: 'bench-engine-secret' };
const TABLE_SQL = `CREATE TABLE orders AS SELECT 'R' || (i % 10) AS region, 'P' || (i * 7 % 100) AS product,
  round(((i * 7919) % 100000) / 100.0, 2)::float8 AS amount FROM generate_series(1::bigint, ${rows}::bigint) AS i`;
const QUERY = 'SELECT region, product, amount FROM orders';
/** The app's load script: what a hydrated customer app runs against the customer's database. */
const SCRIPT = ["LIB CONNECT TO 'Orders DB';", 'Orders:', `SQL ${QUERY};`, 'DISCONNECT;', ''].join('\n');
const APPS = { seed: 'bench-seed', timed: 'bench-orders', memory: 'bench-orders-memory' };
/**
 * The hypercube, titled by round: the engine keeps a computed cube per selection state and definition
 * (a layout and the pages after it read one computation), so each round's cube is computed afresh.
 */
const cubeOf = (round: number) => ({
  qInfo: { qType: 'bench-cube' },
  qHyperCubeDef: {
    qTitle: `round ${round}`,
    qDimensions: [{ qDef: { qFieldDefs: ['region'] } }, { qDef: { qFieldDefs: ['product'] } }],
    qMeasures: [{ qDef: { qDef: 'Sum(amount)' } }],
    qInitialDataFetch: [],
  },
});

const state: StateFile = {
  regions: ['eu'],
  tenants: [
    {
      hostname: HOST,
      region: 'eu',
      spaces: [{ name: 'Bench', type: 'shared' }],
      apps: [
        {
          id: APPS.seed,
          name: 'Seed',
          space: 'Bench',
          script: SCRIPT.replace(QUERY, 'SELECT count(*) AS n FROM orders'),
        },
        { id: APPS.timed, name: 'Orders', space: 'Bench', script: SCRIPT },
        { id: APPS.memory, name: 'Orders (memory)', space: 'Bench', script: SCRIPT },
      ],
      connections: [
        {
          name: 'Orders DB',
          type: 'postgres',
          space: 'Bench',
          connectStatement: 'host=orders-db.bench.example;database=bench',
        },
      ],
    },
  ],
  databases: [{ host: 'orders-db.bench.example', database: 'bench', seed: { sql: TABLE_SQL } }],
  oauthClients: [
    { ...{ clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret }, tenant: HOST, scopes: ['admin_classic'] },
  ],
};

const median = (numbers: number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const timed = async <T>(work: () => T | Promise<T>): Promise<{ ms: number; value: T }> => {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
};

type Row = [region: string, product: string, amount: number];

/** The baseline's group-by: one Map entry per region|product, the amounts summed. */
function groupBy(result: readonly Row[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const [region, product, amount] of result) {
    const key = `${region}|${product}`;
    sums.set(key, (sums.get(key) ?? 0) + amount);
  }
  return sums;
}
const total = (sums: Map<string, number>): number => [...sums.values()].reduce((sum, value) => sum + value, 0);

// The simulator on a manual clock: a reload leaves the queue when the clock is moved on, and its run
// (the script, the SQL, the model's tables) is awaited by the next read, so no simulated waits are timed.
const clock = createManualClock();
const sim = await startSimulator({ state, clock, latency: false, rateLimits: false });
const tokenResponse = await sim.nodeFetch(`${BASE}/oauth/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ ...CLIENT, grant_type: 'client_credentials' }),
});
const { access_token: token } = (await tokenResponse.json()) as { access_token: string };

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const send = () =>
    sim.nodeFetch(`${BASE}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  // After a long baseline query, the kept-alive socket undici picks may be one the server is closing
  // as idle: a GET is sent again on a fresh one (reload() sends a GET before its POST for the same reason).
  const response = await send().catch((error: unknown) => {
    if (method === 'GET') return send();
    throw error;
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A REST reload (POST /reloads, then GET until it has ended), as a partner's hydrate reloads an app. */
async function reload(appId: string): Promise<void> {
  await api('GET', `/api/v1/apps/${appId}`);
  const { id } = await api<{ id: string }>('POST', '/api/v1/reloads', { appId });
  for (;;) {
    clock.advance(10_000);
    const { status, log } = await api<{ status: string; log: string }>('GET', `/api/v1/reloads/${id}`);
    if (status === 'SUCCEEDED') return;
    if (status !== 'QUEUED' && status !== 'RELOADING') throw new Error(`reload ${status}:\n${log}`);
  }
}

/** The parts of enigma.js's Doc and GenericObject the bench calls. */
interface Doc {
  createSessionObject(properties: unknown): Promise<CubeObject>;
  destroySessionObject(id: string): Promise<boolean>;
}
interface CubeObject {
  getLayout(): Promise<{ qInfo: { qId: string }; qHyperCube: { qSize: { qcy: number } } }>;
  getHyperCubeData(path: string, pages: unknown[]): Promise<{ qMatrix: { qNum: number }[][] }[]>;
}

async function openDoc(appId: string): Promise<{ doc: Doc; close: () => Promise<void> }> {
  const session = enigma.create({
    schema,
    url: `wss://${HOST}/app/${appId}`,
    createSocket: (url: string) =>
      sim.createSocket(url, { headers: { authorization: `Bearer ${token}` } }) as unknown as WebSocket,
  });
  const global = (await session.open()) as unknown as { openDoc(id: string): Promise<Doc> };
  const doc = await global.openDoc(appId);
  return { doc, close: () => session.close() };
}

/** A two-dimension hypercube session object with Sum(amount), every page read; the sum of its cells. */
async function cubeTotal(doc: Doc, round: number): Promise<number> {
  const cube = await doc.createSessionObject(cubeOf(round));
  const layout = await cube.getLayout();
  const { qcy } = layout.qHyperCube.qSize;
  let sum = 0;
  for (let top = 0; top < qcy; top += 3000) {
    const [page] = await cube.getHyperCubeData('/qHyperCubeDef', [
      { qTop: top, qLeft: 0, qWidth: 3, qHeight: Math.min(3000, qcy - top) },
    ]);
    for (const row of page!.qMatrix) sum += row[2]!.qNum;
  }
  await doc.destroySessionObject(layout.qInfo.qId);
  return sum;
}

const raw = new PGlite();
console.log(`creating ${rows.toLocaleString('en')} orders in PGlite (the simulator's and the baseline's)...`);
await raw.exec(TABLE_SQL);
const rawQuery = async () => (await raw.query<Row>(QUERY, [], { rowMode: 'array' })).rows;
// The embedded database is seeded on its first statement: a reload that counts the rows, untimed.
await reload(APPS.seed);
await rawQuery();

// Reload: the REST reload (script, SQL, tables kept with the app) vs the driver query + group-by.
const reloadRatios: number[] = [];
for (let round = 0; round < reloads; round++) {
  const engine = () => timed(() => reload(APPS.timed));
  const baseline = () => timed(async () => groupBy(await rawQuery()));
  const [first, second] = round % 2 === 0 ? [engine, baseline] : [baseline, engine];
  const a = await first();
  const b = await second();
  const [engineRun, rawRun] = round % 2 === 0 ? [a, b] : [b, a];
  reloadRatios.push(engineRun.ms / rawRun.ms);
  console.log(
    `reload ${round + 1}: engine ${engineRun.ms.toFixed(0)} ms, raw query + group-by ${rawRun.ms.toFixed(0)} ms`,
  );
}

// Hypercube over QIX vs the plain group-by over the query's rows held in memory. The first hypercube
// after the reload also builds the app's data model; it is reported apart and not in the median.
let rawRows = await rawQuery();
const expected = total(groupBy(rawRows));
const { doc, close } = await openDoc(APPS.timed);
const first = await timed(() => cubeTotal(doc, -1));
const cubeRatios: number[] = [];
for (let round = 0; round < rounds; round++) {
  const engine = () => timed(() => cubeTotal(doc, round));
  const baseline = () => timed(() => total(groupBy(rawRows)));
  const [a, b] = round % 2 === 0 ? [await engine(), await baseline()] : [await baseline(), await engine()];
  const [engineRun, rawRun] = round % 2 === 0 ? [a, b] : [b, a];
  for (const sum of [first.value, engineRun.value])
    if (Math.abs(sum - expected) > 1e-6 * Math.abs(expected))
      throw new Error('the hypercube disagrees with the group-by');
  cubeRatios.push(engineRun.ms / rawRun.ms);
}
const groupByMs = median(
  await Promise.all(Array.from({ length: 3 }, async () => (await timed(() => total(groupBy(rawRows)))).ms)),
);
await close();

// Memory: the engine's (the app's tables after a reload, plus the data model a hypercube builds) and
// the raw result set's, each as the growth of the heap and array buffers after full GCs. PGlite's
// WebAssembly memory has reached its size in the rounds above, so it does not grow here.
rawRows = [];
await raw.query('SELECT 1'); // PGlite keeps its last result until the next query
const beforeEngine = heap();
await reload(APPS.memory);
const held = await openDoc(APPS.memory);
await cubeTotal(held.doc, -1);
const engineBytes = heap() - beforeEngine;
await held.close();
const beforeRaw = heap();
const rawHeld = await rawQuery();
const rawBytes = heap() - beforeRaw;
const rawCount = rawHeld.length;

if (sim.violations.length > 0) throw new Error(`spec violations: ${JSON.stringify(sim.violations)}`);
await sim.close();
await raw.close();

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const report = {
  rows,
  reloadRatio: median(reloadRatios),
  hypercubeRatio: median(cubeRatios),
  firstHypercubeMs: Math.round(first.ms),
  groupByMs: Math.round(groupByMs),
  memoryRatio: engineBytes / rawBytes,
};
console.log(`raw result set ${mb(rawBytes)} (${rawCount} rows), engine (app data + model) ${mb(engineBytes)}`);
console.log(
  `first hypercube after the reload (builds the model): ${report.firstHypercubeMs} ms; group-by ${report.groupByMs} ms`,
);
console.log(`reload    engine / (query + group-by): ${report.reloadRatio.toFixed(2)} (target <= 2.0)`);
console.log(`hypercube engine / group-by:           ${report.hypercubeRatio.toFixed(2)} (target <= 1.0)`);
console.log(`memory    engine / raw result set:     ${report.memoryRatio.toFixed(2)} (target <= 0.5)`);
console.log(JSON.stringify(report));
