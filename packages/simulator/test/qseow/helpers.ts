import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { createManualClock, type ManualClock } from '../../src/clock.js';
import type { SimRequest, SimResponse } from '../../src/http/types.js';
import { encodeQvf } from '../../src/content/qvf.js';
import {
  createContentWriter,
  createQrsSpecValidator,
  createQseowHost,
  createSimCloudBackend,
  type QseowHost,
} from '../../src/qseow/index.js';
import { SimState } from '../../src/state/sim-state.js';
import type { TenantState } from '../../src/state/tenant.js';

export const QSEOW_HOST = 'qseow.partner.local';

/** A QSEoW site over a real SimState with two tenants; distributed apps are recorded per tenant. */
// Strict mode, as in every simulator test: QRS bodies are checked against the spec (compiled once per file).
const strictValidator = createQrsSpecValidator();

export async function createQseowFixture() {
  const clock: ManualClock = createManualClock();
  const sim = new SimState(7, clock);
  sim.regions.add('eu');
  const license = { licenseNumber: '1234', product: 'Qlik Cloud', allotments: [] };
  const tenantA = sim.createTenant({ region: 'eu', name: 'customer-a', license });
  const tenantB = sim.createTenant({ region: 'eu', name: 'customer-b', license });
  const cloud = createSimCloudBackend(sim, createContentWriter(clock, sim.behaviour));
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const host = createQseowHost(
    {
      hostname: QSEOW_HOST,
      virtualProxies: [{ prefix: 'jwt', jwtPublicKeyPem: await exportSPKI(publicKey) }],
      trustRepositoryClients: true,
      distributionDelayMs: 5_000,
      taskDurationMs: 2_000,
    },
    { clock, cloud, validator: strictValidator, behaviour: sim.behaviour },
  );
  const jwt = await new SignJWT({ userid: 'bur', userdirectory: 'jwt' })
    .setProtectedHeader({ alg: 'ES256' })
    .setExpirationTime('1h')
    .sign(privateKey);
  return { clock, sim, host, tenantA, tenantB, jwt, privateKey };
}

export function addMultiCloudIdp(sim: SimState, tenant: TenantState, token: string): void {
  const now = sim.nowIso();
  tenant.identityProviders.set(`idp-${tenant.identityProviders.size}`, {
    id: `idp-${tenant.identityProviders.size}`,
    tenantIds: [tenant.id],
    protocol: 'qsefw-local-bearer-token',
    provider: 'qlik',
    interactive: false,
    active: true,
    options: { base64Encoded: token },
    created: now,
    lastUpdated: now,
  });
}

let keyCounter = 0;
/** A fresh 16-character Xrfkey per request, as a client should send. */
export const xrfkey = (): string => `Xrf${String(++keyCounter).padStart(13, '0')}`;

export interface CallOptions {
  headers?: Record<string, string>;
  body?: unknown;
  raw?: Buffer;
  xrf?: string | false;
}

/** Calls the host handler the way the simulator's server does. */
export async function call(
  host: QseowHost,
  method: string,
  pathAndQuery: string,
  options: CallOptions = {},
): Promise<SimResponse> {
  const url = new URL(`https://${QSEOW_HOST}${pathAndQuery}`);
  const headers: Record<string, string> = { ...options.headers };
  const key = options.xrf === undefined ? xrfkey() : options.xrf;
  if (key !== false) {
    url.searchParams.set('xrfkey', key);
    headers['x-qlik-xrfkey'] = key;
  }
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const rawBody =
    options.raw ?? (options.body !== undefined ? Buffer.from(JSON.stringify(options.body)) : Buffer.alloc(0));
  const req: SimRequest = {
    method,
    path: url.pathname,
    url,
    params: {},
    query: url.searchParams,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    body: options.body,
    rawBody,
    host: QSEOW_HOST,
  };
  return host.handle(req, {
    sim: undefined as never,
    tenant: undefined,
    principal: undefined,
    clock: undefined as never,
    region: '',
  });
}

export const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}` });
export const repoUser = { 'x-qlik-user': 'UserDirectory=INTERNAL; UserId=sa_repository' };

/** A simulator app file with the given load script. */
export const qvf = (script: string): Buffer =>
  Buffer.from(
    encodeQvf({
      name: 'Sales',
      description: '',
      script,
      properties: {},
      objects: [
        {
          id: 'sheet-1',
          type: 'sheet',
          properties: { qInfo: { qId: 'sheet-1', qType: 'sheet' }, qMetaDef: { title: 'Overview' } },
          kind: 'base',
        },
      ],
      hasData: true,
    }),
  );
