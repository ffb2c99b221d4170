import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBroker } from '../src/server.js';
import { postCustomer, readLines, startBrokerHarness, type BrokerHarness, type Line } from './helpers.js';
import { SIM_PRODUCT_ORIGIN } from '../src/simulated.js';

const acme = { customerId: 'acme', name: 'Acme Corporation', alias: 'acme', admin: { email: 'it@acme.example' } };
const jo = {
  id: 'jo-42',
  name: 'Jo User',
  email: 'jo@acme.example',
  customerId: 'acme',
  groups: ['Analytics Consumers'],
};

describe('examples/broker against the simulator (strict)', () => {
  let h: BrokerHarness;
  let licenseKey: string;
  const logs: string[] = [];
  /** While set, the hydrate's reload request waits for it: the run stays in flight. */
  let reloadGate: Promise<void> | undefined;
  /** The onboarding of acme every test below starts from: its streamed lines, and a second POST sent while it ran. */
  let provisioning: { status: number; contentType: string | null; lines: Line[]; text: string; concurrent: unknown };
  beforeAll(async () => {
    h = await startBrokerHarness(
      { logger: { level: 'debug', stream: { write: (line: string) => logs.push(line) } } },
      (method, path) => (method === 'POST' && path === '/api/v1/reloads' ? reloadGate : undefined),
    );
    const overview = await h.world.env.source().licenses.GET('/api/v1/licenses/overview');
    licenseKey = overview.data!.licenseKey!;

    let openGate!: () => void;
    reloadGate = new Promise((resolve) => (openGate = resolve));
    const response = await postCustomer(h.url, acme);
    // At the first line the run is in flight (and held before its reload until the second request is answered).
    let concurrent: Promise<{ status: number; body: unknown }> | undefined;
    const { lines, text } = await readLines(response, () => {
      concurrent ??= postCustomer(h.url, acme)
        .then(async (second) => ({ status: second.status, body: await second.json() }))
        .finally(openGate);
    });
    reloadGate = undefined;
    provisioning = {
      status: response.status,
      contentType: response.headers.get('content-type'),
      lines,
      text,
      concurrent: await concurrent,
    };
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses a bad customer body with 400 naming the field, before any request reaches Qlik', async () => {
    const before = h.requests.length;
    const response = await postCustomer(h.url, { customerId: 'acme', name: 'Acme', alias: 'Not A DNS Label' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: string; issues: Array<{ path: string; message: string }> };
    };
    expect(body.error.code).toBe('invalid-request');
    expect(body.error.issues).toEqual([{ path: 'alias', message: expect.stringMatching(/DNS label/) }]);

    const missing = await postCustomer(h.url, { name: 'Acme', alias: 'acme' });
    expect(missing.status).toBe(400);
    expect(
      ((await missing.json()) as { error: { issues: Array<{ path: string }> } }).error.issues.map((i) => i.path),
    ).toEqual(['customerId']);
    const notJson = await fetch(`${h.url}/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"customerId":',
    });
    expect(notJson.status).toBe(400);
    expect(h.requests.slice(before)).toEqual([]);
  });

  it('onboards, hydrates and customizes a customer, streaming step events and a final result; a second POST at the same time gets 409', async () => {
    const { lines, text } = provisioning;
    expect(provisioning.status).toBe(200);
    expect(provisioning.contentType).toMatch(/^application\/x-ndjson/);
    expect(provisioning.concurrent).toEqual({
      status: 409,
      body: { error: { code: 'customer-busy', message: expect.stringContaining('GET /customers/acme') } },
    });

    const result = lines.at(-1)!;
    expect(result).toEqual({
      type: 'result',
      customerId: 'acme',
      status: 'provisioned',
      tenantHost: 'acme.eu.qlikcloud.com',
      publishedAppId: expect.any(String),
      webIntegrationId: expect.any(String),
    });
    const steps = lines.slice(0, -1);
    expect(steps.every((line) => line.type.startsWith('step:') && line.customerId === 'acme')).toBe(true);
    const written = (type: string) =>
      steps.filter((line) => line.type === type).map((line) => `${String(line.recipe)}/${String(line.step)}`);
    expect(written('step:start')).toEqual(
      expect.arrayContaining([
        'provisionCustomer/tenant',
        'provisionCustomer/reload',
        'provisionCustomer/publish',
        'customizeTenant/webIntegration',
      ]),
    );
    expect(written('step:done')).toEqual(
      expect.arrayContaining([
        'provisionCustomer/tenant',
        'provisionCustomer/jwtIdp',
        'provisionCustomer/importApp',
        'provisionCustomer/publish',
        'customizeTenant/webIntegration',
        'customizeTenant/cspOrigins',
      ]),
    );
    expect(steps.find((line) => line.type === 'step:done' && line.step === 'tenant')).toMatchObject({
      action: 'create',
      durationMs: expect.any(Number),
      at: expect.any(String),
    });
    // Secrets never reach the stream: the license key, the data connection's password.
    expect(text).not.toContain(licenseKey);
    expect(text).not.toContain('sim-db-password-acme');

    // The tenant really is there, with the web integration for the partner's product.
    const tenant = h.world.env.tenant('acme.eu.qlikcloud.com');
    const integrations = (await tenant.webIntegrations.GET('/api/v1/web-integrations')).data?.data ?? [];
    expect(integrations.map((i) => [i.id, i.validOrigins])).toEqual([[result.webIntegrationId, [SIM_PRODUCT_ORIGIN]]]);
    expect(h.world.sim.violations).toEqual([]);
  });

  it('shows the customer state from the journal, without secrets', async () => {
    const response = await fetch(`${h.url}/customers/acme`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const state = JSON.parse(text) as Record<string, unknown> & {
      runs: Array<{
        recipe: string;
        status: string;
        steps: Array<{ step: string; action: string; outputs?: unknown }>;
      }>;
    };
    expect(state).toMatchObject({
      customerId: 'acme',
      tenantHost: 'acme.eu.qlikcloud.com',
      tenantId: expect.any(String),
      sharedAppId: expect.any(String),
      publishedAppId: expect.any(String),
      webIntegrationId: expect.any(String),
      jwtIdpId: expect.any(String),
    });
    expect(state.sharedAppId).not.toBe(state.publishedAppId);
    expect(state.runs.map((run) => [run.recipe, run.status])).toEqual([
      ['customizeTenant', 'provisioned'],
      ['provisionCustomer', 'provisioned'],
    ]);
    const provision = state.runs[1]!;
    expect(provision.steps.find((step) => step.step === 'tenantName')).toMatchObject({
      action: 'update',
      outputs: { tenantHost: 'acme.eu.qlikcloud.com' },
    });
    expect(provision.steps.find((step) => step.step === 'publish')).toMatchObject({
      action: 'create',
      outputs: { publishedAppId: state.publishedAppId },
    });
    expect(text).not.toContain(licenseKey);
    expect(text).not.toContain('sim-db-password-acme');

    expect((await fetch(`${h.url}/customers/nobody`)).status).toBe(404);
    const bad = await fetch(`${h.url}/customers/${encodeURIComponent('no spaces allowed')}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { issues: Array<{ path: string }> } }).error.issues[0]!.path).toBe('id');
  });

  it('a second POST for the same customer reports unchanged and writes nothing', async () => {
    const before = h.writes().length;
    const { lines } = await readLines(await postCustomer(h.url, acme));
    expect(lines.at(-1)).toMatchObject({ type: 'result', status: 'unchanged', tenantHost: 'acme.eu.qlikcloud.com' });
    expect(lines.filter((line) => line.type === 'step:done')).toEqual([]);
    expect(lines.filter((line) => line.type === 'step:skip').length).toBeGreaterThan(10);
    expect(h.writes().slice(before)).toEqual([]);
  });

  it('returns an embed session: the browser exchanges the JWT at the tenant and is the signed-in user with their groups', async () => {
    const embed = (user: unknown, query = '') =>
      fetch(`${h.url}/customers/acme/embed-session${query}`, {
        method: 'POST',
        headers: user === undefined ? {} : { 'x-demo-user': JSON.stringify(user) },
      });

    expect((await embed(undefined)).status).toBe(401);
    expect((await embed({ ...jo, customerId: 'globex' })).status).toBe(403);
    expect((await embed({ ...jo, groups: ['Administrators'] })).status).toBe(403);
    const malformed = await embed({ ...jo, email: 'not-an-email' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { issues: Array<{ path: string }> } }).error.issues[0]!.path).toBe(
      'x-demo-user.email',
    );

    const response = await embed(jo);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const session = (await response.json()) as {
      tenantHost: string;
      webIntegrationId: string;
      appId: string;
      jwt: string;
      loginUrl: string;
      expiresAt: string;
    };
    const state = (await (await fetch(`${h.url}/customers/acme`)).json()) as {
      webIntegrationId: string;
      publishedAppId: string;
    };
    expect(session).toMatchObject({
      tenantHost: 'acme.eu.qlikcloud.com',
      webIntegrationId: state.webIntegrationId,
      appId: state.publishedAppId,
      loginUrl: 'https://acme.eu.qlikcloud.com/login/jwt-session',
    });

    // What the browser does (credentials: 'include'), here through the simulator's fetch.
    const login = await h.world.sim.nodeFetch(session.loginUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.jwt}`, 'qlik-web-integration-id': session.webIntegrationId },
    });
    expect(login.status).toBeLessThan(300);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    expect(cookie).toMatch(/eas\.sid=/);
    const me = await h.world.sim.nodeFetch('https://acme.eu.qlikcloud.com/api/v1/users/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    const user = (await me.json()) as { subject: string; email: string; assignedGroups?: Array<{ name: string }> };
    expect(user).toMatchObject({ subject: 'jo-42', email: 'jo@acme.example' });
    expect(user.assignedGroups?.map((g) => g.name)).toEqual(['Analytics Consumers']);

    // A JWT is good for one exchange only.
    const replay = await h.world.sim.nodeFetch(session.loginUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.jwt}` },
    });
    expect(replay.status).toBe(401);

    // The optional server-side check opens a session of its own and leaves the browser's JWT unused.
    const checked = (await (await embed(jo, '?check=true')).json()) as {
      jwt: string;
      check: { ok: boolean; subject: string; groups: string[] };
    };
    expect(checked.check).toEqual({
      ok: true,
      userId: expect.any(String),
      subject: 'jo-42',
      groups: ['Analytics Consumers'],
      // The consumers group's role in the managed space lets her open the published app.
      app: { id: expect.any(String), name: 'Sales Analytics' },
    });
    const fresh = await h.world.sim.nodeFetch(session.loginUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${checked.jwt}` },
    });
    expect(fresh.status).toBeLessThan(300);
    expect(h.world.sim.violations).toEqual([]);
  });

  it('the session check reports a signing key the tenants do not know (rotated in the broker only) as 502', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rotated = buildBroker({
      ...h.world,
      partner: {
        ...h.world.partner,
        jwt: { ...h.world.partner.jwt, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
      },
      signingKey: privateKey,
      journal: h.journal,
    });
    try {
      const response = await rotated.inject({
        method: 'POST',
        url: '/customers/acme/embed-session?check=true',
        headers: { 'x-demo-user': JSON.stringify(jo) },
      });
      expect(response.statusCode).toBe(502);
      const body = response.json<{ error: { code: string; message: string } }>();
      expect(body.error.code).toBe('session-check-failed');
      expect(body.error.message).toMatch(/acme\.eu\.qlikcloud\.com refused the partner's JWT/);
      expect(body.error.message).not.toMatch(/eyJ/);
    } finally {
      await rotated.close();
    }
  });

  it('an embed session for a customer that was never provisioned is refused', async () => {
    const response = await fetch(`${h.url}/customers/globex/embed-session`, {
      method: 'POST',
      headers: { 'x-demo-user': JSON.stringify({ ...jo, customerId: 'globex' }) },
    });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not-provisioned');
  });

  it('logs requests, but never a JWT, a license key or a password', async () => {
    const response = await fetch(`${h.url}/customers/acme/embed-session`, {
      method: 'POST',
      headers: { 'x-demo-user': JSON.stringify(jo) },
    });
    expect(response.status).toBe(200);
    const jwts = [((await response.json()) as { jwt: string }).jwt];
    expect(logs.some((line) => line.includes('/customers/acme/embed-session'))).toBe(true);
    const all = logs.join('\n');
    for (const jwt of jwts) expect(all).not.toContain(jwt.split('.')[1]);
    expect(all).not.toContain(licenseKey);
    expect(all).not.toContain('sim-db-password-acme');
    expect(all).not.toContain('x-demo-user');
  });
});
