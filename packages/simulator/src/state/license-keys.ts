import { createHmac, timingSafeEqual } from 'node:crypto';

export interface LicensePayload {
  licenseNumber: string;
  product: string;
  allotments: Array<{ name: string; units: number }>;
}

/** Signs and verifies license keys (JWS-like, HMAC-SHA256 over the payload with the simulator's secret). */
export class LicenseSigner {
  readonly #secret: string;

  constructor(secret: string) {
    this.#secret = secret;
  }

  sign(payload: LicensePayload): string {
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'qlik-license' })).toString('base64url');
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${header}.${body}.${this.mac(`${header}.${body}`)}`;
  }

  /** The payload of a key this simulator signed, else undefined. */
  verify(key: string): LicensePayload | undefined {
    const parts = key.split('.');
    if (parts.length !== 3) return undefined;
    const [header, body, sig] = parts as [string, string, string];
    const expected = Buffer.from(this.mac(`${header}.${body}`));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LicensePayload;
      return typeof payload.licenseNumber === 'string' ? payload : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(input: string): string {
    return createHmac('sha256', this.#secret).update(input).digest('base64url');
  }
}
