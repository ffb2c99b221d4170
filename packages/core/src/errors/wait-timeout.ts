// QlikWaitTimeoutError: something the SDK waited for (a reload, a task, a distribution) did not happen in time.
import { QlikError, type QlikErrorOptions } from './base.js';

/**
 * A wait gave up at its deadline: the operation may still finish on the server. Not a transport
 * timeout (every request got its answer) and not retried as one; wait again or look at the operation.
 */
export class QlikWaitTimeoutError extends QlikError {
  override name = 'QlikWaitTimeoutError';
  readonly timeoutMs: number;
  constructor(message: string, init: { timeoutMs: number } & QlikErrorOptions) {
    super(message, init, 'wait-timeout');
    this.timeoutMs = init.timeoutMs;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs };
  }
}
