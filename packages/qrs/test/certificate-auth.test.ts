import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { isQlikNetworkError } from '@qlik-oem/core';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQrsClient } from '../src/index.js';

// A QSEoW-like repository port: mutual TLS with certificates from one CA (as the QMC exports them).
async function issueCertificates() {
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'QSEoW test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const signer = { key: ca.private, cert: ca.cert };
  const server = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ca: signer,
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  const client = await selfsigned.generate([{ name: 'commonName', value: 'QlikClient' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ca: signer,
  });
  const stranger = await selfsigned.generate([{ name: 'commonName', value: 'Stranger' }], {
    keyType: 'ec',
    algorithm: 'sha256',
  });
  return { ca, server, client, stranger };
}

describe('QRS client: certificate auth', () => {
  let certs: Awaited<ReturnType<typeof issueCertificates>>;
  let server: Server;
  let port: number;
  const seen: Array<{ peer: string | undefined; user: string | undefined; xrfkey: string | undefined; url: string }> =
    [];

  beforeAll(async () => {
    certs = await issueCertificates();
    server = createServer(
      {
        key: certs.server.private,
        cert: certs.server.cert,
        ca: certs.ca.cert,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const socket = req.socket as TLSSocket;
        seen.push({
          peer: String(socket.getPeerCertificate().subject?.CN),
          user: req.headers['x-qlik-user'] as string | undefined,
          xrfkey: req.headers['x-qlik-xrfkey'] as string | undefined,
          url: req.url ?? '',
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            buildVersion: '38.22.0',
            buildDate: '',
            databaseProvider: '',
            nodeType: 1,
            sharedPersistence: true,
            requiresBootstrap: false,
            singleNodeOnly: false,
          }),
        );
      },
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
  });

  /** GET /about with this client certificate, trusting servers signed by `ca`; the client is closed after. */
  async function getAbout(cert: string, key: string, ca: string) {
    const qrs = createQrsClient({
      host: '127.0.0.1',
      port,
      auth: { type: 'certificate', cert, key, ca },
      pacing: false,
      retry: false,
    });
    try {
      return await qrs.api.GET('/about');
    } finally {
      await qrs.close();
    }
  }

  it('presents the client certificate and trusts the server through the given CA, with verification on', async () => {
    const about = await getAbout(certs.client.cert, certs.client.private, certs.ca.cert);
    expect(about.data?.buildVersion).toBe('38.22.0');
    const last = seen.at(-1)!;
    expect(last.peer).toBe('QlikClient');
    expect(last.user).toBe('UserDirectory=INTERNAL; UserId=sa_repository');
    expect(last.url).toBe(`/qrs/about?xrfkey=${last.xrfkey}`);
  });

  it('fails with a network error when the server is not signed by the given CA (no silent trust)', async () => {
    const error = await getAbout(certs.client.cert, certs.client.private, certs.stranger.cert).catch((e: unknown) => e);
    expect(isQlikNetworkError(error)).toBe(true);
  });

  it('is refused by the server with a certificate from another CA', async () => {
    const before = seen.length;
    const error = await getAbout(certs.stranger.cert, certs.stranger.private, certs.ca.cert).catch((e: unknown) => e);
    expect(isQlikNetworkError(error)).toBe(true);
    expect(seen.length).toBe(before);
  });
});
