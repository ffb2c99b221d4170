// QlikError, the base of every SDK error: its kind, stored under a brand symbol that works across package copies.
/** Brand shared by every copy of this package, so guards work across duplicate installs. */
export const BRAND = Symbol.for('@qlik-oem/core/error');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export type QlikErrorKind =
  | 'error'
  | 'http'
  | 'rate-limit'
  | 'auth'
  | 'permission'
  | 'not-found'
  | 'conflict'
  | 'timeout'
  | 'wait-timeout'
  | 'network'
  | 'validation'
  | 'drift'
  | 'page-limit';

export interface QlikErrorOptions {
  cause?: unknown;
  /** Set by the transport when its retry policy already covered this failure. */
  retriedByTransport?: boolean;
}

/** Base of every error thrown by the SDK. Check with `isQlikError()` rather than `instanceof`. */
export class QlikError extends Error {
  override name = 'QlikError';
  /**
   * True when the transport's retry policy already handled this failure: it retried as far as its
   * attempts and retry budget allowed. Retrying it again on top (a recipe step, a job queue) only
   * multiplies requests against a server that is struggling.
   */
  readonly retriedByTransport: boolean;

  constructor(message: string, options?: QlikErrorOptions, kind: QlikErrorKind = 'error') {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, BRAND, { value: kind, enumerable: false });
    this.retriedByTransport = options?.retriedByTransport ?? false;
  }

  /** The error's kind, e.g. `'rate-limit'`; stable across package copies. */
  get kind(): QlikErrorKind {
    return (this as unknown as Record<symbol, QlikErrorKind>)[BRAND] ?? 'error';
  }

  /** Fields that are safe to serialise (no headers, no bodies, redacted URL). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, kind: this.kind, message: this.message };
  }

  [INSPECT](): string {
    const fields = this.toJSON();
    const cause = this.cause instanceof Error ? `${this.cause.name}: ${this.cause.message}` : undefined;
    const body = JSON.stringify({ ...fields, ...(cause ? { cause } : {}) }, null, 2);
    return `${this.stack ?? `${this.name}: ${this.message}`}\n${body}`;
  }
}

/** The kind stored under the brand, or undefined for anything that is not an SDK error. */
export function kindOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const kind = (error as Record<symbol, unknown>)[BRAND];
  return typeof kind === 'string' ? kind : undefined;
}
