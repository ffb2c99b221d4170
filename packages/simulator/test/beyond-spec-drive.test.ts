// Strict mode on every answer the specs do not declare: faults, 429s, auth failures and each Qlik Cloud
// entry of the registry of behaviour beyond the specs are driven, and none of them is a violation.
import { afterAll, describe, expect, it } from 'vitest';
import { BEYOND_SPEC, encodeQvf, startSimulator, type Simulator, type SimulatorOptions } from '../src/index.js';
import { call, callAs, jwtLogin, multiCloudIdpBody, SOURCE, src, tokenFor } from './helpers.js';

const sims: Simulator[] = [];
const hits = new Set<string>();

async function start(options: SimulatorOptions = {}): Promise<{ sim: Simulator; bot: string }> {
  const sim = await startSimulator({ latency: false, ...options });
  sims.push(sim);
  return { sim, bot: await tokenFor(sim, SOURCE) };
}

afterAll(async () => {
  for (const sim of sims) {
    for (const id of sim.beyondSpecHits.keys()) hits.add(id);
    expect(sim.violations).toEqual([]);
    await sim.close();
  }
  const cloudEntries = BEYOND_SPEC.filter((e) => e.service === 'qlik-cloud').map((e) => e.id);
  expect(cloudEntries.filter((id) => !hits.has(id))).toEqual([]);
});

async function templateApp(sim: Simulator, bot: string): Promise<{ appId: string; spaceId: string }> {
  const spaces = await call(sim, bot, 'GET', src('/api/v1/spaces?name=Templates'));
  const spaceId = spaces.body.data[0].id as string;
  const items = await call(sim, bot, 'GET', src(`/api/v1/items?spaceId=${spaceId}`));
  return { appId: items.body.data[0].resourceId as string, spaceId };
}

