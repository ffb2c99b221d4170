/**
 * The simulated engine's data model against the work it replaces: 1,000,000 order rows in PGlite,
 * loaded into the model (the driver query, then symbol tables and typed-array rows) and summed by two
 * dimensions in a hypercube, each next to the same work done by the raw driver query plus a plain
 * JavaScript group-by, in the same run. Reports median ratios and the model's memory against the raw
 * result set's.
 *
 *   npx tsx bench/engine/run.ts [--rows 1000000] [--reloads 2] [--rounds 9]
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { DataModel, HyperCube, Selections } from '../../packages/simulator/src/engine/model/index.js';
import type { Cell, LoadedData } from '../../packages/simulator/src/engine/table.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    reloads: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '9' },
  },
});
const rows = Number(values.rows);
const reloads = Number(values.reloads);
const rounds = Number(values.rounds);
for (const [name, value] of Object.entries({ rows, reloads, rounds })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
}

// A collectable heap for the memory figures, without asking for node flags.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = (): number => {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

const QUERY = 'SELECT region, product, amount FROM orders';
const CUBE = {
  qDimensions: [{ qDef: { qFieldDefs: ['region'] } }, { qDef: { qFieldDefs: ['product'] } }],
  qMeasures: [{ qDef: { qDef: 'Sum(amount)' } }],
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

/** The baseline's group-by: one Map entry per region|product, the amounts summed. */
function groupBy(result: readonly (readonly Cell[])[]): Map<string, number> {
  const sums = new Map<string, number>();
  for (const [region, product, amount] of result) {
    const key = `${String(region)}|${String(product)}`;
    sums.set(key, (sums.get(key) ?? 0) + (amount as number));
  }
  return sums;
}

function loaded(result: (readonly Cell[])[]): LoadedData {
  return { tables: [{ name: 'orders', fields: ['region', 'product', 'amount'], rows: result }] };
}

function cubeTotals(model: DataModel): number {
  const cube = new HyperCube(CUBE, model, new Selections(model).inference);
  const { qcy } = cube.size;
  let total = 0;
  for (let top = 0; top < qcy; top += 3000) {
    const page = cube.page({ qTop: top, qLeft: 0, qWidth: 3, qHeight: 3000 }) as { qMatrix: { qNum: number }[][] };
    for (const row of page.qMatrix) total += row[2]!.qNum;
  }
  return total;
}

const db = new PGlite();
console.log(`creating ${rows.toLocaleString('en')} orders in PGlite...`);
await db.exec(
  `CREATE TABLE orders AS SELECT 'R' || (i % 10) AS region, 'P' || (i * 7 % 100) AS product,
     round(((i * 7919) % 100000) / 100.0, 2)::float8 AS amount FROM generate_series(1::bigint, ${rows}::bigint) AS i`,
);
const query = async () => (await db.query<Cell[]>(QUERY, [], { rowMode: 'array' })).rows;

// Reload: query + model build vs query + group-by, alternating which goes first.
const reloadRatios: number[] = [];
let model: DataModel | undefined;
for (let round = 0; round < reloads; round++) {
  const engine = async () => timed(async () => new DataModel(loaded(await query())));
  const raw = async () => timed(async () => groupBy(await query()));
  const [first, second] = round % 2 === 0 ? [engine, raw] : [raw, engine];
  const a = await first();
  const b = await second();
  const [engineRun, rawRun] = round % 2 === 0 ? [a, b] : [b, a];
  model = engineRun.value as DataModel;
  reloadRatios.push(engineRun.ms / rawRun.ms);
  console.log(
    `reload ${round + 1}: engine ${engineRun.ms.toFixed(0)} ms, raw query + group-by ${rawRun.ms.toFixed(0)} ms`,
  );
}

// Hypercube over the model vs the plain group-by over the raw rows held in memory.
let rawRows = await query();
const expected = [...groupBy(rawRows).values()].reduce((sum, value) => sum + value, 0);
const cubeRatios: number[] = [];
for (let round = 0; round < rounds; round++) {
  const engine = () => timed(() => cubeTotals(model!));
  const raw = () => timed(() => [...groupBy(rawRows).values()].reduce((sum, value) => sum + value, 0));
  const [a, b] = round % 2 === 0 ? [await engine(), await raw()] : [await raw(), await engine()];
  const [engineRun, rawRun] = round % 2 === 0 ? [a, b] : [b, a];
  if (Math.abs(engineRun.value - expected) > 1e-6 * Math.abs(expected))
    throw new Error('the hypercube disagrees with the group-by');
  cubeRatios.push(engineRun.ms / rawRun.ms);
}

// Memory: the raw result set held, then the model alone. PGlite keeps its last result until the next
// query, so a trivial query releases it before each reading.
rawRows = [];
model = undefined;
const release = () => db.query('SELECT 1');
await release();
const before = heap();
let held: Cell[][] | undefined = await query();
const rawBytes = heap() - before;
model = new DataModel(loaded(held));
held = undefined;
await release();
const modelBytes = heap() - before;
await db.close();

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const report = {
  rows,
  reloadRatio: median(reloadRatios),
  hypercubeRatio: median(cubeRatios),
  memoryRatio: modelBytes / rawBytes,
};
console.log(`raw result set ${mb(rawBytes)}, model ${mb(modelBytes)} (${model.tables[0]!.rowCount} rows)`);
console.log(`reload    engine / (query + group-by): ${report.reloadRatio.toFixed(2)} (target <= 2.0)`);
console.log(`hypercube engine / group-by:           ${report.hypercubeRatio.toFixed(2)} (target <= 1.0)`);
console.log(`memory    model / raw result set:      ${report.memoryRatio.toFixed(2)} (target <= 0.5)`);
console.log(JSON.stringify(report));
