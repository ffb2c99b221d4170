// The PostgreSQL journal store against the shared JournalStore contract: a real PostgreSQL server (TEST_POSTGRES_URL) and PGlite.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createPostgresJournalStore, PostgresJournalStore } from '@qlik-oem/journal-stores';
import { journalStoreContract } from '../../../test/journal-store/contract.js';
import { describeWithServers } from '../../../test/servers.js';

describeWithServers(['TEST_POSTGRES_URL'], 'PostgreSQL journal store on a real server', (url) => {
  const table = `journal_${randomUUID().slice(0, 8)}`;
  const pools = new Map<object, pg.Pool>();
  journalStoreContract('PostgreSQL (pg)', {
    async open(options) {
      const pool = new pg.Pool({ connectionString: url, max: 4 });
      const store = await createPostgresJournalStore({ client: pool, table, ...options });
      pools.set(store, pool);
      return store;
    },
    close: async (store) => pools.get(store)?.end(),
    coordination: 'fleet',
    processes: { factory: fileURLToPath(new URL('./postgres-factory.ts', import.meta.url)), config: { url, table } },
  });
});

describe('PostgreSQL journal store on PGlite (embedded)', () => {
  // One PGlite database in this process: every client of the contract shares it. Started on first use, not
  // when the file is collected: its start-up keeps this process busy for seconds, and the real server's
  // lease tests above would see their renewals stall past a lease.
  let db: PGlite | undefined;
  const pglite = () => (db ??= new PGlite());
  journalStoreContract('PostgreSQL (PGlite)', {
    open: (options) => createPostgresJournalStore({ client: pglite(), ...options }),
    coordination: 'fleet',
  });

  it('refuses a table name that is not a plain SQL identifier, before any statement', () => {
    expect(() => new PostgresJournalStore({ client: pglite(), table: 'journal; DROP TABLE x' })).toThrow(
      /table must be a lower-case SQL identifier/,
    );
  });
});
