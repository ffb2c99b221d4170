/**
 * The simulator's embedded PostgreSQL (PGlite, in-process WebAssembly): the databases a state file
 * declares are served from it, each in a schema of its own, so `npm start` needs no database server.
 * One PGlite is shared by every simulator of the process (it is slow to boot); a database's content
 * is a function of its declaration, and each SQL statement runs in a transaction that is rolled
 * back, so simulators cannot see each other's writes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { DatabaseProperties } from './connect-string.js';
import { StatementError } from './errors.js';
import type { OpenConnection } from './interpreter.js';
import { ordersSeedSql } from './seed-orders.js';
import { sqlFailure } from './sql-errors.js';
import { RAW_TEXT_TYPES, sqlRowSet } from './sql-values.js';

/** A database served by the embedded PostgreSQL, as a state file's `databases` entry declares it. */
export interface EmbeddedDatabase {
  /** The host name connections use, or a pattern with `*` (`*.partner.example`). */
  readonly host: string;
  /** The database name connections must use (default: any). */
  readonly database?: string;
  /** When set, connections must log on with this user and password (PostgreSQL's 28P01 otherwise). */
  readonly user?: string;
  readonly password?: string;
  /** `orders`: the template's customer data, seeded from the host name (default); or SQL to run once. */
  readonly seed?: 'orders' | { readonly sql: string };
}

let instance: Promise<PGlite> | undefined;
let users = 0;
const schemas = new Map<string, Promise<void>>();

async function pglite(): Promise<PGlite> {
  instance ??= boot();
  return instance;
}

/**
 * Boots PGlite from a freshly initialised data directory kept in the temp directory per PGlite
 * version: `initdb` is most of a first boot's seconds, and every test process would pay it again.
 */
async function boot(): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const cache = initialDataDir();
  if (cache && existsSync(cache)) {
    try {
      return await PGlite.create({ loadDataDir: new Blob([readFileSync(cache)]) });
    } catch {
      // A damaged or foreign file: boot afresh and replace it.
    }
  }
  const db = await PGlite.create();
  if (cache) {
    const dump = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
    const partial = `${cache}.${process.pid}.tmp`;
    writeFileSync(partial, dump);
    renameSync(partial, cache);
  }
  return db;
}

function initialDataDir(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
    let dir = dirname(entry);
    while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
    return join(tmpdir(), `qlik-oem-sim-pglite-${version}-initdb.tar`);
  } catch {
    return undefined;
  }
}

const parsers = Object.fromEntries(RAW_TEXT_TYPES.map((oid) => [oid, (value: string) => value]));

const globToRegExp = (glob: string): RegExp =>
  new RegExp(`^${glob.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '[^]*')}$`, 'i');

export class EmbeddedPostgres {
  readonly #databases: readonly { declaration: EmbeddedDatabase; host: RegExp }[];
  #using = false;

  constructor(databases: readonly EmbeddedDatabase[]) {
    this.#databases = databases.map((declaration) => ({ declaration, host: globToRegExp(declaration.host) }));
  }

  /** The shared PGlite, counting this instance among its users until `close`. */
  #pglite(): Promise<PGlite> {
    if (!this.#using) {
      this.#using = true;
      users += 1;
    }
    return pglite();
  }

  /** The declaration serving `host`, if any. */
  serves(host: string): EmbeddedDatabase | undefined {
    return this.#databases.find((d) => d.host.test(host))?.declaration;
  }

  /** Logs on as PostgreSQL would check it; the PGlite instance boots on the first statement only. */
  async open(props: DatabaseProperties): Promise<OpenConnection> {
    const declaration = this.serves(props.host);
    if (!declaration) throw new StatementError(`No embedded database serves ${props.host}`, 'CONNECTION_FAILED');
    if (declaration.database !== undefined && declaration.database !== props.database) {
      throw new StatementError(
        `Connector connect error: database "${props.database}" does not exist`,
        'CONNECTION_FAILED',
      );
    }
    if (
      declaration.password !== undefined &&
      (props.user !== (declaration.user ?? props.user) || props.password !== declaration.password)
    ) {
      throw new StatementError(
        `Connector connect error: password authentication failed for user "${props.user ?? ''}"`,
        'CONNECTION_FAILED',
      );
    }
    const schema = schemaName(props, declaration);
    const database = (): Promise<PGlite> => this.#pglite();
    return {
      async query(sql, formats) {
        const db = await database();
        await ensureSchema(db, schema, seedSql(props.host, declaration));
        try {
          const result = await db.transaction(async (tx) => {
            await tx.exec(`SET LOCAL search_path TO ${schema}`);
            const answer = await tx.query<unknown[]>(sql, [], { rowMode: 'array', parsers });
            await tx.rollback();
            return answer;
          });
          return sqlRowSet(result.fields, result.rows, formats);
        } catch (error) {
          throw sqlFailure(error);
        }
      },
      close: () => Promise.resolve(),
    };
  }

  /** Releases the shared PGlite when the last simulator using it closes. */
  async close(): Promise<void> {
    if (!this.#using) return;
    this.#using = false;
    users -= 1;
    if (users > 0 || !instance) return;
    const closing = instance;
    instance = undefined;
    schemas.clear();
    await (await closing).close();
  }
}

function seedSql(host: string, declaration: EmbeddedDatabase): string {
  const seed = declaration.seed ?? 'orders';
  return seed === 'orders' ? ordersSeedSql(host) : seed.sql;
}

function schemaName(props: DatabaseProperties, declaration: EmbeddedDatabase): string {
  const key = JSON.stringify([props.host.toLowerCase(), props.database, declaration.seed ?? 'orders']);
  return `sim_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

function ensureSchema(db: PGlite, schema: string, sql: string): Promise<void> {
  let ready = schemas.get(schema);
  if (!ready) {
    ready = db
      .transaction(async (tx) => {
        await tx.exec(`CREATE SCHEMA ${schema}; SET LOCAL search_path TO ${schema};`);
        await tx.exec(sql);
      })
      .then(() => undefined);
    schemas.set(schema, ready);
  }
  return ready;
}
