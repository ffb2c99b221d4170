/**
 * Per-request time of three clients doing the same `GET /api/v1/spaces` against the simulator:
 * our `createQlikCloud` facade, `@qlik/api`'s spaces module, and raw `fetch` with a bearer header.
 *
 * `@qlik/api` calls the global `fetch` and takes no custom fetch or dispatcher, so the simulator is
 * reached by installing its undici dispatcher as the process's global dispatcher. All three clients
 * then go through the same global `fetch` and the same connection pool: the only difference is the
 * client code in front of it. The simulator runs in a child process, so its request handling does not
 * share this event loop with the clients being measured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setGlobalDispatcher, getGlobalDispatcher, type Dispatcher } from 'undici';
import { createSimDispatcher } from '@qlik-oem/simulator';
import { createQlikCloud, oauthClientCredentials } from '@qlik-oem/qlik-cloud';
import { getSpaces } from '@qlik/api/spaces';
import { median, quartiles } from './stats.js';

export const TENANT_HOST = 'source.eu.qlikcloud.com';
// The built-in simulator state's tenant OAuth client (see the simulator README).
const CLIENT_ID = 'sim-source-client';
const CLIENT_SECRET = 'sim-source-secret';
const LIMIT = 10;

export type ClientName = 'ours' | 'qlikApi' | 'raw';
export const clientNames: readonly ClientName[] = ['ours', 'qlikApi', 'raw'];

export interface RequestOptions {
  rounds: number;
  requestsPerRound: number;
  https: boolean;
}

export interface RequestResult {
  /** Median over rounds of each client's median per-request time, in µs. */
  medianUs: Record<ClientName, number>;
  /** [p25, p75] over rounds of the per-round medians, in µs. */
  spreadUs: Record<ClientName, [number, number]>;
  /** Median over rounds of the per-round ratio of medians. */
  ratios: { oursOverRaw: number; qlikApiOverRaw: number; oursOverQlikApi: number };
  itemsPerResponse: number;
}

interface SimChild {
  process: ChildProcess;
  port: number;
  protocol: 'http' | 'https';
  caPem: string | undefined;
}