describe('strict mode is on by default and checks what the specs leave out', () => {
  it('answers a request that breaks the spec with 500 SIM-SPEC-VIOLATION without being asked to', async () => {
    const sim = await startSimulator({ latency: false });
    const res = await call(sim, await tokenFor(sim, SOURCE), 'GET', src('/api/v1/users?limit=many'));
    expect(res.status).toBe(500);
    expect(res.body.errors[0].code).toBe('SIM-SPEC-VIOLATION');
    expect(sim.violations.map((v) => v.pointer)).toEqual(['/query/limit']);
    sim.violations.length = 0;
    await sim.close();
    const lenient = await startSimulator({ latency: false, lenient: true });
    const ok = await call(lenient, await tokenFor(lenient, SOURCE), 'GET', src('/api/v1/users?limit=many'));
    expect(ok.status).not.toBe(500);
    await lenient.close();
  });

  it.each(['429', '500', '503'] as const)('checks an injected %s like any answer', async (kind) => {
    const { sim, bot } = await start({ faults: { rate: 1, kinds: [kind] } });
    const { status, headers } = await call(sim, bot, 'GET', src('/api/v1/apps/any'));
    expect(status).toBe(Number(kind));
    if (kind !== '500') expect(headers.get('retry-after')).toMatch(/^\d+$/);
    const declared = await call(sim, bot, 'GET', src('/api/v1/users/me'));
    expect(declared.status).toBe(Number(kind));
  });

  it('checks auth failures and the platform answers', async () => {
    const { sim, bot } = await start();
    const { appId } = await templateApp(sim, bot);
    expect((await call(sim, 'not-a-token', 'GET', src(`/api/v1/apps/${appId}`))).status).toBe(401);
    const viewer = await jwtLogin(sim, bot, SOURCE, 'partner|nobody');
    expect((await callAs(sim, viewer, 'GET', src(`/api/v1/apps/${appId}`))).status).toBe(403);
    // A sign-in JWT without its claims (any JWT-shaped token will do: the claims are checked first).
    const bare = `${Buffer.from('{"alg":"RS256","kid":"k"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.c2ln`;
    const signIn = await sim.fetch(src('/login/jwt-session'), {
      method: 'POST',
      headers: { authorization: `Bearer ${bare}` },
    });
    expect(signIn.status).toBe(400);
    const free = await call(sim, bot, 'GET', 'https://nobody-here.eu.qlikcloud.com/api/v1/users/me');
    expect(free.status).toBe(404);
  });

  it('checks the undeclared app, space and reload-task statuses', async () => {
    const { sim, bot } = await start();
    const { appId, spaceId } = await templateApp(sim, bot);
    const junk = await sim.fetch(src('/api/v1/apps/import'), {
      method: 'POST',
      headers: { authorization: `Bearer ${bot}`, 'content-type': 'application/octet-stream' },
      body: 'not an app',
    });
    expect(junk.status).toBe(400);
    expect((await call(sim, bot, 'GET', src('/api/v1/apps/missing'))).status).toBe(404);
    // Statuses the apps spec declares without a body, answered with a reason in text.
    expect((await call(sim, bot, 'POST', src(`/api/v1/apps/${appId}/export`))).status).toBe(403);
    expect((await call(sim, bot, 'POST', src('/api/v1/apps/missing/export'))).status).toBe(404);
    const own = (await call(sim, bot, 'POST', src('/api/v1/apps'), { attributes: { name: 'Mine' } })).body.attributes
      .id as string;
    // Publishing goes to managed spaces only; Templates is shared.
    expect((await call(sim, bot, 'POST', src(`/api/v1/apps/${own}/publish`), { spaceId })).status).toBe(400);
    expect((await call(sim, bot, 'POST', src('/api/v1/apps/missing/publish'), { spaceId })).status).toBe(404);
    expect((await call(sim, bot, 'PUT', src(`/api/v1/apps/${own}/publish`), {})).status).toBe(400);
    expect((await call(sim, bot, 'PUT', src('/api/v1/apps/missing/publish'), { targetId: appId })).status).toBe(404);
    expect((await call(sim, bot, 'PUT', src(`/api/v1/apps/${own}/space`), {})).status).toBe(400);
    expect((await call(sim, bot, 'PUT', src('/api/v1/apps/missing/space'), { spaceId })).status).toBe(404);
    const assignment = await call(sim, bot, 'POST', src(`/api/v1/spaces/${spaceId}/assignments`), {
      type: 'user',
      assigneeId: 'someone',
      roles: ['publisher'], // a managed-space role; Templates is shared
    });
    expect(assignment.status).toBe(400);
    expect((await call(sim, bot, 'GET', src('/api/v1/reload-tasks'))).status).toBe(410);
    const deprecated = await start({ reloadTasksApi: 'deprecated' });
    const post = await call(deprecated.sim, deprecated.bot, 'POST', src('/api/v1/reload-tasks'), {
      appId,
      recurrence: ['RRULE:FREQ=DAILY'],
      timeZone: 'UTC',
      type: 'scheduled_reload',
    });
    expect(post.status).toBe(410);
  });

  it('checks the import quota answer', async () => {
    const { sim, bot } = await start({ importQuotaAnswer: 429 });
    sim.state.behaviour.appImportsPerDay = 0;
    const qvf = encodeQvf({ name: 'Sales', script: 'LOAD 1 AS x AUTOGENERATE 1;' } as Parameters<typeof encodeQvf>[0]);
    const res = await sim.fetch(src('/api/v1/apps/import'), {
      method: 'POST',
      headers: { authorization: `Bearer ${bot}`, 'content-type': 'application/octet-stream' },
      body: qvf,
    });
    expect(res.status).toBe(429);
  });

  it('accepts the request bodies the specs do not describe', async () => {
    const { sim, bot } = await start();
    const basic = await sim.fetch(src('/oauth/token'), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('sim-eu-regional:sim-eu-regional-secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(basic.status).toBe(200);
    const qvf = encodeQvf({ name: 'Labelled', script: 'LOAD 1 AS x AUTOGENERATE 1;' } as Parameters<
      typeof encodeQvf
    >[0]);
    const labelled = await sim.fetch(src('/api/v1/apps/import'), {
      method: 'POST',
      headers: { authorization: `Bearer ${bot}`, 'content-type': 'application/json' },
      body: qvf,
    });
    expect(labelled.status).toBe(200);
    const tenantId = (await call(sim, bot, 'GET', src('/api/v1/users/me'))).body.tenantId;
    const idp = await call(
      sim,
      bot,
      'POST',
      src('/api/v1/identity-providers'),
      multiCloudIdpBody(tenantId, { issuer: 'qseow' }),
    );
    expect(idp.status).toBe(201);
    const wi = await call(sim, bot, 'POST', src('/api/v1/web-integrations'), {
      name: 'portal',
      validOrigins: ['https://portal.example'],
    });
    const patched = await call(sim, bot, 'PATCH', src(`/api/v1/web-integrations/${wi.body.id}`), [
      { op: 'replace', path: '/validOrigins', value: ['https://a.example', 'https://b.example'] },
    ]);
    expect(patched.status).toBe(204);
  });
});
