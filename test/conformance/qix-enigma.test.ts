import enigma from 'enigma.js';
import schema from 'enigma.js/schemas/12.2027.0.json' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformanceTarget, type ConformanceTarget } from './setup.js';

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget();
});
afterAll(async () => {
  await target?.close();
});

/** A raw enigma.js session with its bundled schema, over wss:// to the simulator. */
function session(appId: string) {
  return enigma.create({
    schema,
    url: `wss://${target.host}/app/${appId}`,
    createSocket: (url: string) =>
      target.sim.createSocket(url, {
        headers: { authorization: `Bearer ${target.accessToken}` },
      }) as unknown as WebSocket,
  });
}

describe('raw enigma.js against the simulated engine', () => {
  it("opens the app, reads its layout and walks sheets to their charts (Qlik's app-sheet-list-objects flow)", async () => {
    const author = session(target.appId);
    const global: any = await author.open();
    const doc = await global.openDoc(target.appId);
    const layout = await doc.getAppLayout();
    expect(layout).toMatchObject({ qTitle: 'Customer Analytics Template', qHasScript: true, qIsSessionApp: false });
    expect(await global.getAuthenticatedUser()).toMatch(/^UserDirectory=.*; UserId=.+$/);
    const sheet = await doc.createObject({
      qInfo: { qId: 'overview', qType: 'sheet' },
      qMetaDef: { title: 'Overview' },
      cells: [{ name: 'sales-by-region', type: 'barchart', col: 0, row: 0, colspan: 12, rowspan: 6 }],
    });
    expect(sheet.id).toBe('overview');
    await doc.createObject({
      qInfo: { qId: 'sales-by-region', qType: 'barchart' },
      visualization: 'barchart',
      title: 'Sales by region',
    });
    await doc.doSave();
    await author.close();

    // A second session sees the saved objects and walks them as the guide does.
    const reader = session(target.appId);
    const readerDoc = await ((await reader.open()) as any).openDoc(target.appId);
    const list = await readerDoc.createSessionObject({
      qInfo: { qId: 'SheetList', qType: 'SheetList' },
      qAppObjectListDef: { qType: 'sheet', qData: { title: '/qMetaDef/title', cells: '/cells' } },
    });
    const sheets = (await list.getLayout()).qAppObjectList.qItems;
    expect(sheets.map((item: any) => [item.qInfo.qId, item.qMeta.title])).toEqual([['overview', 'Overview']]);
    const sheetObject = await readerDoc.getObject(sheets[0].qInfo.qId);
    const cells = (await sheetObject.getProperties()).cells as { name: string }[];
    const chart = await readerDoc.getObject(cells[0]!.name);
    const chartLayout = await chart.getLayout();
    expect(chartLayout).toMatchObject({
      visualization: 'barchart',
      title: 'Sales by region',
      qInfo: { qId: 'sales-by-region' },
    });
    // An object that is not there rejects as enigma.js documents it.
    await expect(readerDoc.getObject('missing')).rejects.toMatchObject({ code: -2, message: 'Object not found' });
    // A method outside what the simulator serves answers -32601.
    await expect(readerDoc.getMatchingFields({ qTags: [] })).rejects.toMatchObject({ code: -32601 });
    await reader.close();
  });
});
