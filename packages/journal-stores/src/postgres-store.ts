// The PostgreSQL journal store: an append-only table, a lease row per customer for its lock, compaction by deleting
// superseded rows, and the fleet's coordination of tenant creates (advisory locks on a session of its own, claim tables).
import {
  acquireLease,
  compactJournal,
  createFleetGate,
  isJournalEntry,
  type FleetCoordination,
  type FleetGateBackend,
  type JournalEntry,
  type JournalLock,
  type JournalStore,
  type LeaseBackend,
  type LeaseOptions,
  type LockHolder,
} from '@qlik-oem/recipes';

/**
 * What the store needs from a database client: one parameterised statement at a time. A `pg.Pool`, a
 * `pg.Client` and a PGlite instance all fit; every statement the store sends is atomic on its own.
 */
export interface PostgresQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** A connection of its own (a `pg.PoolClient`): advisory locks belong to the session that took them. */
export interface PostgresSession extends PostgresQueryable {
  /** Gives the connection back; with an error, it is closed (`pg.PoolClient.release(error)`). */
  release?(error?: unknown): void;
}

export interface PostgresJournalStoreOptions extends LeaseOptions {
  client: PostgresQueryable;
  /**
   * Where the fleet's tenant-create gate takes its advisory locks: a session of its own while it holds any (taken
   * when the first create or reconciliation starts, given back when the last one ends). Default: `client.connect()`
   * when `client` is a pool (a `pg.Pool`), otherwise `client` itself (one connection: a `pg.Client`, PGlite).
   */
  session?: () => Promise<PostgresSession>;
  /** Table of the entries; the leases go into `<table>_leases`. Default `qlik_oem_journal`, optionally schema-qualified. */
  table?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,40}(\.[a-z_][a-z0-9_]{0,40})?$/;

/**
 * Keeps every customer's journal in one append-only table (a row per entry, read back in insert
 * order) and locks a customer with a lease row whose expiry the database's own clock judges, so brokers
 * on many machines share it. `createPostgresJournalStore` creates the tables if they are missing.
 */
export class PostgresJournalStore implements JournalStore {
  readonly #client: PostgresQueryable;
  readonly #entries: string;
  readonly #leases: string;
  readonly #leaseOptions: LeaseOptions;

  constructor(options: PostgresJournalStoreOptions) {
    const table = options.table ?? 'qlik_oem_journal';
    if (!IDENTIFIER.test(table)) {
      throw new TypeError(`table must be a lower-case SQL identifier (optionally schema.table), got "${table}"`);
    }
    this.#client = options.client;
    this.#entries = table;
    this.#leases = `${table}_leases`;
    const { client: _client, table: _table, session, ...leaseOptions } = options;
    this.#leaseOptions = leaseOptions;
    this.coordination = postgresCoordination(options.client, table, session ?? defaultSession(options.client));
  }

  /**
   * Tenant creates of every process on this database: a gate of advisory locks (released by PostgreSQL when a
   * killed process's session ends) and the tables `<table>_tenant_claims` and `<table>_pending_creates`.
   */
  readonly coordination: FleetCoordination;

