import { redactText } from '@qlik-oem/core';

/** The JSON form of an error as it is written to the journal and sent with events. Never holds a secret. */
export interface SerializedError {
  name: string;
  message: string;
  /** Qlik error code or Node error code, when there is one. */
  code?: string;
  /** HTTP status, for HTTP errors. */
  status?: number;
  /** Qlik request/trace id, so support can find the call. */
  requestId?: string;
  cause?: SerializedError;
}

const MAX_CAUSE_DEPTH = 5;

/**
 * Turns any thrown value into a secret-free, JSON-safe record. Messages are scrubbed again: errors that
 * did not come through core (a bug in a step, a driver quoting a connection string) may hold credentials.
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!isErrorLike(error)) {
    return { name: 'NonError', message: redactText(describeNonError(error)) };
  }
  const record = error as Error & { code?: unknown; status?: unknown; requestId?: unknown; traceId?: unknown };
  const out: SerializedError = { name: error.name, message: redactText(error.message) };
  if (typeof record.code === 'string') out.code = record.code;
  if (typeof record.status === 'number') out.status = record.status;
  const requestId = typeof record.requestId === 'string' ? record.requestId : record.traceId;
  if (typeof requestId === 'string') out.requestId = requestId;
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

// Duck-typed so errors from other realms (worker threads, vm contexts) keep their name and message.
function isErrorLike(value: unknown): value is Error {
  if (value instanceof Error) return true;
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.message === 'string' && typeof record.name === 'string';
}

function describeNonError(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return String(value);
  // Objects are not dumped: they may be request bodies with credentials in them.
  return `thrown ${typeof value}`;
}
