import { describe, expect, it } from 'vitest';
import { useContentSim } from './helpers.js';

describe('spaces and assignments (strict)', () => {
  const t = useContentSim();

  it('creates a space of each type and refuses a duplicate name with 409', async () => {
    const shared = await t.api('POST', '/api/v1/spaces', { name: 'Acme (dev)', type: 'shared', description: 'dev' });
    expect(shared.status).toBe(201);
    expect(shared.body).toMatchObject({ name: 'Acme (dev)', type: 'shared', description: 'dev' });
    expect(shared.body.meta.assignableRoles).toEqual([
      'codeveloper',
      'consumer',
      'dataconsumer',
      'facilitator',
      'producer',
    ]);
    expect(shared.body.links.self.href).toBe(`https://source.eu.qlikcloud.com/api/v1/spaces/${shared.body.id}`);
    const managed = await t.api('POST', '/api/v1/spaces', { name: 'Acme (prod)', type: 'managed' });
    expect(managed.body.meta.assignableRoles).toContain('publisher');
    expect((await t.api('POST', '/api/v1/spaces', { name: 'Acme data', type: 'data' })).status).toBe(201);
    const dup = await t.api('POST', '/api/v1/spaces', { name: 'acme (DEV)', type: 'shared' });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0].detail).toMatch(/already exists/);
    expect(t.sim.violations).toEqual([]);
  });

  it('lists with a case-insensitive contains search, a type filter and cursor pages', async () => {
    for (let i = 0; i < 12; i++)
      await t.api('POST', '/api/v1/spaces', {
        name: `Fleet ${String(i).padStart(2, '0')}`,
        type: i % 2 ? 'managed' : 'shared',
      });
    const search = await t.api('GET', '/api/v1/spaces?name=ACME');
    expect(search.body.data.map((s: { name: string }) => s.name).sort()).toEqual([
      'Acme (dev)',
      'Acme (prod)',
      'Acme data',
    ]);
    const managed = await t.api('GET', '/api/v1/spaces?name=fleet&type=managed&limit=100');
    expect(managed.body.data).toHaveLength(6);
    expect(managed.body.data.every((s: { type: string }) => s.type === 'managed')).toBe(true);

    const first = await t.api('GET', '/api/v1/spaces?name=fleet');
    expect(first.body.data).toHaveLength(10); // default limit
    expect(first.body.meta.count).toBe(12);
    const next = await t.api('GET', first.body.links.next.href);
    expect(next.body.data.map((s: { name: string }) => s.name)).toEqual(['Fleet 10', 'Fleet 11']);
    expect(next.body.links.next).toBeUndefined();
    const back = await t.api('GET', next.body.links.prev.href);
    expect(back.body.data[0].name).toBe('Fleet 00');
    expect((await t.api('GET', '/api/v1/spaces?limit=101')).status).toBe(400);
    expect(t.sim.violations).toEqual([]);
  });

  it('gets, patches, puts and deletes a space; unknown ids are 404', async () => {
    const created = (await t.api('POST', '/api/v1/spaces', { name: 'Temp', type: 'shared' })).body;
    const patched = await t.api('PATCH', `/api/v1/spaces/${created.id}`, [
      { op: 'replace', path: '/name', value: 'Temp 2' },
      { op: 'replace', path: '/description', value: 'patched' },
    ]);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Temp 2', description: 'patched' });
    const put = await t.api('PUT', `/api/v1/spaces/${created.id}`, { name: 'Temp 3' });
    expect(put.body.name).toBe('Temp 3');
    expect((await t.api('GET', `/api/v1/spaces/${created.id}`)).body.name).toBe('Temp 3');
    expect((await t.api('DELETE', `/api/v1/spaces/${created.id}`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/spaces/${created.id}`)).status).toBe(404);
    expect((await t.api('DELETE', `/api/v1/spaces/${created.id}`)).status).toBe(404);
    expect((await t.api('GET', '/api/v1/spaces/types')).body.data).toEqual(['shared', 'managed', 'data']);
    expect(t.sim.violations).toEqual([]);
  });

  it('keeps one assignment per assignee and space (409 AssignmentConflict), updates roles, deletes', async () => {
    const space = (await t.api('POST', '/api/v1/spaces', { name: 'Assign', type: 'managed' })).body;
    const path = `/api/v1/spaces/${space.id}/assignments`;
    const created = await t.api('POST', path, { type: 'group', assigneeId: 'group-1', roles: ['consumer'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'group',
      assigneeId: 'group-1',
      roles: ['consumer'],
      spaceId: space.id,
    });
    const again = await t.api('POST', path, { type: 'group', assigneeId: 'group-1', roles: ['publisher'] });
    expect(again.status).toBe(409);
    expect(again.body.errors[0].code).toBe('AssignmentConflict');
    await t.api('POST', path, { type: 'user', assigneeId: 'user-1', roles: ['publisher'] });
    const list = await t.api('GET', `${path}?type=group`);
    expect(list.body.data.map((a: { assigneeId: string }) => a.assigneeId)).toEqual(['group-1']);
    const updated = await t.api('PUT', `${path}/${created.body.id}`, { roles: ['consumer', 'contributor'] });
    expect(updated.body.roles).toEqual(['consumer', 'contributor']);
    expect((await t.api('GET', `${path}/${created.body.id}`)).body.roles).toEqual(['consumer', 'contributor']);
    expect((await t.api('DELETE', `${path}/${created.body.id}`)).status).toBe(204);
    expect((await t.api('GET', `${path}/${created.body.id}`)).status).toBe(404);
    expect(
      (await t.api('POST', `/api/v1/spaces/nope/assignments`, { type: 'user', assigneeId: 'x', roles: [] })).status,
    ).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });
});

describe('spaces: statuses Qlik sends that the spec does not list (strict: allowed per route)', () => {
  const t = useContentSim();

  it('refuses a role the space type cannot assign with 400', async () => {
    const space = (await t.api('POST', '/api/v1/spaces', { name: 'Prod', type: 'managed' })).body;
    const res = await t.api('POST', `/api/v1/spaces/${space.id}/assignments`, {
      type: 'user',
      assigneeId: 'u',
      roles: ['producer'],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].detail).toMatch(/cannot be assigned in a managed space/);
    expect(t.sim.violations).toEqual([]);
  });
});
