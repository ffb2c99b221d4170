// Runs the simulator's QSEoW host in-process behind a fetch, so QRS helpers are exercised against a stateful server
// that enforces Xrfkey, modifiedDate and the QRS spec (strict mode), without sockets.
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { createManualClock } from '../../../simulator/src/clock.js';
import { encodeQvf } from '../../../simulator/src/content/qvf.js';
import type { SimRequest } from '../../../simulator/src/http/types.js';
import { createQrsSpecValidator, createQseowHost, type QseowHost } from '../../../simulator/src/qseow/index.js';
import { createQrsClient, type QrsClient, type QrsClientOptions } from '../../src/index.js';

export const SIM_HOST = 'qseow.partner.local';
const validator = createQrsSpecValidator();

export interface SimFetchLog {
  method: string;
  url: URL;
  headers: Headers;
}

export async function startQseowSim() {
  const clock = createManualClock();
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const host: QseowHost = createQseowHost(
    {
      hostname: SIM_HOST,
      virtualProxies: [{ prefix: 'jwt', jwtPublicKeyPem: await exportSPKI(publicKey) }],
      trustRepositoryClients: true,
    },
    { clock, validator },
  );
  const jwt = await new SignJWT({ userid: 'bur', userdirectory: 'jwt' })
    .setProtectedHeader({ alg: 'ES256' })
    .setExpirationTime('1h')
    .sign(privateKey);
  const log: SimFetchLog[] = [];
  /** Hooks run before the host handles a request (tests use them to interleave a concurrent writer). */
  const before: Array<(req: SimRequest) => Promise<void> | void> = [];
  const fetch = async (input: Request): Promise<Response> => {
    const url = new URL(input.url);
    const rawBody = Buffer.from(await input.arrayBuffer());
    const headers = Object.fromEntries([...input.headers.entries()]);
    log.push({ method: input.method, url, headers: new Headers(input.headers) });
    let body: unknown;
    if (rawBody.length && /json/.test(headers['content-type'] ?? '')) body = JSON.parse(rawBody.toString('utf8'));
    const req: SimRequest = {
      method: input.method,
      path: url.pathname,
      url,
      params: {},
      query: url.searchParams,
      headers,
      body,
      rawBody,
      host: url.hostname,
    };
    for (const hook of before) await hook(req);
    const res = await host.handle(req, {
      sim: undefined as never,
      tenant: undefined,
      principal: undefined,
      clock,
      region: '',
    });
    const payload =
      res.body === undefined
        ? null
        : Buffer.isBuffer(res.body)
          ? res.body
          : typeof res.body === 'string' && /text/.test(res.headers?.['content-type'] ?? '')
            ? res.body
            : JSON.stringify(res.body);
    return new Response(res.status === 204 ? null : payload, {
      status: res.status,
      headers: { 'content-type': 'application/json', ...res.headers },
    });
  };
  /** A QRS client of the site through its JWT virtual proxy, with no pacing; `options` adds or overrides. */
  const qrs = (options: Partial<QrsClientOptions> = {}): QrsClient =>
    createQrsClient({
      host: SIM_HOST,
      prefix: 'jwt',
      auth: { type: 'jwt', token: jwt },
      fetch,
      pacing: false,
      ...options,
    });
  return { host, clock, jwt, log, before, fetch, qrs };
}

export const qvf = (script: string): Uint8Array =>
  encodeQvf({ name: 'Template', description: '', script, properties: {}, objects: [], hasData: true });
