// The errors of a request that got no response: timeout and network failure.
import { redactUrl } from '../redact.js';
import { QlikError, type QlikErrorOptions } from './base.js';
import type { RequestInfoForError } from './http.js';

/** An attempt got no response within its `timeoutMs`. */
export class QlikTimeoutError extends QlikError {
  override name = 'QlikTimeoutError';
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly timeoutMs: number;
  constructor(init: RequestInfoForError & { timeoutMs: number } & QlikErrorOptions) {
    const url = init.url ? redactUrl(init.url) : undefined;
    super(
      `${[init.method, url].filter(Boolean).join(' ')} timed out after ${init.timeoutMs} ms`.trim(),
      init,
      'timeout',
    );
    this.method = init.method;
    this.url = url;
    this.timeoutMs = init.timeoutMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method, url: this.url, timeoutMs: this.timeoutMs };
  }
}

/** No response came: connection refused or reset, DNS failure, TLS failure, ... */
export class QlikNetworkError extends QlikError {
  override name = 'QlikNetworkError';
  readonly method: string | undefined;
  readonly url: string | undefined;
  /** The system error code, e.g. `ECONNRESET`, when known. */
  readonly code: string | undefined;
  constructor(init: RequestInfoForError & { code?: string } & QlikErrorOptions) {
    const url = init.url ? redactUrl(init.url) : undefined;
    const what = [init.method, url].filter(Boolean).join(' ');
    super(`${what ? `${what} ` : ''}failed: ${init.code ?? 'network error'}`, init, 'network');
    this.method = init.method;
    this.url = url;
    this.code = init.code;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method, url: this.url, code: this.code };
  }
}
