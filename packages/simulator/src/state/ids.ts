import { createHash } from 'node:crypto';

/** Deterministic ids from the simulator's seed, so the same run creates the same ids. */
export class IdGenerator {
  private counter = 0;
  constructor(private readonly seed: number) {}

  /** A lowercase hex id of `length` characters (Qlik uses 24 for users, groups, roles ...). */
  hex(length = 24): string {
    let out = '';
    while (out.length < length) {
      out += createHash('sha256').update(`${this.seed}:${this.counter++}`).digest('hex');
    }
    return out.slice(0, length);
  }

  /** A tenant-style id: 32 url-safe characters. */
  tenantId(): string {
    const bytes = createHash('sha256').update(`tenant:${this.seed}:${this.counter++}`).digest();
    return bytes.toString('base64url').slice(0, 32);
  }
}
