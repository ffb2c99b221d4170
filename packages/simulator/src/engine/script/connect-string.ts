/**
 * The properties of a database data connection, read from its connect statement as Qlik's
 * PostgreSQL connector writes it (`CUSTOM CONNECT TO "provider=...;driver=postgres;host=h;port=5432;db=d;"`)
 * or as a bare `key=value;` list. Key names are case-insensitive; `db`/`database`, `user`/`uid`/`username`
 * and `password`/`pwd` are synonyms (unverified beyond host, port and database: Qlik documents the
 * dialog fields, not the string; registry: engine-connect-string-synonyms).
 */
import { StatementError } from './errors.js';

export interface DatabaseProperties {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string | undefined;
  readonly password: string | undefined;
}

const KEYS: Record<string, 'host' | 'port' | 'database' | 'user' | 'password' | 'driver'> = {
  host: 'host',
  server: 'host',
  port: 'port',
  db: 'database',
  database: 'database',
  user: 'user',
  uid: 'user',
  username: 'user',
  password: 'password',
  pwd: 'password',
  driver: 'driver',
};

/** The database a connect statement names, or a `StatementError` when it names none. */
export function databaseProperties(
  connectStatement: string,
  credentials: { user?: string | undefined; password?: string | undefined } = {},
): DatabaseProperties {
  const inner = /^\s*custom\s+connect\s+to\s+"([^"]*)"\s*;?\s*$/i.exec(connectStatement)?.[1] ?? connectStatement;
  const found: Partial<Record<'host' | 'port' | 'database' | 'user' | 'password' | 'driver', string>> = {};
  for (const part of inner.split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const key = KEYS[part.slice(0, at).trim().toLowerCase()];
    if (key) found[key] = part.slice(at + 1).trim();
  }
  if (found.driver !== undefined && !/^postgres(ql)?$/i.test(found.driver)) {
    throw new StatementError(
      `The simulator's database connections speak PostgreSQL, not '${found.driver}'`,
      'CONNECTION_FAILED',
    );
  }
  if (!found.host) throw new StatementError('The connection names no database host', 'CONNECTION_FAILED');
  const port = found.port === undefined ? 5432 : Number(found.port);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw new StatementError(`The connection's port is not a port: ${found.port}`, 'CONNECTION_FAILED');
  }
  return {
    host: found.host,
    port,
    database: found.database ?? 'postgres',
    user: credentials.user ?? found.user,
    password: credentials.password ?? found.password,
  };
}
