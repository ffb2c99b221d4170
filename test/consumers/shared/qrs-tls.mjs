// QRS over TLS against a site with a CA of its own (a self-signed QSEoW): trusted through `ca` (an undici
// dispatcher where undici is real, Bun's fetch `tls` option on Bun), refused with another CA, closed cleanly.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:https';

/**
 * @param {{ createQrsClient: Function, createCertificateAuthority: Function, isQlikNetworkError: Function }} sdk
 * @param {string} format
 */
export async function checkQrsTls({ createQrsClient, createCertificateAuthority, isQlikNetworkError }, format) {
  const [site, stranger] = await Promise.all([createCertificateAuthority(), createCertificateAuthority()]);
  const seen = [];
  const server = createServer(await site.defaultPems(), (req, res) => {
    seen.push({ user: req.headers['x-qlik-user-header'], url: req.url });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ buildVersion: '38.22.0' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  const client = (ca) =>
    createQrsClient({
      host: '127.0.0.1',
      port,
      prefix: 'header',
      auth: { type: 'header', headerName: 'X-Qlik-User-Header', user: 'sa_api', ca },
      pacing: false,
      retry: false,
    });
  try {
    const trusted = client(site.caPem);
    try {
      const about = await trusted.api.GET('/about');
      assert.equal(about.data?.buildVersion, '38.22.0');
      assert.equal(seen.at(-1)?.user, 'sa_api');
      assert.match(seen.at(-1)?.url ?? '', /^\/header\/qrs\/about\?xrfkey=\w{16}$/);
    } finally {
      await trusted.close();
    }
    const untrusting = client(stranger.caPem);
    try {
      const error = await untrusting.api.GET('/about').catch((e) => e);
      assert.ok(isQlikNetworkError(error), `a site signed by another CA is refused, got ${error}`);
      assert.equal(seen.length, 1);
    } finally {
      await untrusting.close();
    }
  } finally {
    server.closeAllConnections?.();
    server.close();
  }
  console.log(`${format}: QRS over TLS trusts the site's own CA only`);
}
