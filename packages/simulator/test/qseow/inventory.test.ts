import { describe, expect, it } from 'vitest';
import { bearer, call, createQseowFixture, qvf } from './helpers.js';

const ID_COLUMNS = { type: 'App', columns: [{ columnType: 1, name: 'id', definition: 'id' }] };

describe('QSEoW host: what an assessment reads', () => {
  it('pages apps with POST /app/table (skip, take, sortcolumn) and counts no write for it', async () => {
    const { host, jwt } = await createQseowFixture();
    for (let i = 0; i < 7; i++) {
      const up = await call(host, 'POST', `/jwt/qrs/app/upload?name=App${i}`, {
        headers: bearer(jwt),
        raw: qvf('LOAD 1 AS x;'),
      });
      expect(up.status).toBe(201);
    }
    const writesAfterUploads = host.state.writes;
    expect(writesAfterUploads).toBe(7);
    const ids: string[] = [];
    for (let skip = 0; ; skip += 3) {
      const page = await call(host, 'POST', `/jwt/qrs/app/table?skip=${skip}&take=3&sortcolumn=id`, {
        headers: bearer(jwt),
        body: ID_COLUMNS,
      });
      expect(page.status).toBe(201);
      const rows = (page.body as { rows: string[][] }).rows;
      ids.push(...rows.map((r) => r[0]!));
      if (rows.length < 3) break;
    }
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    expect([...ids]).toEqual([...ids].sort());
    expect(host.state.writes).toBe(writesAfterUploads);
  });

  it('answers the stream audit matrix from security rules on user attributes, and a task script log once', async () => {
    const { host, jwt } = await createQseowFixture();
    const h = bearer(jwt);
    const stream = (
      await call(host, 'POST', '/jwt/qrs/stream', {
        headers: h,
        body: { name: 'Acme', owner: { userId: 'sa_repository', userDirectory: 'INTERNAL' } },
      })
    ).body as {
      id: string;
    };
    await call(host, 'POST', '/jwt/qrs/stream', {
      headers: h,
      body: { name: 'Globex', owner: { userId: 'sa_repository', userDirectory: 'INTERNAL' } },
    });
    host.state.users.set('00000000-0000-0000-0000-0000000000b1', {
      id: '00000000-0000-0000-0000-0000000000b1',
      createdDate: '2026-01-01T00:00:00.000Z',
      modifiedDate: '2026-01-01T00:00:00.000Z',
      modifiedByUserName: 'INTERNAL\\sa_repository',
      userId: 'ann',
      userDirectory: 'ACME',
      name: 'Ann',
      attributes: [{ attributeType: 'group', attributeValue: 'Acme' }],
      removedExternally: false,
      blacklisted: false,
    });
    await call(host, 'POST', '/jwt/qrs/systemrule', {
      headers: h,
      body: {
        name: 'customer streams',
        category: 'Security',
        resourceFilter: 'Stream_*',
        actions: 2,
        rule: 'resource.name=user.group',
      },
    });
    const writes = host.state.writes;
    const audit = await call(host, 'POST', '/jwt/qrs/systemrule/security/audit/matrix', {
      headers: h,
      body: { resourceType: 'Stream', actions: 2, subjectProperties: ['userId'], resourceProperties: ['name'] },
    });
    expect(audit.status).toBe(201);
    const body = audit.body as {
      matrix: Array<{ subjectId: string; resourceId: string }>;
      subjects: Record<string, unknown>;
    };
    expect(body.matrix.map((m) => [m.subjectId, m.resourceId])).toEqual([
      ['00000000-0000-0000-0000-0000000000b1', stream.id],
    ]);
    expect(host.state.writes).toBe(writes);

    const app = (await call(host, 'POST', '/jwt/qrs/app/upload?name=Sales', { headers: h, raw: qvf('LOAD 1 AS x;') }))
      .body as { id: string; name: string };
    const taskId = host.addReloadTask({ name: 'Reload Sales', appId: app.id });
    host.state.executions.set('s1', {
      sessionId: 's1',
      resultId: '00000000-0000-0000-0000-0000000000e1',
      taskId,
      appId: app.id,
      status: 8,
      startTime: '2026-11-01T02:00:00.000Z',
      stopTime: '2026-11-01T02:01:00.000Z',
      scriptLog: "0001 LIB CONNECT TO 'Acme SQL';\n0002 Error: connection failed",
    });
    const task = (await call(host, 'GET', `/jwt/qrs/reloadtask/${taskId}`, { headers: h })).body as {
      operational: { lastExecutionResult: { id: string; status: number; scriptLogAvailable: boolean } };
    };
    expect(task.operational.lastExecutionResult).toMatchObject({ status: 8, scriptLogAvailable: true });
    const ticket = await call(
      host,
      'GET',
      `/jwt/qrs/reloadtask/${taskId}/scriptlogfile?executionresultid=${task.operational.lastExecutionResult.id}`,
      { headers: h },
    );
    expect(ticket.status).toBe(200);
    const download = await call(host, 'GET', `/jwt/qrs/download/reloadtask/${String(ticket.body)}/log.txt`, {
      headers: h,
    });
    expect(download.status).toBe(200);
    expect(Buffer.from(download.body as Buffer).toString('utf8')).toContain("LIB CONNECT TO 'Acme SQL'");
    expect(
      (await call(host, 'GET', `/jwt/qrs/download/reloadtask/${String(ticket.body)}/log.txt`, { headers: h })).status,
    ).toBe(404);
  });
});
