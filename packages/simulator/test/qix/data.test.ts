import enigma from 'enigma.js';
import schema from 'enigma.js/schemas/12.2027.0.json' with { type: 'json' };
import { beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MemoryQixBackend, type LoadedData } from '../../src/qix/index.js';
import { SALES } from '../engine/fixtures.js';
import { startLoopbackEngine, type LoopbackEngine } from './loopback-engine.js';

const TENANT = 'acme.eu.qlikcloud.com';
let loopback: LoopbackEngine;
let port: number;

beforeEach(async () => {
  const backend = new MemoryQixBackend({
    tokens: {
      good: { tenant: TENANT, userId: 'analyst' },
      john: { tenant: TENANT, userId: 'u-john', subject: 'auth0|john' },
      linda: { tenant: TENANT, userId: 'u-linda', subject: 'auth0|linda', groups: ['Finance'] },
      stranger: { tenant: TENANT, userId: 'u-stranger', subject: 'auth0|stranger' },
    },
    apps: [
      { id: 'sales', name: 'Sales', tenant: TENANT, script: '', data: SALES },
      { id: 'secured', name: 'Secured', tenant: TENANT, script: '', data: SECURED },
      { id: 'empty', name: 'Empty', tenant: TENANT, script: '' },
    ],
  });
  loopback = await startLoopbackEngine(backend, { reloadDurationMs: 1 });
  port = loopback.port;
  return () => loopback.close();
});

/** Orders per customer, and section access: John sees ACME, the Finance group sees ACME and BETA. */
const SECURED: LoadedData = {
  tables: [
    {
      name: 'Orders',
      fields: ['CUSTOMER', 'Amount'],
      rows: [
        ['ACME', 10],
        ['ACME', 20],
        ['BETA', 30],
        ['GAMMA', 40],
      ],
    },
  ],
  sectionAccess: [
    {
      name: 'Access',
      fields: ['ACCESS', 'USERID', 'GROUP', 'CUSTOMER'],
      rows: [
        ['USER', 'AUTH0|JOHN', null, 'ACME'],
        ['USER', null, 'FINANCE', 'ACME'],
        ['USER', null, 'FINANCE', 'BETA'],
      ],
    },
  ],
};

async function openApp(appId = 'sales', token = 'good') {
  const session = enigma.create({
    schema,
    url: `ws://127.0.0.1:${port}/app/${appId}`,
    createSocket: (url: string) =>
      new WebSocket(url, {
        headers: { host: TENANT, authorization: `Bearer ${token}` },
      }) as unknown as globalThis.WebSocket,
  });
  const global: any = await session.open();
  const doc: any = await global.openDoc(appId);
  return { session, doc };
}

const CUBE = {
  qInfo: { qType: 'table' },
  qHyperCubeDef: {
    qDimensions: [{ qDef: { qFieldDefs: ['Country'] }, qNullSuppression: true }],
    qMeasures: [{ qDef: { qDef: 'Sum(Amount)', qLabel: 'Sales' }, qSortBy: { qSortByNumeric: -1 } }],
    qInterColumnSortOrder: [1, 0],
    qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 10 }],
  },
};

const rows = (page: any) => page.qMatrix.map((row: any[]) => row.map((cell) => cell.qText));

