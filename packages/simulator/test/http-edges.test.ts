// The edges of HTTP, as a client sees them on the wire: request targets, header names, body labels.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeQvf, startSimulator, type Simulator } from '../src/index.js';
import { call, SOURCE, src, tokenFor } from './helpers.js';

let sim: Simulator;
let bot: string;

beforeAll(async () => {
  sim = await startSimulator({ latency: false });
  bot = await tokenFor(sim, SOURCE);
});
afterAll(async () => {
  expect(sim.violations).toEqual([]);
  await sim.close();
});

/** Sends one HTTP/1.1 request over a plain socket and returns the response head as written. */
function rawRequest(method: string, target: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(sim.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (end >= 0) {
        socket.destroy();
        resolve(received.slice(0, end));
      }
    });
    socket.on('error', reject);
    const lines = Object.entries({ Host: SOURCE, Connection: 'close', 'Content-Length': '0', ...headers }).map(
      ([k, v]) => `${k}: ${v}`,
    );
    socket.write(`${method} ${target} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
  });
}

/** An app of the bot's own (in its personal space), which it may export. */
async function ownAppId(): Promise<string> {
  return (await call(sim, bot, 'POST', src('/api/v1/apps'), { attributes: { name: 'Own' } })).body.attributes.id;
}

describe('edges of HTTP', () => {
  it('reads a request target that starts with // as a path on the Host, not as a host named "api"', async () => {
    const doubled = await call(sim, bot, 'GET', src('//api/v1/users/me'));
    expect(doubled.status).toBe(404);
    expect(JSON.stringify(doubled.body)).toContain('No route for GET //api/v1/users/me');
    const head = await rawRequest('GET', '//api/v1/users/me', { Authorization: `Bearer ${bot}` });
    expect(head).toMatch(/^HTTP\/1\.1 404 /);
    // The normal path still answers.
    expect((await call(sim, bot, 'GET', src('/api/v1/users/me'))).status).toBe(200);
  });

  it('writes header names as Qlik does (Location, Content-Type), not in lower case', async () => {
    const appId = await ownAppId();
    const head = await rawRequest('POST', `/api/v1/apps/${appId}/export`, { Authorization: `Bearer ${bot}` });
    expect(head).toMatch(/^HTTP\/1\.1 201 /);
    expect(head).toMatch(/\r\nLocation: \/api\/v1\/temp-contents\/\S+/);
    expect(head).not.toMatch(/\r\nlocation:/);
    const json = await rawRequest('GET', '/api/v1/spaces', { Authorization: `Bearer ${bot}` });
    expect(json).toMatch(/\r\nContent-Type: application\/json/);
    expect(json).toMatch(/\r\nContent-Length: \d+/);
    expect(json).not.toMatch(/\r\n[a-z][a-z-]*:/);
  });

  it.each([
    ['application/octet-stream'],
    ['application/json'],
    ['application/x-www-form-urlencoded'],
    ['text/plain'],
    [undefined],
  ])('imports an app labelled %s as its bytes', async (contentType) => {
    const qvf = encodeQvf({ name: 'Labelled', script: 'LOAD 1 AS x AUTOGENERATE 1;' } as Parameters<
      typeof encodeQvf
    >[0]);
    const res = await sim.fetch(src('/api/v1/apps/import?name=Labelled'), {
      method: 'POST',
      headers: { authorization: `Bearer ${bot}`, ...(contentType ? { 'content-type': contentType } : {}) },
      body: qvf,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { attributes: { name: string } }).attributes.name).toBe('Labelled');
  });
});
