/**
 * Overhead of the transport over raw fetch: sequential GETs to a local keep-alive server, the two
 * paths interleaved request by request (alternating which goes first) so drift cancels out; the
 * reported figure is the median over rounds of (transport median latency / raw median latency).
 *
 *   npx tsx bench/transport/run.ts [--requests 100] [--rounds 41]
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createTransport } from '../../packages/core/src/index.js';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '100' }, rounds: { type: 'string', default: '41' } },
});
const requests = Number(values.requests);
const rounds = Number(values.rounds);
if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(rounds) || rounds < 1) {
  throw new Error('--requests and --rounds must be positive integers');
}

const body = JSON.stringify({ data: [{ id: 'space-1', name: 'dev' }], links: { self: { href: '/api/v1/spaces' } } });

function startServer(): Promise<Server> {
  const server = createServer({ keepAlive: true }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

type Fetch = (url: string) => Promise<Response>;

async function timeOne(fetchFn: Fetch, url: string): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetchFn(url);
  // Both sides read the body the same way, as a caller would.
  await response.text();
  return Number(process.hrtime.bigint() - started) / 1e3;
}

/**
 * One round: `requests` sequential requests on each path, alternating request by request (and
 * which path goes first) so load from other processes hits both sides alike.
 */
async function round(
  raw: Fetch,
  viaTransport: Fetch,
  url: string,
  rawFirst: boolean,
): Promise<{ raw: number[]; transport: number[] }> {
  const rawUs: number[] = [];
  const transportUs: number[] = [];
  for (let i = 0; i < requests; i++) {
    if ((i % 2 === 0) === rawFirst) {
      rawUs.push(await timeOne(raw, url));
      transportUs.push(await timeOne(viaTransport, url));
    } else {
      transportUs.push(await timeOne(viaTransport, url));
      rawUs.push(await timeOne(raw, url));
    }
  }
  return { raw: rawUs, transport: transportUs };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const server = await startServer();
try {
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/api/v1/spaces?limit=10`;
  const raw: Fetch = (u) => fetch(u);
  const transport = createTransport({ pacing: false });
  const viaTransport: Fetch = (u) => transport(u);

  // Warm up sockets and JIT on both paths.
  await round(raw, viaTransport, url, true);

  const ratios: number[] = [];
  const rawMedians: number[] = [];
  const transportMedians: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const result = await round(raw, viaTransport, url, r % 2 === 0);
    const rawMedian = median(result.raw);
    const transportMedian = median(result.transport);
    rawMedians.push(rawMedian);
    transportMedians.push(transportMedian);
    ratios.push(transportMedian / rawMedian);
  }

  const ratio = median(ratios);

  // For context: raw fetch that also gets an AbortSignal + timer (what the transport's per-attempt
  // timeout needs). Node's fetch itself charges for any signal; this shows how much of the ratio that is.
  const rawWithSignal: Fetch = (u) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    return fetch(u, { signal: controller.signal }).finally(() => clearTimeout(timer));
  };
  const signalRatios: number[] = [];
  for (let r = 0; r < Math.max(5, Math.floor(rounds / 2)); r++) {
    const result = await round(raw, rawWithSignal, url, r % 2 === 0);
    signalRatios.push(median(result.transport) / median(result.raw));
  }
  console.log(`requests per run: ${requests}, rounds: ${rounds}`);
  console.log(`raw fetch   median latency: ${median(rawMedians).toFixed(1)} µs/request`);
  console.log(`transport   median latency: ${median(transportMedians).toFixed(1)} µs/request`);
  console.log(
    `median ratio transport/raw: ${ratio.toFixed(3)} (target <= 1.10) ${ratio <= 1.1 ? 'OK' : 'OVER TARGET'}`,
  );
  console.log(`context: raw fetch with an AbortSignal + timer / raw fetch: ${median(signalRatios).toFixed(3)}`);
  process.exitCode = ratio <= 1.1 ? 0 : 1;
} finally {
  server.closeAllConnections();
  server.close();
}
