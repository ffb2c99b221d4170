/**
 * Qlik's own clients over data the engine really loaded: the default template app reloaded through QIX
 * (DoReload: its script's SQL over the customer database, a mapping, section access), then @qlik/api's qix
 * `openAppSession` and raw enigma.js each read the app layout, a hypercube session object and a list object,
 * select in the list and read again, and agree on every number.
 */
import { qix } from '@qlik/api';
import enigma from 'enigma.js';
import schema from 'enigma.js/schemas/12.2027.0.json' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformanceTarget, type ConformanceTarget } from './setup.js';

let target: ConformanceTarget;
const socketFor = (url: string) =>
  target.sim.createSocket(url, { headers: { authorization: `Bearer ${target.accessToken}` } });

function enigmaSession() {
  return enigma.create({
    schema,
    url: `wss://${target.host}/app/${target.appId}`,
    createSocket: (url: string) => socketFor(url) as unknown as WebSocket,
  });
}

beforeAll(async () => {
  target = await startConformanceTarget();
  const session = enigmaSession();
  try {
    const global: any = await session.open();
    const doc: any = await global.openDoc(target.appId);
    expect(await doc.doReload(0, false, false)).toBe(true);
    await doc.doSave();
  } finally {
    await session.close();
  }
}, 120_000);
afterAll(async () => {
  expect(target?.sim.violations ?? []).toEqual([]);
  await target?.close();
});

const CHART = {
  qInfo: { qType: 'table' },
  qHyperCubeDef: {
    qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }],
    qMeasures: [{ qDef: { qDef: 'Sum(Amount)' } }, { qDef: { qDef: 'Count(OrderID)' } }],
    qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 3, qHeight: 50 }],
  },
};
const FILTER = {
  qInfo: { qType: 'filterpane' },
  qListObjectDef: {
    qDef: { qFieldDefs: ['REGION'] },
    qShowAlternatives: true,
    qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 50 }],
  },
};
type Row = [region: string, amount: number, orders: number];
const rowsOf = (page: any): Row[] =>
  page.qMatrix
    .map(([region, amount, orders]: any[]) => [region.qText, amount.qNum, orders.qNum] as Row)
    .sort((a: Row, b: Row) => a[0].localeCompare(b[0]));
const states = (page: any): string[] => page.qMatrix.map(([cell]: any[]) => `${cell.qText}:${cell.qState}`).sort();

/** The same flow for either client; returns what it read so the two clients can be compared. */
async function readLoadedData(doc: any) {
  const layout = await doc.getAppLayout();
  expect(layout).toMatchObject({ qTitle: 'Customer Analytics Template', qHasScript: true });
  const chart = await doc.createSessionObject(CHART);
  const filter = await doc.createSessionObject(FILTER);
  const cube = (await chart.getLayout()).qHyperCube;
  const all = rowsOf(cube.qDataPages[0]);
  expect(all.map(([region]) => region)).toEqual(['NORTH', 'SOUTH']);
  for (const [, amount, orders] of all) {
    expect(orders).toBeGreaterThan(0);
    expect(amount).toBeGreaterThan(0);
  }
  // The grand total is the sum of the rows, and Evaluate computes the same aggregation.
  const [totalAmount, totalOrders] = cube.qGrandTotalRow.map((cell: any) => cell.qNum);
  expect(totalOrders).toBe(all[0]![2] + all[1]![2]);
  expect(totalAmount).toBeCloseTo(all[0]![1] + all[1]![1], 6);
  expect(Number(await doc.evaluate('Count(OrderID)'))).toBe(totalOrders);
  expect(states((await filter.getLayout()).qListObject.qDataPages[0])).toEqual(['NORTH:O', 'SOUTH:O']);

  // Select NORTH in the list object: the chart keeps only NORTH's row, the list shows SOUTH as alternative.
  const north = (await filter.getLayout()).qListObject.qDataPages[0].qMatrix.find(
    ([cell]: any[]) => cell.qText === 'NORTH',
  )[0].qElemNumber;
  expect(await filter.selectListObjectValues('/qListObjectDef', [north], false)).toBe(true);
  const [page] = await chart.getHyperCubeData('/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: 3, qHeight: 50 }]);
  expect(rowsOf(page)).toEqual([all[0]]);
  const [filtered] = await filter.getListObjectData('/qListObjectDef', [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 50 }]);
  expect(states(filtered)).toEqual(['NORTH:S', 'SOUTH:A']);
  return { all, totalAmount, totalOrders };
}

describe("Qlik's clients over the template app after a QIX reload", () => {
  it("@qlik/api's qix openAppSession and raw enigma.js read the same loaded numbers", async () => {
    const hostConfig = {
      authType: 'apikey',
      host: target.host,
      apiKey: target.accessToken,
      createWebSocket: socketFor,
    };
    const session = qix.openAppSession({ appId: target.appId, hostConfig: hostConfig as never });
    let viaQlikApi;
    try {
      viaQlikApi = await readLoadedData(await session.getDoc());
    } finally {
      await session.close();
    }

    const raw = enigmaSession();
    try {
      const doc = await ((await raw.open()) as any).openDoc(target.appId);
      expect(await readLoadedData(doc)).toEqual(viaQlikApi);
    } finally {
      await raw.close();
    }
  }, 60_000);
});
