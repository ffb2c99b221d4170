import { createHash, X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { importSPKI, jwtVerify, decodeProtectedHeader, type CryptoKey, type KeyObject } from 'jose';
import type { SimRequest } from '../http/types.js';
import type { QseowVirtualProxyConfig, QseowState } from './state.js';

export interface QseowUser {
  userDirectory: string;
  userId: string;
}

export type QseowAuthResult = { ok: true; user: QseowUser } | { ok: false; status: number; message: string };

const header = (req: SimRequest, name: string): string | undefined => {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/** Verifies `Authorization: Bearer <jwt>` against the virtual proxy's public key, as a JWT virtual proxy does. */
export function createJwtVerifier(proxy: QseowVirtualProxyConfig) {
  const keys = new Map<string, Promise<CryptoKey | KeyObject>>();
  const keyFor = (alg: string): Promise<CryptoKey | KeyObject> => {
    let key = keys.get(alg);
    if (!key) keys.set(alg, (key = importSPKI(proxy.jwtPublicKeyPem, alg)));
    return key;
  };
  return async (req: SimRequest): Promise<QseowAuthResult> => {
    const m = /^Bearer\s+(\S+)$/i.exec(header(req, 'authorization') ?? '');
    if (!m) return { ok: false, status: 401, message: 'The virtual proxy requires a JWT in the Authorization header' };
    try {
      const alg = decodeProtectedHeader(m[1]!).alg ?? 'RS256';
      const { payload } = await jwtVerify(m[1]!, await keyFor(alg));
      const userId = payload[proxy.userIdClaim ?? 'userid'];
      const userDirectory = payload[proxy.userDirectoryClaim ?? 'userdirectory'];
      if (typeof userId !== 'string' || typeof userDirectory !== 'string')
        return { ok: false, status: 401, message: 'The JWT lacks the user id or user directory claim' };
      return { ok: true, user: { userId, userDirectory } };
    } catch {
      return { ok: false, status: 401, message: 'The JWT is invalid, expired or not signed with the configured key' };
    }
  };
}

/**
 * "Port 4242": the repository trusts `X-Qlik-User` when the caller presents a trusted client certificate. In the
 * simulator, either a listed certificate fingerprint or the `trustRepositoryClients` flag grants that trust.
 */
export function authenticateRepositoryClient(state: QseowState, req: SimRequest): QseowAuthResult {
  const socket = req.raw?.socket as TLSSocket | undefined;
  const peer = typeof socket?.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
  const fingerprint = peer?.raw ? createHash('sha256').update(peer.raw).digest('hex') : undefined;
  const trustedFingerprints = (state.config.trustedClientCertificateFingerprints ?? []).map(normalizeFingerprint);
  const trusted =
    state.config.trustRepositoryClients === true ||
    (fingerprint !== undefined && trustedFingerprints.includes(fingerprint));
  if (!trusted)
    return { ok: false, status: 403, message: 'A trusted client certificate is required on the repository port' };
  const value = header(req, 'x-qlik-user');
  const m = value ? /UserDirectory=([^;]+);\s*UserId=([^;]+)/i.exec(value) : null;
  if (!m) return { ok: false, status: 400, message: 'X-Qlik-User: UserDirectory=<dir>; UserId=<id> is required' };
  return {
    ok: true,
    user: { userDirectory: decodeURIComponent(m[1]!.trim()), userId: decodeURIComponent(m[2]!.trim()) },
  };
}

/** Accepts `AA:BB:…` or hex, or a PEM certificate, and returns lowercase hex sha256. */
export function normalizeFingerprint(value: string): string {
  if (value.includes('BEGIN CERTIFICATE'))
    return createHash('sha256').update(new X509Certificate(value).raw).digest('hex');
  return value.replace(/:/g, '').toLowerCase();
}

/** QRS's cross-site request forgery check: the same 16-character key in the query and in `X-Qlik-Xrfkey`. */
export function checkXrfkey(req: SimRequest): string | undefined {
  let queryKey: string | undefined;
  for (const [name, value] of req.query) if (name.toLowerCase() === 'xrfkey') queryKey = value;
  const headerKey = header(req, 'x-qlik-xrfkey');
  if (!queryKey || !headerKey)
    return 'XSRF prevention check failed. Possible XSRF discovered: the Xrfkey query parameter and X-Qlik-Xrfkey header are both required.';
  if (queryKey !== headerKey)
    return 'XSRF prevention check failed. Possible XSRF discovered: the Xrfkey query parameter and X-Qlik-Xrfkey header differ.';
  if (!/^[0-9A-Za-z]{16}$/.test(queryKey))
    return 'XSRF prevention check failed: the Xrfkey must be 16 alphanumeric characters.';
  return undefined;
}
