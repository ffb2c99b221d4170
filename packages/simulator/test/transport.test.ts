import { afterEach, describe, expect, it } from 'vitest';
import { type SimPlugin, type Simulator } from '../src/index.js';
import { resolveRequestAuth } from '../src/advanced.js';
import { call, SOURCE, startStrict, tokenFor } from './helpers.js';

const started: Simulator[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.close();
});

/** A plugin that answers upgrades on /echo with the host and the user the auth resolver finds. */
const echoPlugin: SimPlugin = {
  name: 'echo',
  setup(host) {
    host.registerUpgradeHandler((req, socket, _head, ctx) => {
      if (ctx.url.pathname !== '/echo') return false;
      const auth = resolveRequestAuth(ctx.sim, ctx.host, req.headers.authorization);
      const text = JSON.stringify({ host: ctx.host, user: auth.ok ? auth.principal?.userId : null });
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
      );
      return true;
    });
  },
};

async function upgradeAnswer(
  sim: Simulator,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const ws = sim.createSocket(url, { headers });
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => reject(new Error('unexpected open')));
    ws.on('error', (err) => reject(err));
  });
}

describe.each([false, true])('fetch and createSocket (https: %s)', (https) => {
  it('route Qlik hostnames to the simulator with the Host (and SNI name) preserved', async () => {
    const sim = await startStrict({ https, plugins: [echoPlugin] });
    started.push(sim);
    expect(sim.url).toMatch(https ? /^https:\/\/127\.0\.0\.1:\d+$/ : /^http:\/\/127\.0\.0\.1:\d+$/);
    if (https) expect(sim.caPem).toContain('BEGIN CERTIFICATE');
    const token = await tokenFor(sim, SOURCE);
    const me = await call(sim, token, 'GET', `https://${SOURCE}/api/v1/users/me`);
    expect(me.status).toBe(200);
    const echoed = await upgradeAnswer(sim, `wss://${SOURCE}/echo`, { Authorization: `Bearer ${token}` });
    expect(JSON.parse(echoed.body)).toEqual({ host: SOURCE, user: me.body.id });
    const unknown = await upgradeAnswer(sim, `wss://${SOURCE}/nothing`);
    expect(unknown.status).toBe(404);
    expect(sim.violations).toEqual([]);
  });
});

it('passes other hostnames to the fallback fetch and refuses sockets to them', async () => {
  const sim = await startStrict();
  started.push(sim);
  expect(() => sim.createSocket('wss://example.org/app/x')).toThrow(/does not serve example.org/);
  // An unserved host goes to the real network stack: here a closed local port.
  await expect(sim.fetch('http://127.0.0.1:1/')).rejects.toThrow();
});

it.each([false, true])('routes through the undici dispatcher with the global fetch (https: %s)', async (https) => {
  const sim = await startStrict({ https });
  started.push(sim);
  const init = { dispatcher: sim.dispatcher } as unknown as RequestInit; // Node's fetch takes an undici dispatcher
  const res = await fetch(`https://${SOURCE}/oauth/token`, {
    ...init,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=sim-eu-regional&client_secret=sim-eu-regional-secret',
  });
  expect(res.status).toBe(200);
  const { access_token } = (await res.json()) as { access_token: string };
  const me = await fetch(`https://${SOURCE}/api/v1/users/me`, {
    ...init,
    headers: { authorization: `Bearer ${access_token}` },
  });
  expect(me.status).toBe(200);
  expect(((await me.json()) as { tenantId: string }).tenantId).toBe(sim.state.tenantByHost(SOURCE)?.id);
  expect(sim.violations).toEqual([]);
});
