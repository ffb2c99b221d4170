import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { contentOf } from '../../src/content/state.js';
import { HOST, useContentSim, useDevAndProdSpaces } from './helpers.js';

const PASSWORD = 'pw-do-not-leak-7f3a';
const SECRET = 'secret-do-not-leak-91c2';

describe('data connections and credentials (strict)', () => {
  const t = useContentSim();
  const spaces = useDevAndProdSpaces(t);

  const create = (body: Record<string, unknown>) =>
    t.api('POST', '/api/v1/data-connections', {
      qType: 'postgres',
      datasourceID: 'postgres',
      qConnectStatement: 'host=db;database=a',
      ...body,
    });

  it('creates a connection in a space and never returns its secrets', async () => {
    const created = await create({
      qName: 'Customer DB',
      space: spaces.shared,
      qUsername: 'svc',
      qPassword: PASSWORD,
      qConnectionSecret: SECRET,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ qName: 'Customer DB', qType: 'postgres', space: spaces.shared, qLogOn: '0' });
    const id = created.body.qID;
    const got = await t.api('GET', `/api/v1/data-connections/${id}`);
    expect(got.body).toMatchObject({
      qID: id,
      qName: 'Customer DB',
      qConnectStatement: 'host=db;database=a',
      qLogOn: 0,
    });
    const list = await t.api('GET', `/api/v1/data-connections?spaceId=${spaces.shared}`);
    for (const text of [JSON.stringify(created.body), JSON.stringify(got.body), JSON.stringify(list.body)]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('qPassword');
      expect(text).not.toContain('qUsername');
    }
    // Nor does logging the simulator's state print them.
    const tenant = t.sim.state.tenantByHost(HOST);
    if (!tenant) throw new Error('no tenant');
    const dump =
      inspect(contentOf(tenant), { depth: 10 }) + JSON.stringify([...contentOf(tenant).connections.values()]);
    expect(dump).toContain('Customer DB');
    expect(dump).not.toContain(PASSWORD);
    expect(dump).not.toContain(SECRET);
    expect(contentOf(tenant).connections.get(id)?.password?.reveal()).toBe(PASSWORD);
    expect(t.sim.violations).toEqual([]);
  });

  it('keeps names unique per space (409) but allows the same name in another space', async () => {
    expect((await create({ qName: 'Customer DB', space: spaces.shared })).status).toBe(409);
    expect((await create({ qName: 'customer db', space: spaces.shared })).status).toBe(409);
    expect((await create({ qName: 'Customer DB', space: spaces.managed })).status).toBe(201);
    expect((await create({ qName: 'Nowhere', space: '000000000000000000000000' })).status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });

  it('gets by name within a space with ?type=connectionname', async () => {
    const byName = await t.api(
      'GET',
      `/api/v1/data-connections/${encodeURIComponent('Customer DB')}?type=connectionname&spaceId=${spaces.managed}`,
    );
    expect(byName.status).toBe(200);
    expect(byName.body.space).toBe(spaces.managed);
    expect((await t.api('GET', '/api/v1/data-connections/Missing?type=connectionname')).status).toBe(404);
    expect((await t.api('GET', '/api/v1/data-connections/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });

  it('returns every connection without a limit, and pages with the page cursor', async () => {
    for (let i = 0; i < 4; i++) await create({ qName: `Paged ${i}`, space: spaces.shared });
    const all = await t.api('GET', `/api/v1/data-connections?spaceId=${spaces.shared}`);
    expect(all.body.data).toHaveLength(5);
    expect(all.body.links.next).toBeUndefined();
    const names: string[] = [];
    let href: string | undefined = `/api/v1/data-connections?spaceId=${spaces.shared}&limit=2`;
    for (let guard = 0; href && guard < 10; guard++) {
      const page = await t.api('GET', href);
      names.push(...page.body.data.map((c: { qName: string }) => c.qName));
      href = page.body.links.next?.href;
    }
    expect(names).toEqual(['Customer DB', 'Paged 0', 'Paged 1', 'Paged 2', 'Paged 3']);
    const filtered = await t.api('GET', `/api/v1/data-connections?filter=${encodeURIComponent('qName eq "Paged 2"')}`);
    expect(filtered.body.data.map((c: { qName: string }) => c.qName)).toEqual(['Paged 2']);
    expect(t.sim.violations).toEqual([]);
  });

  it('patches, puts and deletes', async () => {
    const { qID, qEngineObjectID } = (
      await t.api(
        'GET',
        `/api/v1/data-connections/${encodeURIComponent('Paged 0')}?type=connectionname&spaceId=${spaces.shared}`,
      )
    ).body;
    const patched = await t.api('PATCH', `/api/v1/data-connections/${qID}`, [
      { op: 'replace', path: '/qConnectStatement', value: 'host=db;database=customer_b' },
      { op: 'replace', path: '/qName', value: 'Customer B' },
    ]);
    expect(patched.status).toBe(204);
    expect((await t.api('GET', `/api/v1/data-connections/${qID}`)).body).toMatchObject({
      qName: 'Customer B',
      qConnectStatement: 'host=db;database=customer_b',
    });
    const clash = await t.api('PATCH', `/api/v1/data-connections/${qID}`, [
      { op: 'replace', path: '/qName', value: 'Paged 1' },
    ]);
    expect(clash.status).toBe(409);
    const put = await t.api('PUT', `/api/v1/data-connections/${qID}`, {
      qID,
      qName: 'Customer B2',
      qType: 'postgres',
      qConnectStatement: 'host=db2',
      qEngineObjectID,
      qPassword: PASSWORD,
    });
    expect(put.status).toBe(204);
    const after = await t.api('GET', `/api/v1/data-connections/${qID}`);
    expect(after.body).toMatchObject({ qName: 'Customer B2', qConnectStatement: 'host=db2' });
    expect(JSON.stringify(after.body)).not.toContain(PASSWORD);
    expect((await t.api('DELETE', `/api/v1/data-connections/${qID}`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/data-connections/${qID}`)).status).toBe(404);
    expect((await t.api('DELETE', `/api/v1/data-connections/${qID}`)).status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });

  it('creates separate credentials and serves them without the password', async () => {
    const created = await create({
      qName: 'With creds',
      space: spaces.shared,
      qSeparateCredentials: true,
      qUsername: 'svc',
      qPassword: PASSWORD,
      qCredentialsName: 'svc-cred',
    });
    expect(created.status).toBe(201);
    const credential = await t.api('GET', '/api/v1/data-credentials/svc-cred?byCredentialName=true');
    expect(credential.status).toBe(200);
    expect(credential.body).toMatchObject({ qName: 'svc-cred', qConnCount: 1 });
    expect(JSON.stringify(credential.body)).not.toContain(PASSWORD);
    const id = credential.body.qID;
    expect((await t.api('GET', `/api/v1/data-connections/${created.body.qID}`)).body.qCredentialsID).toBe(id);
    expect(
      (await t.api('PATCH', `/api/v1/data-credentials/${id}`, [{ op: 'replace', path: '/qName', value: 'renamed' }]))
        .status,
    ).toBe(204);
    expect(
      (
        await t.api('PUT', `/api/v1/data-credentials/${id}`, {
          qName: 'renamed2',
          qType: 'postgres',
          qUsername: 'u',
          qPassword: 'p',
        })
      ).status,
    ).toBe(204);
    expect((await t.api('GET', `/api/v1/data-credentials/${id}`)).body.qName).toBe('renamed2');
    expect((await t.api('DELETE', `/api/v1/data-credentials/${id}`)).status).toBe(204);
    expect((await t.api('GET', `/api/v1/data-credentials/${id}`)).status).toBe(404);
    expect(t.sim.violations).toEqual([]);
  });

  it('duplicates, moves and deletes in bulk with per-connection statuses (207)', async () => {
    const source = (await create({ qName: 'Bulk source', space: spaces.shared, qPassword: PASSWORD })).body.qID;
    const dup = await t.api('POST', '/api/v1/data-connections/actions/duplicate', {
      id: source,
      name: 'Bulk copy',
      spaceId: spaces.managed,
    });
    expect(dup.status).toBe(201);
    expect(dup.body).toMatchObject({ qName: 'Bulk copy', space: spaces.managed });
    expect(JSON.stringify(dup.body)).not.toContain(PASSWORD);
    expect(
      (
        await t.api('POST', '/api/v1/data-connections/actions/duplicate', {
          id: source,
          name: 'Bulk copy',
          spaceId: spaces.managed,
        })
      ).status,
    ).toBe(409);
    const moved = await t.api('POST', '/api/v1/data-connections/actions/update', {
      connections: [{ id: source, spaceId: spaces.managed, name: 'Bulk moved' }, { id: 'missing' }],
    });
    expect(moved.status).toBe(207);
    expect(moved.body.data.map((r: { status: number }) => r.status)).toEqual([204, 404]);
    expect((await t.api('GET', `/api/v1/data-connections/${source}`)).body).toMatchObject({
      qName: 'Bulk moved',
      space: spaces.managed,
    });
    const deleted = await t.api('POST', '/api/v1/data-connections/actions/delete', {
      connections: [{ id: source }, { id: dup.body.qID }, { id: source }],
    });
    expect(deleted.body.data.map((r: { status: number }) => r.status)).toEqual([204, 204, 404]);
    expect(t.sim.violations).toEqual([]);
  });
});
