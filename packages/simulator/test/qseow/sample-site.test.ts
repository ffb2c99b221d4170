import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/clock.js';
import { createQrsSpecValidator, createQseowHost } from '../../src/qseow/index.js';
import { sampleQseowSite } from '../../src/qseow/sample-site.js';
import { call, repoUser } from './helpers.js';

const validator = createQrsSpecValidator();

describe('QSEoW sample site from the state file', () => {
  it('is deterministic for a seed and differs for another seed', () => {
    expect(sampleQseowSite({ seed: 3 })).toEqual(sampleQseowSite({ seed: 3 }));
    expect(sampleQseowSite({ seed: 3 })).not.toEqual(sampleQseowSite({ seed: 4 }));
  });

  it('serves a few hundred apps over customer streams, their tasks, connections, extensions and access, spec-valid', async () => {
    const host = createQseowHost(
      { hostname: 'qseow.partner.local', trustRepositoryClients: true, sampleSite: { appsPerCustomer: 60 } },
      { clock: createManualClock(), validator },
    );
    const get = async (path: string) => {
      const r = await call(host, 'GET', path, { headers: repoUser });
      expect(r.status, `${path}: ${String(r.body)}`).toBe(200);
      return r.body as Array<Record<string, unknown>>;
    };
    const apps = await get('/qrs/app/full');
    expect(apps).toHaveLength(300);
    expect(new Set(apps.map((a) => (a['stream'] as { name?: string } | undefined)?.name)).size).toBe(6); // 5 + unpublished
    expect((await get('/qrs/stream/full')).map((s) => s['name'])).toEqual([
      'acme',
      'globex',
      'initech',
      'umbrella',
      'hooli',
    ]);
    const types = new Set((await get('/qrs/dataconnection/full')).map((c) => c['type']));
    expect(types).toEqual(
      new Set(['QvOdbcConnectorPackage.exe', 'folder', 'QvRestConnector.exe', 'PartnerErpConnector.exe', 'OLEDB']),
    );
    const tasks = await get('/qrs/reloadtask/full');
    expect(
      tasks.some(
        (t) => (t['operational'] as { lastExecutionResult?: { status: number } }).lastExecutionResult?.status === 8,
      ),
    ).toBe(true);
    expect((await get('/qrs/app/object/full')).length).toBeGreaterThan(600);
    expect((await get('/qrs/license/analyzeraccesstype/full')).length).toBe(40);
    const schema = (await call(host, 'GET', '/qrs/extension/schema', { headers: repoUser })).body as Record<
      string,
      { type: string }
    >;
    expect(schema['partner-theme']?.type).toBe('theme');
    const audit = await call(host, 'POST', '/qrs/systemrule/security/audit/matrix', {
      headers: repoUser,
      body: { resourceType: 'Stream', actions: 2 },
    });
    expect((audit.body as { matrix: unknown[] }).matrix).toHaveLength(40);
    expect(host.state.writes).toBe(0);
  });
});
