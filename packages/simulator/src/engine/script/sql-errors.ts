/** Driver errors as reload errors: connection problems apart from failing SQL, in the words Qlik's connector log uses. */
import { StatementError } from './errors.js';

const CONNECT_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH']);

const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A failure to open the connection (unreachable server, wrong password, unknown database). */
export function connectFailure(error: unknown, where: string): StatementError {
  const code = codeOf(error);
  const reason = code && CONNECT_CODES.has(code) ? `cannot reach ${where} (${code})` : messageOf(error);
  return new StatementError(`Connector connect error: ${reason}`, 'CONNECTION_FAILED');
}

/** A statement the database refused. */
export function sqlFailure(error: unknown): StatementError {
  const code = codeOf(error);
  return new StatementError(`SQL##f - SqlState: ${code ?? 'unknown'}, ErrorMsg: ${messageOf(error)}`, 'SQL_ERROR');
}
