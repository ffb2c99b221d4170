import { inspect } from 'node:util';
import { isQlikValidationError } from '@qlik-oem/core';
import { describe, expect, it, vi } from 'vitest';
import { createQrsClient, getApp } from '../src/index.js';
import { startQseowSim } from './support/qseow-sim.js';

describe('QRS client: Xrfkey and auth headers', () => {
  it('sends a fresh 16-character Xrfkey on every call, the same in the query and the header', async () => {
    const site = await startQseowSim();
    const qrs = site.qrs();
    for (let i = 0; i < 3; i++) {
      const about = await qrs.api.GET('/about');
      expect(about.response.status).toBe(200);
    }
    const keys = site.log.map((entry) => {
      const query = entry.url.searchParams.get('xrfkey');
      expect(query).toMatch(/^[A-Za-z0-9]{16}$/);
      expect(entry.headers.get('x-qlik-xrfkey')).toBe(query);
      expect(entry.headers.get('authorization')).toBe(`Bearer ${site.jwt}`);
      expect(entry.url.pathname).toBe('/jwt/qrs/about');
      return query;
    });
    expect(new Set(keys).size).toBe(3);
  });

  it('sends X-Qlik-User with certificate auth on port 4242 and the header user with header auth', async () => {
    const seen: Request[] = [];
    const fetch = async (request: Request) => {
      seen.push(request);
      return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const cert = createQrsClient({
      host: 'qlik.example.com',
      auth: { type: 'certificate', cert: 'CERT', key: 'KEY', user: { userDirectory: 'CORP', userId: 'svc qlik' } },
      fetch,
      pacing: false,
    });
    await cert.api.GET('/about');
    expect(cert.baseUrl).toBe('https://qlik.example.com:4242/qrs');
    expect(seen[0]!.headers.get('x-qlik-user')).toBe('UserDirectory=CORP; UserId=svc%20qlik');
    await cert.close();
    const header = createQrsClient({
      host: 'qlik.example.com',
      prefix: '/hdr/',
      auth: { type: 'header', headerName: 'hdr-usr', user: 'CORP\\svc' },
      fetch,
      pacing: false,
    });
    await header.api.GET('/about');
    expect(seen[1]!.url).toMatch(/^https:\/\/qlik\.example\.com\/hdr\/qrs\/about\?xrfkey=/);
    expect(seen[1]!.headers.get('hdr-usr')).toBe('CORP\\svc');
  });

  it('rejects bad options and bad ids before any network call', async () => {
    const fetch = vi.fn();
    expect(() =>
      createQrsClient({ host: 'https://qlik.example.com', auth: { type: 'jwt', token: 't' }, fetch }),
    ).toThrowError(/host/);
    expect(() =>
      createQrsClient({ host: 'qlik.example.com', auth: { type: 'certificate', cert: '', key: '' }, fetch }),
    ).toThrowError(/cert/);
    const qrs = createQrsClient({ host: 'qlik.example.com', auth: { type: 'jwt', token: 't' }, fetch });
    const error = await getApp(qrs, 'not-a-guid').catch((e: unknown) => e);
    expect(isQlikValidationError(error)).toBe(true);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('keeps the JWT and the private key out of util.inspect', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzZWNyZXQiOiJ5ZXMifQ.c2lnbmF0dXJl';
    const qrs = createQrsClient({ host: 'qlik.example.com', auth: { type: 'jwt', token: jwt } });
    const certClient = createQrsClient({
      host: 'qlik.example.com',
      auth: { type: 'certificate', cert: 'CERT', key: '-----BEGIN PRIVATE KEY-----SECRETKEY' },
    });
    expect(inspect(qrs, { depth: 10 })).not.toContain(jwt);
    expect(inspect(certClient, { depth: 10 })).not.toContain('SECRETKEY');
  });
});
