// What the simulator's tests share: the default state's hosts and clients, a strict simulator, OAuth tokens, JSON
// calls with a bearer token or in an end user's JWT session, and reading a response.
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, expect } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../src/index.js';

export const SOURCE = 'source.eu.qlikcloud.com';
export const REGISTER_EU = 'register.eu.qlikcloud.com';
export const EU_CLIENT = { client_id: 'sim-eu-regional', client_secret: 'sim-eu-regional-secret' };
export const SOURCE_CLIENT = { client_id: 'sim-source-client', client_secret: 'sim-source-secret' };
/** curl's form fields of a client-credentials token request by the regional client. */
export const CURL_TOKEN_FORM = [
  '-d',
  'grant_type=client_credentials',
  '-d',
  `client_id=${EU_CLIENT.client_id}`,
  '-d',
  `client_secret=${EU_CLIENT.client_secret}`,
];

/** A strict simulator without latency, for fast conformance tests. */
export function startStrict(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ strict: true, latency: false, ...options });
}

/** A URL on the source tenant. */
export const src = (path: string): string => `https://${SOURCE}${path}`;

/**
 * Runs `test` against a strict simulator of its own, with the regional bot's token on the source tenant; the
 * traffic must have been spec-valid, and the simulator is closed whatever happens.
 */
export async function withStrictSource(
  test: (sim: Simulator, token: string) => Promise<void>,
  options: SimulatorOptions = {},
): Promise<void> {
  const sim = await startStrict(options);
  try {
    await test(sim, await tokenFor(sim, SOURCE));
    expect(sim.violations).toEqual([]);
  } finally {
    await sim.close();
  }
}

/** The strict simulator of a describe block (or file), with the regional bot's token and the source tenant's id. */
export interface StrictSource {
  readonly sim: Simulator;
  readonly token: string;
  readonly tenantId: string;
  /** A JSON call with the bot's token to a path on the source tenant, or to a full URL. */
  call(method: string, pathOrUrl: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResult>;
}

/**
 * A strict simulator for the enclosing describe block (or file): started before its tests, closed after them, and
 * its traffic must have been spec-valid. The properties read the running one.
 */
export function useStrictSource(options: SimulatorOptions = {}): StrictSource {
  return useForBlock(
    async () => {
      const sim = await startStrict(options);
      const token = await tokenFor(sim, SOURCE);
      return {
        sim,
        token,
        tenantId: sim.state.tenantByHost(SOURCE)?.id ?? '',
        call: (method: string, pathOrUrl: string, body?: unknown, headers?: Record<string, string>) =>
          call(sim, token, method, pathOrUrl.startsWith('/') ? src(pathOrUrl) : pathOrUrl, body, headers),
      };
    },
    async ({ sim }) => {
      try {
        expect(sim.violations).toEqual([]);
      } finally {
        await sim.close();
      }
    },
  );
}

/**
 * Something the enclosing describe block (or file) starts before its tests and stops after them. What this returns
 * reads the running one, so the block's hooks and tests use it as if it had been started in place.
 */
export function useForBlock<T extends object>(start: () => Promise<T>, stop: (running: T) => Promise<void>): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
  });
  afterAll(async () => {
    if (current) await stop(current);
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (!current) throw new Error('it starts in beforeAll');
      return Reflect.get(current, key) as unknown;
    },
  });
}

/** The body that creates the multi-cloud identity provider (qsefw-local-bearer-token) of a deployment's config. */
export const multiCloudIdpBody = (tenantId: string, config: Record<string, unknown>) => ({
  provider: 'qlik',
  protocol: 'qsefw-local-bearer-token',
  interactive: false,
  description: 'Automatic',
  base64Encoded: Buffer.from(JSON.stringify(config)).toString('base64'),
  tenantIds: [tenantId],
});

