// Opens the PostgreSQL journal store in a contract child process, on the database the parent's test uses.
import { createPostgresJournalStore } from '@qlik-oem/journal-stores';
import type { LeaseOptions } from '@qlik-oem/recipes';
import pg from 'pg';

export async function openStore(config: { url: string; table: string }, options: LeaseOptions) {
  const pool = new pg.Pool({ connectionString: config.url, max: 2 });
  const store = await createPostgresJournalStore({ client: pool, table: config.table, ...options });
  return Object.assign(store, { close: () => pool.end() });
}