describe('QIX over the data model (enigma.js)', () => {
  it('a hypercube session object: layout, GetHyperCubeData pages, and a selection in it', async () => {
    const { session, doc } = await openApp();
    const chart = await doc.createSessionObject(CUBE);
    const layout = await chart.getLayout();
    expect(layout.qHyperCube.qSize).toEqual({ qcx: 2, qcy: 3 });
    expect(rows(layout.qHyperCube.qDataPages[0])).toEqual([
      ['SE', '50'],
      ['DE', '30'],
      ['FI', '0'],
    ]);
    expect(layout.qHyperCube.qMeasureInfo[0].qFallbackTitle).toBe('Sales');
    expect(layout.qHyperCube.qGrandTotalRow[0].qNum).toBe(81);
    const [page] = await chart.getHyperCubeData('/qHyperCubeDef', [{ qTop: 1, qLeft: 0, qWidth: 2, qHeight: 1 }]);
    expect(rows(page)).toEqual([['DE', '30']]);
    expect(page.qArea).toEqual({ qLeft: 0, qTop: 1, qWidth: 2, qHeight: 1 });

    let changed = 0;
    chart.on('changed', () => changed++);
    expect(await chart.selectHyperCubeValues('/qHyperCubeDef', 0, [page.qMatrix[0][0].qElemNumber], false)).toBe(true);
    await expect.poll(() => changed).toBe(1);
    expect(rows((await chart.getLayout()).qHyperCube.qDataPages[0])).toEqual([['DE', '30']]);
    expect(await doc.evaluate('Sum(Amount)')).toBe('30');
    await session.close();
  });

  it('a changed definition is computed anew, and two objects with one definition agree', async () => {
    const { session, doc } = await openApp();
    const chart = await doc.createSessionObject(CUBE);
    const twin = await doc.createSessionObject(CUBE);
    expect(rows((await twin.getLayout()).qHyperCube.qDataPages[0])).toEqual(
      rows((await chart.getLayout()).qHyperCube.qDataPages[0]),
    );
    const properties = await chart.getProperties();
    properties.qHyperCubeDef.qMeasures[0].qDef.qDef = 'Count(Amount)';
    await chart.setProperties(properties);
    const [page] = await chart.getHyperCubeData('/qHyperCubeDef', [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 10 }]);
    // SE's customers have four orders, DE's one, FI's none.
    expect(rows(page)).toEqual([
      ['SE', '4'],
      ['DE', '1'],
      ['FI', '0'],
    ]);
    expect(rows((await twin.getLayout()).qHyperCube.qDataPages[0])).toEqual([
      ['SE', '50'],
      ['DE', '30'],
      ['FI', '0'],
    ]);
    await session.close();
  });

  it('a list object shows states, SelectListObjectValues selects, and another session keeps its own selections', async () => {
    const first = await openApp();
    const list = await first.doc.createSessionObject({
      qInfo: { qType: 'filterpane' },
      qListObjectDef: {
        qDef: { qFieldDefs: ['Product'] },
        qShowAlternatives: true,
        qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 10 }],
      },
    });
    const before = (await list.getLayout()).qListObject;
    expect(before.qDataPages[0].qMatrix.map(([cell]: any[]) => [cell.qText, cell.qState])).toEqual([
      ['Widget', 'O'],
      ['Gadget', 'O'],
      ['Gizmo', 'O'],
    ]);
    expect(await list.selectListObjectValues('/qListObjectDef', [2], false)).toBe(true);
    const [page] = await list.getListObjectData('/qListObjectDef', [{ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 10 }]);
    expect(page.qMatrix.map(([cell]: any[]) => cell.qState)).toEqual(['A', 'A', 'S']);
    expect(await first.doc.evaluate('Only(Customer)')).toBe('Corp');

    const second = await openApp();
    expect(await second.doc.evaluate('Sum(Amount)')).toBe('81');
    await second.session.close();
    await first.session.close();
  });

  it('GetField, Field.Select/SelectValues/ToggleSelect/Clear, ClearAll and EvaluateEx', async () => {
    const { session, doc } = await openApp();
    const customer = await doc.getField('Customer');
    expect(await customer.getCardinal()).toBe(4);
    expect(await customer.select('a*')).toBe(true);
    expect(await doc.evaluate('Sum(Amount)')).toBe('30');
    expect(await customer.toggleSelect('beta')).toBe(true);
    expect(await doc.evaluate('Sum(Amount)')).toBe('60');
    expect(await customer.clear()).toBe(true);
    const amount = await doc.getField('Amount');
    expect(await amount.select('>=15')).toBe(true);
    expect(await doc.evaluate('Count(OrderID)')).toBe('3');
    expect(await amount.selectValues([{ qText: '', qIsNumeric: true, qNumber: 5 }])).toBe(true);
    expect(await doc.evaluateEx('Sum(Amount) / 2')).toEqual({ qText: '2.5', qIsNumeric: true, qNumber: 2.5 });
    await doc.clearAll();
    expect(await doc.evaluateEx('Only(Country)')).toEqual({ qText: '-', qIsNumeric: false, qNumber: 0 });
    expect(await doc.evaluate('Sum(Amount')).toMatch(/^Error: /);
    await expect(doc.getField('Nope')).rejects.toThrow();
    await session.close();
  });

  it('GetTablesAndKeys and a field list object', async () => {
    const { session, doc } = await openApp();
    const { qtr, qk } = await doc.getTablesAndKeys({ qcx: 0, qcy: 0 }, { qcx: 0, qcy: 0 }, 0, true, false);
    expect(qtr.map((table: any) => [table.qName, table.qNoOfRows])).toEqual([
      ['Customers', 4],
      ['Orders', 6],
      ['Products', 3],
    ]);
    expect(qk.map((key: any) => key.qKeyFields)).toEqual([['CustomerID'], ['ProductID']]);
    const fields = await doc.createSessionObject({ qInfo: { qType: 'FieldList' }, qFieldListDef: {} });
    const { qFieldList } = await fields.getLayout();
    expect(qFieldList.qItems.map((item: any) => [item.qName, item.qCardinal])).toEqual([
      ['CustomerID', 5],
      ['Customer', 4],
      ['Country', 3],
      ['OrderID', 6],
      ['ProductID', 3],
      ['Amount', 6],
      ['Product', 3],
    ]);
    await session.close();
  });

  it('an app without data: a hypercube over a missing field reports qError, Evaluate an error text, no tables', async () => {
    const { session, doc } = await openApp('empty');
    const chart = await doc.createSessionObject(CUBE);
    const { qHyperCube } = await chart.getLayout();
    expect(qHyperCube.qError).toMatchObject({ qErrorCode: 7000 });
    expect(qHyperCube.qSize).toEqual({ qcx: 2, qcy: 0 });
    expect(await doc.evaluate('Count(x)')).toMatch(/^Error: Field not found/);
    const { qtr } = await doc.getTablesAndKeys({ qcx: 0, qcy: 0 }, { qcx: 0, qcy: 0 }, 0, true, false);
    expect(qtr).toEqual([]);
    await session.close();
  });

  it('section access reduces the model per user at open (subject → USERID, groups → GROUP) and refuses others', async () => {
    const john = await openApp('secured', 'john');
    expect(await john.doc.evaluate('Sum(Amount)')).toBe('30');
    const customers = await john.doc.getField('CUSTOMER');
    expect(await customers.getCardinal()).toBe(1);
    const linda = await openApp('secured', 'linda');
    expect(await linda.doc.evaluate('Sum(Amount)')).toBe('60');
    const { qtr } = await linda.doc.getTablesAndKeys({ qcx: 0, qcy: 0 }, { qcx: 0, qcy: 0 }, 0, true, false);
    expect(qtr[0].qNoOfRows).toBe(3);
    await john.session.close();
    await linda.session.close();

    const stranger = enigma.create({
      schema,
      url: `ws://127.0.0.1:${port}/app/secured`,
      createSocket: (url: string) =>
        new WebSocket(url, {
          headers: { host: TENANT, authorization: 'Bearer stranger' },
        }) as unknown as globalThis.WebSocket,
    });
    const global: any = await stranger.open();
    await expect(global.openDoc('secured')).rejects.toMatchObject({ code: 5, message: 'Access denied' });
    await stranger.close();
  });
});