export async function tokenFor(
  sim: Simulator,
  host: string,
  client: { client_id: string; client_secret: string } = EU_CLIENT,
): Promise<string> {
  const res = await sim.fetch(`https://${host}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...client, grant_type: 'client_credentials' }),
  });
  if (res.status !== 200) throw new Error(`token for ${host}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** What a test reads of a response: its status, its body (JSON where it parses, else the text) and headers. */
export interface ApiResult {
  status: number;
  // Response bodies are checked field by field in the tests.
  body: any;
  headers: Headers;
}

export async function readResult(res: Response): Promise<ApiResult> {
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** The content type and body of a JSON request, or nothing for a request without a body. */
export const jsonBody = (body: unknown): { headers: Record<string, string>; body?: string } =>
  body === undefined
    ? { headers: {} }
    : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };

/** A JSON call with a bearer token. */
export async function call(
  sim: Simulator,
  token: string,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResult> {
  const json = jsonBody(body);
  const res = await sim.fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...json.headers, ...headers },
    ...(json.body !== undefined ? { body: json.body } : {}),
  });
  return readResult(res);
}

/** A JWT login session of an end user: the cookies to send and the CSRF token writes need. */
export interface SessionUser {
  cookie: string;
  csrf: string;
  userId: string;
}

/**
 * Configures a JWT identity provider on `host` (once per simulator and issuer) and logs a user in with
 * the given subject and IdP groups, as a partner's broker does for its end users.
 */
export async function jwtLogin(
  sim: Simulator,
  admin: string,
  host: string,
  subject: string,
  groups: string[] = [],
): Promise<SessionUser> {
  let key = jwtKeys.get(sim);
  if (!key) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    key = { privateKey: pair.privateKey, pem, hosts: new Set() };
    jwtKeys.set(sim, key);
  }
  if (!key.hosts.has(host)) {
    const tenantId = sim.state.tenantByHost(host)?.id;
    const idp = await call(sim, admin, 'POST', `https://${host}/api/v1/identity-providers`, {
      protocol: 'jwtAuth',
      provider: 'external',
      tenantIds: [tenantId],
      options: { issuer: 'https://broker.example', staticKeys: [{ kid: 'broker', pem: key.pem }] },
    });
    if (idp.status !== 201) throw new Error(`JWT IdP on ${host}: ${idp.status} ${JSON.stringify(idp.body)}`);
    await call(sim, admin, 'PATCH', `https://${host}/api/v1/groups/settings`, [
      { op: 'replace', path: '/autoCreateGroups', value: true },
    ]);
    key.hosts.add(host);
  }
  const now = Math.floor(sim.clock.now() / 1000);
  const jwt = await new SignJWT({ subType: 'user', name: subject, email: `${subject}@customer.example`, groups })
    .setProtectedHeader({ alg: 'ES256', kid: 'broker' })
    .setIssuer('https://broker.example')
    .setAudience('qlik.api/login/jwt-session')
    .setSubject(subject)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 300)
    .sign(key.privateKey);
  const res = await sim.fetch(`https://${host}/login/jwt-session`, {
    method: 'POST',
    headers: { authorization: `Bearer ${jwt}` },
  });
  if (res.status !== 200) throw new Error(`JWT login on ${host}: ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
  const csrf = cookies.find((c) => c.startsWith('_csrfToken='))?.split('=')[1] ?? '';
  const user = sim.state.tenantByHost(host)?.findUserBy((u) => u.subject === subject);
  return { cookie: cookies.join('; '), csrf, userId: user?.id ?? '' };
}

const jwtKeys = new WeakMap<Simulator, { privateKey: KeyObject; pem: string; hosts: Set<string> }>();

/** A JSON call in an end user's JWT session (cookies + CSRF header). */
export async function callAs(
  sim: Simulator,
  session: SessionUser,
  method: string,
  url: string,
  body?: unknown,
): Promise<ApiResult> {
  const json = jsonBody(body);
  const res = await sim.fetch(url, {
    method,
    headers: { cookie: session.cookie, 'qlik-csrf-token': session.csrf, ...json.headers },
    ...(json.body !== undefined ? { body: json.body } : {}),
  });
  return readResult(res);
}
