import { createSecureContext, type SecureContext } from 'node:tls';
import { generate } from 'selfsigned';

export interface CertificateAuthority {
  /** PEM of the generated CA certificate: trust it in clients (`curl --cacert`, `NODE_EXTRA_CA_CERTS`). */
  caPem: string;
  /** A TLS context for `servername`, with a leaf certificate signed by the CA (cached per name). */
  contextFor(servername: string): Promise<SecureContext>;
  /** Key and certificate chain for clients that send no SNI name (localhost / 127.0.0.1). */
  defaultPems(): Promise<{ key: string; cert: string }>;
}

const validity = (): { notBeforeDate: Date; notAfterDate: Date } => {
  const now = Date.now();
  return { notBeforeDate: new Date(now - 24 * 3600_000), notAfterDate: new Date(now + 365 * 24 * 3600_000) };
};

/** A CA generated at start; leaf certificates per host name are minted on first use (SNI). */
export async function createCertificateAuthority(): Promise<CertificateAuthority> {
  const ca = await generate([{ name: 'commonName', value: 'Qlik OEM Simulator CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ...validity(),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const contexts = new Map<string, Promise<SecureContext>>();
  const mintPems = async (
    name: string,
    altNames: Array<{ type: 2; value: string } | { type: 7; ip: string }>,
  ): Promise<{ key: string; cert: string }> => {
    const leaf = await generate([{ name: 'commonName', value: name }], {
      keyType: 'ec',
      algorithm: 'sha256',
      ...validity(),
      ca: { key: ca.private, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
      ],
    });
    return { key: leaf.private, cert: `${leaf.cert}\n${ca.cert}` };
  };
  const mint = async (name: string): Promise<SecureContext> =>
    createSecureContext(
      await mintPems(name, /^[\d.]+$/.test(name) ? [{ type: 7, ip: name }] : [{ type: 2, value: name }]),
    );
  return {
    caPem: ca.cert,
    defaultPems: () =>
      mintPems('localhost', [
        { type: 2, value: 'localhost' },
        { type: 7, ip: '127.0.0.1' },
      ]),
    contextFor(servername) {
      const name = (servername || 'localhost').toLowerCase();
      let ctx = contexts.get(name);
      if (!ctx) {
        ctx = mint(name);
        contexts.set(name, ctx);
      }
      return ctx;
    },
  };
}
