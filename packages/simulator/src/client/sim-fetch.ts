import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';

export interface SimTarget {
  port: number;
  protocol: 'http' | 'https';
  caPem: string | undefined;
  /** True when the simulator serves this hostname. */
  serves(hostname: string): boolean;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 204, 205, 304]);
const MAX_REDIRECTS = 20;

/**
 * A fetch-compatible function that sends requests for simulated hostnames to the simulator's socket,
 * keeping the original Host header (through node:http, since fetch forbids setting Host). Other URLs go
 * to `fallback` (the global fetch by default).
 */
export function createSimFetch(target: SimTarget, fallback: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!target.serves(url.hostname)) return fallback(input, init);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    return send(target, request, url, request.method, body, MAX_REDIRECTS);
  };
}

async function send(
  target: SimTarget,
  request: Request,
  url: URL,
  method: string,
  body: Buffer | undefined,
  redirectsLeft: number,
): Promise<Response> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, key) => {
    headers[key] = value;
  });
  headers.host = url.host;
  if (body) headers['content-length'] = String(body.length);
  const res = await roundTrip(target, url, method, headers, body, request.signal);
  const status = res.statusCode ?? 502;
  const location = res.headers.location;
  if (REDIRECTS.has(status) && location && request.redirect !== 'manual') {
    res.resume();
    if (request.redirect === 'error')
      throw new TypeError(`fetch failed: redirect to ${location} with redirect mode "error"`);
    if (redirectsLeft <= 0) throw new TypeError('fetch failed: too many redirects');
    const next = new URL(location, url);
    const toGet = status === 303 || ((status === 301 || status === 302) && method === 'POST');
    const nextRequest = new Request(next, {
      method: toGet ? 'GET' : method,
      headers: sameOrigin(url, next) ? request.headers : withoutAuth(request.headers),
      redirect: request.redirect,
      signal: request.signal,
    });
    if (!target.serves(next.hostname)) return fetch(nextRequest);
    const response = await send(
      target,
      nextRequest,
      next,
      nextRequest.method,
      toGet ? undefined : body,
      redirectsLeft - 1,
    );
    Object.defineProperty(response, 'redirected', { value: true });
    return response;
  }
  const responseHeaders = new Headers();
  for (const [key, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(key, v);
  }
  const hasBody = !NULL_BODY.has(status) && method !== 'HEAD';
  if (!hasBody) res.resume();
  const response = new Response(hasBody ? (Readable.toWeb(res) as ReadableStream<Uint8Array>) : null, {
    status,
    statusText: res.statusMessage ?? '',
    headers: responseHeaders,
  });
  Object.defineProperty(response, 'url', { value: url.toString() });
  return response;
}

function roundTrip(
  target: SimTarget,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const options = {
      host: '127.0.0.1',
      port: target.port,
      method,
      path: `${url.pathname}${url.search}`,
      headers,
      signal,
    };
    const req =
      target.protocol === 'https'
        ? httpsRequest({ ...options, servername: url.hostname, ...(target.caPem ? { ca: target.caPem } : {}) }, resolve)
        : httpRequest(options, resolve);
    req.on('error', (err) => {
      if (signal.aborted) reject(signal.reason);
      else reject(new TypeError('fetch failed', { cause: err }));
    });
    req.end(body);
  });
}

function sameOrigin(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.host === b.host;
}

function withoutAuth(headers: Headers): Headers {
  const copy = new Headers(headers);
  copy.delete('authorization');
  copy.delete('cookie');
  return copy;
}