async function startSimChild(https: boolean): Promise<SimChild> {
  const script = new URL('./sim-child.mjs', import.meta.url).pathname;
  const child = spawn(process.execPath, [script, ...(https ? ['--https'] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulator did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`the simulator exited early (code ${code})`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
  });
  const info = JSON.parse(first) as { port: number; protocol: 'http' | 'https'; caPem: string | null };
  return { process: child, port: info.port, protocol: info.protocol, caPem: info.caPem ?? undefined };
}

async function stopSimChild(child: SimChild): Promise<void> {
  if (child.process.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
  child.process.stdin?.end();
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function fetchAccessToken(): Promise<string> {
  const response = await fetch(`https://${TENANT_HOST}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, grant_type: 'client_credentials' }),
  });
  if (!response.ok) throw new Error(`the simulator refused the benchmark's OAuth client: ${response.status}`);
  const body = (await response.json()) as { access_token?: unknown };
  if (typeof body.access_token !== 'string') throw new Error('the simulator sent no access_token');
  return body.access_token;
}

/** Fills the tenant up to `count` spaces, so each response is a realistic page of `limit` items. */
async function ensureSpaces(accessToken: string, count: number): Promise<void> {
  const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  const listed = await fetch(`https://${TENANT_HOST}/api/v1/spaces?limit=${count}`, { headers });
  const existing = ((await listed.json()) as { data?: unknown[] }).data?.length ?? 0;
  for (let i = existing; i < count; i++) {
    const created = await fetch(`https://${TENANT_HOST}/api/v1/spaces`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: `Bench space ${i + 1}`,
        type: 'shared',
        description: 'A space created by bench/peers',
      }),
    });
    if (!created.ok)
      throw new Error(`could not create a space in the simulator: ${created.status} ${await created.text()}`);
  }
}

/** One call per client; each returns the number of spaces it got, so all three do the same work. */
type Call = () => Promise<number>;

function buildClients(accessToken: string): Record<ClientName, Call> {
  const qc = createQlikCloud({
    host: TENANT_HOST,
    auth: oauthClientCredentials({ host: TENANT_HOST, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
    // Client-side pacing would only add sleeps once the tier's budget is used; the benchmark measures the
    // per-request code path, so it is off (retries and timeouts stay at their defaults).
    pacing: false,
  });
  // @qlik/api's apikey auth sends `Authorization: Bearer <apiKey>`: the same header as the others.
  const hostConfig = { authType: 'apikey' as const, host: TENANT_HOST, apiKey: accessToken };
  const spacesUrl = `https://${TENANT_HOST}/api/v1/spaces?limit=${LIMIT}`;
  return {
    ours: async () => {
      const { data, error } = await qc.spaces.GET('/api/v1/spaces', { params: { query: { limit: LIMIT } } });
      if (error || !data) throw new Error('ours: GET /api/v1/spaces failed');
      return data.data?.length ?? 0;
    },
    // noCache: @qlik/api caches GET responses for 10 minutes by default; without it only the first call
    // would reach the network.
    qlikApi: async () => {
      const { data } = await getSpaces({ limit: LIMIT }, { hostConfig, noCache: true });
      return data.data?.length ?? 0;
    },
    raw: async () => {
      const response = await fetch(spacesUrl, { headers: { authorization: `Bearer ${accessToken}` } });
      if (!response.ok) throw new Error(`raw: GET /api/v1/spaces answered ${response.status}`);
      const body = (await response.json()) as { data?: unknown[] };
      return body.data?.length ?? 0;
    },
  };
}

async function timeCall(call: Call): Promise<{ us: number; items: number }> {
  const started = process.hrtime.bigint();
  const items = await call();
  return { us: Number(process.hrtime.bigint() - started) / 1e3, items };
}

/**
 * One round: `requestsPerRound` sequential requests per client, interleaved request by request with the
 * starting client rotating, so load from other processes hits every client alike.
 */
async function round(
  clients: Record<ClientName, Call>,
  requestsPerRound: number,
  offset: number,
): Promise<Record<ClientName, number[]>> {
  const times: Record<ClientName, number[]> = { ours: [], qlikApi: [], raw: [] };
  for (let i = 0; i < requestsPerRound; i++) {
    for (let k = 0; k < clientNames.length; k++) {
      const name = clientNames[(i + offset + k) % clientNames.length]!;
      times[name].push((await timeCall(clients[name])).us);
    }
  }
  return times;
}

/**
 * Before timing anything: every client must get the same answer with exactly one HTTP request per call
 * (no extra token, CSRF or product-info requests, no answer from a cache). Requests are counted by a
 * dispatcher composed over the same connection pool, used only for this check.
 */
async function checkSameWork(clients: Record<ClientName, Call>, dispatcher: Dispatcher): Promise<number> {
  const sent: string[] = [];
  setGlobalDispatcher(
    dispatcher.compose((dispatch) => (options, handler) => {
      sent.push(`${options.method} ${options.path}`);
      return dispatch(options, handler);
    }),
  );
  try {
    // A first call each, so one-time work (our OAuth token request) is not counted.
    for (const name of clientNames) await clients[name]();
    const items = new Map<ClientName, number>();
    for (const name of clientNames) {
      sent.length = 0;
      items.set(name, await clients[name]());
      if (sent.length !== 1)
        throw new Error(`${name} sent ${sent.length} HTTP requests for one call: ${sent.join(', ')}`);
    }
    const counts = [...items.values()];
    if (counts.some((n) => n !== counts[0]))
      throw new Error(`the clients disagree on the spaces: ${JSON.stringify(Object.fromEntries(items))}`);
    return counts[0]!;
  } finally {
    setGlobalDispatcher(dispatcher);
  }
}

export async function runRequestBenchmark(options: RequestOptions): Promise<RequestResult> {
  const child = await startSimChild(options.https);
  const previousDispatcher = getGlobalDispatcher();
  const dispatcher = createSimDispatcher({
    port: child.port,
    protocol: child.protocol,
    caPem: child.caPem,
    serves: (hostname) => hostname.endsWith('.qlikcloud.com'),
  });
  setGlobalDispatcher(dispatcher);
  try {
    const accessToken = await fetchAccessToken();
    await ensureSpaces(accessToken, LIMIT);
    const clients = buildClients(accessToken);
    const itemsPerResponse = await checkSameWork(clients, dispatcher);
    // Warm-up: connections, JIT, our token cache and the lazily created spaces client.
    await round(clients, Math.min(50, options.requestsPerRound), 0);

    const perRound: Record<ClientName, number[]> = { ours: [], qlikApi: [], raw: [] };
    const ratios = { oursOverRaw: [] as number[], qlikApiOverRaw: [] as number[], oursOverQlikApi: [] as number[] };
    for (let r = 0; r < options.rounds; r++) {
      const times = await round(clients, options.requestsPerRound, r);
      const m = { ours: median(times.ours), qlikApi: median(times.qlikApi), raw: median(times.raw) };
      for (const name of clientNames) perRound[name].push(m[name]);
      ratios.oursOverRaw.push(m.ours / m.raw);
      ratios.qlikApiOverRaw.push(m.qlikApi / m.raw);
      ratios.oursOverQlikApi.push(m.ours / m.qlikApi);
    }
    return {
      medianUs: { ours: median(perRound.ours), qlikApi: median(perRound.qlikApi), raw: median(perRound.raw) },
      spreadUs: { ours: quartiles(perRound.ours), qlikApi: quartiles(perRound.qlikApi), raw: quartiles(perRound.raw) },
      ratios: {
        oursOverRaw: median(ratios.oursOverRaw),
        qlikApiOverRaw: median(ratios.qlikApiOverRaw),
        oursOverQlikApi: median(ratios.oursOverQlikApi),
      },
      itemsPerResponse,
    };
  } finally {
    setGlobalDispatcher(previousDispatcher);
    await dispatcher.close();
    await stopSimChild(child);
  }
}