  /** Creates the tables and index if they are missing; safe to run from many processes at once. */
  async migrate(): Promise<void> {
    // One statement under a transaction-scoped advisory lock: concurrent CREATE ... IF NOT EXISTS can collide otherwise.
    await this.#client.query(`DO $$ BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('${this.#entries}'));
      CREATE TABLE IF NOT EXISTS ${this.#entries} (
        id bigserial PRIMARY KEY,
        customer_id text NOT NULL,
        entry jsonb NOT NULL
      );
      CREATE INDEX IF NOT EXISTS ${this.#entries.replace('.', '_')}_customer ON ${this.#entries} (customer_id, id);
      CREATE TABLE IF NOT EXISTS ${this.#leases} (
        customer_id text PRIMARY KEY,
        holder_id text NOT NULL,
        holder jsonb NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE TABLE IF NOT EXISTS ${this.#entries}_tenant_claims (
        tenant_id text PRIMARY KEY,
        customer_id text NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE IF NOT EXISTS ${this.#entries}_pending_creates (
        customer_id text PRIMARY KEY,
        since timestamptz NOT NULL DEFAULT now()
      );
    END $$`);
  }

  async append(entry: JournalEntry): Promise<void> {
    // JSON text, so what is stored is what any store keeps (a Secret becomes "[REDACTED]").
    await this.#client.query(`INSERT INTO ${this.#entries} (customer_id, entry) VALUES ($1, $2::jsonb)`, [
      entry.customerId,
      JSON.stringify(entry),
    ]);
  }

  async read(customerId: string): Promise<JournalEntry[]> {
    return (await this.#rows(customerId)).map((row) => row.entry).filter(isJournalEntry);
  }

  lock(customerId: string): Promise<JournalLock> {
    return acquireLease(customerId, this.#leaseBackend, this.#leaseOptions);
  }

  /** Deletes the rows a finished run superseded, in one statement. */
  async compact(customerId: string): Promise<void> {
    const rows = (await this.#rows(customerId)).filter((row) => isJournalEntry(row.entry));
    const kept = new Set<unknown>(compactJournal(rows.map((row) => row.entry as JournalEntry)));
    const dropped = rows.filter((row) => !kept.has(row.entry)).map((row) => row.id);
    if (dropped.length === 0) return;
    await this.#client.query(`DELETE FROM ${this.#entries} WHERE customer_id = $1 AND id = ANY($2::bigint[])`, [
      customerId,
      dropped,
    ]);
  }

  async #rows(customerId: string): Promise<Array<{ id: string; entry: unknown }>> {
    const result = await this.#client.query(
      `SELECT id::text AS id, entry FROM ${this.#entries} WHERE customer_id = $1 ORDER BY ${this.#entries}.id`,
      [customerId],
    );
    return result.rows as Array<{ id: string; entry: unknown }>;
  }

  readonly #leaseBackend: LeaseBackend = {
    tryAcquire: async (customerId, holder, leaseMs): Promise<LockHolder | undefined> => {
      const { expiresAt: _expiresAt, ...who } = holder;
      // A lease released between the two statements is simply tried again.
      for (let round = 0; ; round++) {
        // Insert, or take over a row whose lease ran out by the database's clock: one atomic statement.
        const taken = await this.#client.query(
          `INSERT INTO ${this.#leases} (customer_id, holder_id, holder, expires_at)
           VALUES ($1, $2, $3::jsonb, clock_timestamp() + $4 * interval '1 millisecond')
           ON CONFLICT (customer_id) DO UPDATE
             SET holder_id = excluded.holder_id, holder = excluded.holder, expires_at = excluded.expires_at
             WHERE ${this.#leases}.expires_at <= clock_timestamp()
           RETURNING holder_id`,
          [customerId, holder.id, JSON.stringify(who), leaseMs],
        );
        if (taken.rows.length > 0) return undefined;
        const current = await this.#client.query(
          `SELECT holder, to_json(expires_at) #>> '{}' AS expires_at FROM ${this.#leases} WHERE customer_id = $1`,
          [customerId],
        );
        const row = current.rows[0] as { holder: LockHolder; expires_at: string } | undefined;
        if (row) return { ...row.holder, expiresAt: new Date(row.expires_at).toISOString() };
        if (round >= 3) return { pid: 0, host: 'unknown', since: new Date().toISOString() };
      }
    },
    renew: async (customerId, holder, leaseMs) => {
      const renewed = await this.#client.query(
        `UPDATE ${this.#leases} SET expires_at = clock_timestamp() + $3 * interval '1 millisecond'
         WHERE customer_id = $1 AND holder_id = $2 RETURNING 1`,
        [customerId, holder.id, leaseMs],
      );
      return renewed.rows.length > 0;
    },
    release: async (customerId, holder) => {
      await this.#client.query(`DELETE FROM ${this.#leases} WHERE customer_id = $1 AND holder_id = $2`, [
        customerId,
        holder.id,
      ]);
    },
  };
}

/** A pool gives the gate one of its connections; anything else is one connection already. */
function defaultSession(client: PostgresQueryable): () => Promise<PostgresSession> {
  const pool = client as PostgresQueryable & { connect?: () => Promise<PostgresSession>; idleCount?: unknown };
  if (typeof pool.connect === 'function' && typeof pool.idleCount === 'number') return () => pool.connect!();
  return async () => client;
}

// One coordination per client and table, so stores over one connection (PGlite) share its one session's locks.
const coordinations = new WeakMap<object, Map<string, FleetCoordination>>();

