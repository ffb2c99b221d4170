/**
 * Qlik's own clients over the simulated engine's data model: @qlik/api's qix `openAppSession` and raw
 * enigma.js each read a hypercube session object and a list object, select in them and read again.
 * The engine serves an app whose data is a small star schema (customers, orders, products).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { qix } from '@qlik/api';
import { createQixEngine, MemoryQixBackend, type LoadedData, type QixEngine } from '@qlik-oem/simulator';
import enigma from 'enigma.js';
import schema from 'enigma.js/schemas/12.2027.0.json' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const HOST = 'acme.eu.qlikcloud.com';
const TOKEN = 'conformance-token';
const DATA: LoadedData = {
  tables: [
    {
      name: 'Customers',
      fields: ['CustomerID', 'Customer', 'Region'],
      rows: [
        [1, 'Acme', 'North'],
        [2, 'Beta', 'South'],
        [3, 'Corp', 'North'],
      ],
    },
    {
      name: 'Orders',
      fields: ['OrderID', 'CustomerID', 'Amount'],
      rows: [
        [10, 1, 100],
        [11, 1, 50],
        [12, 2, 70],
        [13, 3, 30],
      ],
    },
  ],
};

let server: Server;
let engine: QixEngine;
let port: number;
beforeAll(async () => {
  const backend = new MemoryQixBackend({
    tokens: { [TOKEN]: { tenant: HOST, userId: 'analyst' } },
    apps: [{ id: 'sales', name: 'Sales', tenant: HOST, script: '', data: DATA }],
  });
  engine = createQixEngine({ backend });
  server = createServer();
  server.on('upgrade', (request, socket, head) => {
    if (!engine.handleUpgrade(request, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  engine?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A socket to the loopback engine for a wss://<HOST>/app/... URL a client built. */
const socketFor = (url: string) =>
  new WebSocket(url.replace(/^wss?:\/\/[^/]+/, `ws://127.0.0.1:${port}`), {
    headers: { host: HOST, authorization: `Bearer ${TOKEN}` },
  });

const CHART = {
  qInfo: { qType: 'table' },
  qHyperCubeDef: {
    qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }, { qDef: { qFieldDefs: ['Customer'] } }],
    qMeasures: [{ qDef: { qDef: 'Sum(Amount)' } }, { qDef: { qDef: 'Count(DISTINCT OrderID)' } }],
    qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 4, qHeight: 50 }],
  },
};
const FILTER = {
  qInfo: { qType: 'filterpane' },
  qListObjectDef: {
    qDef: { qFieldDefs: ['Region'] },
    qShowAlternatives: true,
    qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 50 }],
  },
};
const texts = (page: any) => page.qMatrix.map((row: any[]) => row.map((cell) => cell.qText));
const states = (page: any) => page.qMatrix.map(([cell]: any[]) => `${cell.qText}:${cell.qState}`);

/** The same flow for either client: a chart and a filter, select North in the filter, read again. */
async function chartAndFilterFlow(doc: any) {
  const chart = await doc.createSessionObject(CHART);
  const filter = await doc.createSessionObject(FILTER);
  const before = (await chart.getLayout()).qHyperCube;
  expect(texts(before.qDataPages[0])).toEqual([
    ['North', 'Acme', '150', '2'],
    ['North', 'Corp', '30', '1'],
    ['South', 'Beta', '70', '1'],
  ]);
  expect(before.qGrandTotalRow.map((cell: any) => cell.qNum)).toEqual([250, 4]);
  expect(states((await filter.getLayout()).qListObject.qDataPages[0])).toEqual(['North:O', 'South:O']);

  expect(await filter.selectListObjectValues('/qListObjectDef', [0], false)).toBe(true);
  const [page] = await chart.getHyperCubeData('/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: 4, qHeight: 50 }]);
  expect(texts(page)).toEqual([
    ['North', 'Acme', '150', '2'],
    ['North', 'Corp', '30', '1'],
  ]);
  const [filtered] = await filter.getListObjectData('/qListObjectDef', [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 50 }]);
  expect(states(filtered)).toEqual(['North:S', 'South:A']);
  expect(await doc.evaluate('Sum(Amount)')).toBe('180');
}

describe("Qlik's clients over the engine's data model", () => {
  it("@qlik/api's qix openAppSession: getAppLayout, a hypercube session object and a list object", async () => {
    const hostConfig = { authType: 'apikey', host: HOST, apiKey: TOKEN, createWebSocket: socketFor };
    const session = qix.openAppSession({ appId: 'sales', hostConfig: hostConfig as never });
    try {
      const app = await session.getDoc();
      expect((await app.getAppLayout()).qTitle).toBe('Sales');
      await chartAndFilterFlow(app);
    } finally {
      await session.close();
    }
  });

  it('raw enigma.js: the same hypercube and list object', async () => {
    const session = enigma.create({
      schema,
      url: `wss://${HOST}/app/sales`,
      createSocket: (url: string) => socketFor(url) as unknown as globalThis.WebSocket,
    });
    try {
      const global: any = await session.open();
      const doc = await global.openDoc('sales');
      await chartAndFilterFlow(doc);
    } finally {
      await session.close();
    }
  });

  it("@qlik/api's withoutData (OpenDoc qNoData): the objects are there without data, while a session with data still sees it", async () => {
    const hostConfig = { authType: 'apikey', host: HOST, apiKey: TOKEN, createWebSocket: socketFor };
    // qlik.dev's example gives a session without data its own identity.
    const empty = qix.openAppSession({
      appId: 'sales',
      withoutData: true,
      identity: 'withoutdata',
      hostConfig: hostConfig as never,
    });
    const full = qix.openAppSession({ appId: 'sales', hostConfig: hostConfig as never });
    try {
      const app = await empty.getDoc();
      const layout = await app.getAppLayout();
      expect(layout).toMatchObject({ qTitle: 'Sales', qIsOpenedWithoutData: true });
      const chart = await app.createSessionObject(CHART as never);
      const cube = (await chart.getLayout()).qHyperCube!;
      expect(cube.qSize).toMatchObject({ qcy: 0 });
      expect(cube.qDataPages?.[0]?.qMatrix ?? []).toEqual([]);
      const filter = await app.createSessionObject(FILTER as never);
      expect((await filter.getLayout()).qListObject!.qDataPages?.[0]?.qMatrix ?? []).toEqual([]);

      const withData = await full.getDoc();
      expect((await withData.getAppLayout()).qIsOpenedWithoutData).toBe(false);
      await chartAndFilterFlow(withData);
    } finally {
      await empty.close();
      await full.close();
    }
  });
});
