/** A data connection to a real PostgreSQL server, through node-postgres (`pg`). */
import pg from 'pg';
import type { DatabaseProperties } from './connect-string.js';
import type { OpenConnection } from './interpreter.js';
import { connectFailure, sqlFailure } from './sql-errors.js';
import { RAW_TEXT_TYPES, sqlRowSet } from './sql-values.js';

const CONNECT_TIMEOUT_MS = 10_000;

const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    RAW_TEXT_TYPES.includes(oid)
      ? (value: string) => value
      : (pg.types.getTypeParser(oid, format) as (value: string) => unknown),
};

export async function openPostgres(props: DatabaseProperties): Promise<OpenConnection> {
  const client = new pg.Client({
    host: props.host,
    port: props.port,
    database: props.database,
    user: props.user,
    password: props.password ?? '',
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    types,
  });
  // An error after connecting (server gone) surfaces on the next query; without a listener it would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectFailure(error, `${props.host}:${props.port}`);
  }
  return {
    async query(sql, formats) {
      try {
        const result = await client.query({ text: sql, rowMode: 'array' });
        return sqlRowSet(result.fields, result.rows as unknown[][], formats);
      } catch (error) {
        throw sqlFailure(error);
      }
    },
    close: () => client.end(),
  };
}