function postgresCoordination(
  client: PostgresQueryable,
  table: string,
  connect: () => Promise<PostgresSession>,
): FleetCoordination {
  let byTable = coordinations.get(client);
  if (!byTable) coordinations.set(client, (byTable = new Map<string, FleetCoordination>()));
  let coordination = byTable.get(table);
  if (!coordination) {
    const claims = `${table}_tenant_claims`;
    const pending = `${table}_pending_creates`;
    coordination = {
      gate: createFleetGate(advisoryGate(table, connect)),
      claims: {
        async pending(customerId) {
          await client.query(`INSERT INTO ${pending} (customer_id) VALUES ($1) ON CONFLICT DO NOTHING`, [customerId]);
        },
        async settle(customerId, tenantId) {
          if (tenantId === undefined) {
            await client.query(`DELETE FROM ${pending} WHERE customer_id = $1`, [customerId]);
            return;
          }
          // One statement: the claim and the end of the pending create are seen together.
          await client.query(
            `WITH settled AS (DELETE FROM ${pending} WHERE customer_id = $1)
             INSERT INTO ${claims} (tenant_id, customer_id) VALUES ($2, $1) ON CONFLICT (tenant_id) DO NOTHING`,
            [customerId, tenantId],
          );
        },
        async read(tenantIds) {
          const { rows } = await client.query(
            `SELECT 'claimed' AS kind, tenant_id AS id FROM ${claims} WHERE tenant_id = ANY($1::text[])
             UNION ALL SELECT 'pending', customer_id FROM ${pending}`,
            [[...tenantIds]],
          );
          const result = { claimed: new Set<string>(), pending: new Set<string>() };
          for (const row of rows as Array<{ kind: 'claimed' | 'pending'; id: string }>) result[row.kind].add(row.id);
          return result;
        },
      },
    };
    byTable.set(table, coordination);
  }
  return coordination;
}

/**
 * The gate as two advisory locks of the database (keyed by the table): the gate itself, shared by processes with
 * creates in flight, and a writer's announcement, which a reconciliation takes first so that no process starts a
 * new create while it waits. Only `pg_try_*` calls: the gate polls, so nothing blocks the session.
 */
function advisoryGate(table: string, connect: () => Promise<PostgresSession>): FleetGateBackend {
  const key = `qlik-oem-tenant-gate:${table}`;
  let session: PostgresSession | undefined;
  let shared = false;
  let announced = false;
  let exclusive = false;
  const open = async () => (session ??= await connect());
  const ask = async (sql: string): Promise<boolean> => {
    const current = await open();
    try {
      return ((await current.query(sql, [key])).rows[0] as { ok: boolean }).ok === true;
    } catch (error) {
      // A session that failed is given back to be closed (a pool destroys it): its locks end with it.
      current.release?.(error);
      session = undefined;
      shared = announced = exclusive = false;
      throw error;
    }
  };
  // Gives the session back when this process holds nothing (every lock of a session is its own).
  const idle = () => {
    if (shared || announced || exclusive || !session) return;
    session.release?.();
    session = undefined;
  };
  return {
    async tryShared(holding) {
      try {
        if (holding && shared)
          // Still admitting: only while no reconciliation announced itself.
          return await ask(
            `SELECT CASE WHEN pg_try_advisory_lock_shared(hashtext($1), 2)
               THEN pg_advisory_unlock_shared(hashtext($1), 2) ELSE false END AS ok`,
          );
        shared = await ask(
          `SELECT CASE WHEN pg_try_advisory_lock_shared(hashtext($1), 2) THEN
             (CASE WHEN pg_try_advisory_lock_shared(hashtext($1), 1) THEN pg_advisory_unlock_shared(hashtext($1), 2)
              ELSE NOT pg_advisory_unlock_shared(hashtext($1), 2) END)
           ELSE false END AS ok`,
        );
        return shared;
      } finally {
        idle();
      }
    },
    async releaseShared() {
      try {
        if (shared) await ask(`SELECT pg_advisory_unlock_shared(hashtext($1), 1) AS ok`);
      } finally {
        shared = false;
        idle();
      }
    },
    async tryExclusive() {
      try {
        if (!announced) announced = await ask(`SELECT pg_try_advisory_lock(hashtext($1), 2) AS ok`);
        if (announced && !exclusive) exclusive = await ask(`SELECT pg_try_advisory_lock(hashtext($1), 1) AS ok`);
        return exclusive;
      } finally {
        idle();
      }
    },
    async releaseExclusive() {
      try {
        if (exclusive) await ask(`SELECT pg_advisory_unlock(hashtext($1), 1) AS ok`);
        if (announced) await ask(`SELECT pg_advisory_unlock(hashtext($1), 2) AS ok`);
      } finally {
        exclusive = false;
        announced = false;
        idle();
      }
    },
  };
}

/** Opens the store and creates its tables if they are missing. */
export async function createPostgresJournalStore(options: PostgresJournalStoreOptions): Promise<PostgresJournalStore> {
  const store = new PostgresJournalStore(options);
  await store.migrate();
  return store;
}
