import { qix } from '@qlik/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformanceTarget, type ConformanceTarget } from './setup.js';

let target: ConformanceTarget;
beforeAll(async () => {
  target = await startConformanceTarget();
});
afterAll(async () => {
  await target?.close();
});

describe("@qlik/api's qix against the simulated engine", () => {
  it('openAppSession: getAppLayout and getSheetList', async () => {
    const hostConfig = {
      authType: 'apikey',
      host: target.host,
      apiKey: target.accessToken,
      // @qlik/api's own hook for supplying the socket; the loopback simulator has no DNS name.
      createWebSocket: (url: string) =>
        target.sim.createSocket(url, { headers: { authorization: `Bearer ${target.accessToken}` } }),
    };
    const session = qix.openAppSession({ appId: target.appId, hostConfig: hostConfig as never });
    try {
      const app = await session.getDoc();
      const layout = await app.getAppLayout();
      expect(layout.qTitle).toBe('Customer Analytics Template');
      await app.createObject({ qInfo: { qId: 'kpis', qType: 'sheet' }, qMetaDef: { title: 'KPIs' } } as never);
      const sheets = await app.getSheetList();
      expect(sheets.map((sheet) => sheet.qInfo?.qId)).toEqual(['kpis']);
    } finally {
      await session.close();
    }
  });
});
