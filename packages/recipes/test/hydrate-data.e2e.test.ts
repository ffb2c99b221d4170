// The customer's data arrives: after hydrating from the default template (real SQL over the customer's
// own database, a mapping, section access), a hypercube over each customer's published app returns the
// aggregates that customer's database computes itself, and another customer's app returns theirs.
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { withApp } from '@qlik-oem/engine';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithServers } from '../../../test/servers.js';
import { createMemoryJournalStore } from '../src/index.js';
import { hydrateFromTemplate } from '../src/recipes/hydrate-from-template.js';
import { startHydrateHarness, type HydrateHarness } from './helpers/hydrate-harness.js';

type Order = [id: number, date: string, product: string, region: string, quantity: number, price: string];

/** Each customer's own products (other names, so the mapping shows whose data it is) and orders. */
const CUSTOMERS: Record<string, { products: [string, string][]; orders: Order[] }> = {
  acme: {
    products: [
      ['P01', 'Widget'],
      ['P02', 'Gadget'],
    ],
    orders: [
      [1, '2025-01-03', 'P01', 'North', 3, '10.50'],
      [2, '2025-01-09', 'P02', 'North', 1, '99.99'],
      [3, '2025-02-11', 'P01', 'South', 7, '10.50'],
      [4, '2025-03-02', 'P02', 'South', 2, '95.00'],
      [5, '2025-03-17', 'P01', 'North', 4, '11.25'],
    ],
  },
  globex: {
    products: [
      ['P01', 'Anvil'],
      ['P02', 'Rocket'],
      ['P03', 'Magnet'],
    ],
    orders: [
      [1, '2025-04-01', 'P03', 'South', 9, '4.20'],
      [2, '2025-04-02', 'P02', 'South', 1, '1250.00'],
      [3, '2025-05-05', 'P01', 'North', 2, '310.40'],
      [4, '2025-05-06', 'P03', 'North', 5, '4.20'],
      [5, '2025-06-30', 'P02', 'North', 1, '1199.00'],
      [6, '2025-07-14', 'P01', 'South', 3, '305.00'],
      [7, '2025-08-01', 'P03', 'South', 6, '4.35'],
    ],
  },
};
const ALIASES = Object.keys(CUSTOMERS);

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The tables the template's script reads, filled with one customer's rows. */
function customerSql(alias: string): string {
  const { products, orders } = CUSTOMERS[alias]!;
  return [
    'CREATE TABLE products (product_code text PRIMARY KEY, product_name text NOT NULL);',
    `INSERT INTO products VALUES ${products.map(([code, name]) => `(${quote(code)}, ${quote(name)})`).join(', ')};`,
    'CREATE TABLE orders (order_id integer PRIMARY KEY, order_date date NOT NULL, product_code text NOT NULL, region text NOT NULL, quantity integer NOT NULL, unit_price numeric(10,2) NOT NULL);',
    `INSERT INTO orders VALUES ${orders
      .map(([id, date, product, region, quantity, price]) =>
        [id, quote(date), quote(product), quote(region), quantity, price].join(', '),
      )
      .map((values) => `(${values})`)
      .join(', ')};`,
    'CREATE TABLE end_users (userid text NOT NULL, region text NOT NULL);',
    `INSERT INTO end_users VALUES (${quote(`${alias}-north`)}, 'North'), (${quote(`${alias}-south`)}, 'South');`,
  ].join('\n');
}

/** The aggregates as the customer's database computes them, one row per region and product. */
const EXPECTED_SQL = `SELECT upper(o.region) AS region, p.product_name AS product,
  sum(o.quantity * o.unit_price)::text AS amount, count(*)::int AS orders
FROM orders o JOIN products p USING (product_code) GROUP BY 1, 2 ORDER BY 1, 2`;

interface Cube {
  rows: [region: string, product: string, amount: number, orders: number][];
  total: number;
}

const cents = (value: number) => Math.round(value * 100);

/** A customer's database that the test can also query directly. */
interface CustomerDatabase {
  connection: { connectionString: string; username: string; password: string };
  expected(): Promise<Cube>;
}

const toCube = (rows: { region: string; product: string; amount: string; orders: number }[]): Cube => ({
  rows: rows.map((r) => [r.region, r.product, cents(Number(r.amount)), r.orders]),
  total: rows.reduce((sum, r) => sum + cents(Number(r.amount)), 0),
});

/** The hypercube a user of the app sees: REGION and Product, Sum(Amount) and Count(OrderID). */
async function cubeOf(harness: HydrateHarness, alias: string, appId: string): Promise<Cube> {
  return withApp(harness.env.engine.options(`${alias}.eu.qlikcloud.com`), appId, async (doc) => {
    const object = await doc.createSessionObject({
      qInfo: { qType: 'table' },
      qHyperCubeDef: {
        qDimensions: [{ qDef: { qFieldDefs: ['REGION'] } }, { qDef: { qFieldDefs: ['Product'] } }],
        qMeasures: [{ qDef: { qDef: 'Sum(Amount)' } }, { qDef: { qDef: 'Count(OrderID)' } }],
        qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 4, qHeight: 100 }],
      },
    } as never);
    const cube = (await object.getLayout()).qHyperCube!;
    const rows = cube.qDataPages![0]!.qMatrix!.map(
      ([region, product, amount, orders]) =>
        [region!.qText!, product!.qText!, cents(amount!.qNum!), orders!.qNum!] as Cube['rows'][number],
    );
    rows.sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
    return { rows, total: cents(cube.qGrandTotalRow![0]!.qNum!) };
  });
}

/** Hydrates every customer from the default template over their database, then reads each app's cube. */
function itHydratesEachCustomersOwnData(
  databases: () => Record<string, CustomerDatabase>,
  harness: () => HydrateHarness,
): void {
  it('a hypercube over each customer’s published app returns exactly its own database’s aggregates', async () => {
    const cubes: Record<string, Cube> = {};
    for (const alias of ALIASES) {
      const h = harness();
      const input = h.inputFor(alias, {
        dataConnection: {
          name: `${alias}-orders`,
          datasourceId: 'postgres',
          ...databases()[alias]!.connection,
        },
      });
      const result = await hydrateFromTemplate(h.env, input, { journal: createMemoryJournalStore() });
      expect(result.status).toBe('provisioned');
      cubes[alias] = await cubeOf(h, alias, result.ids.publishedAppId);
      // The reload's log counted this customer's orders.
      const fetched = (result.outputs.reload as { fetched: { table: string; lines: number }[] }).fetched;
      expect(fetched).toContainEqual({ table: 'Orders', lines: CUSTOMERS[alias]!.orders.length });
    }
    for (const alias of ALIASES) expect(cubes[alias]).toEqual(await databases()[alias]!.expected());
    // Different databases, different answers: nobody got the template's or another customer's data.
    expect(cubes.acme!.rows.map((r) => r[1])).not.toContain('Anvil');
    expect(cubes.globex!.total).not.toBe(cubes.acme!.total);
  }, 120_000);
}

describe('hydrated data on the embedded PostgreSQL (PGlite)', () => {
  let harness: HydrateHarness;
  const mirrors: Record<string, PGlite> = {};
  const databases: Record<string, CustomerDatabase> = {};

  beforeAll(async () => {
    harness = await startHydrateHarness(ALIASES, 200, {
      defaultTemplate: true,
      databases: ALIASES.map((alias) => ({
        host: `${alias}-db.data.example`,
        database: 'orders',
        user: `${alias}_reader`,
        password: `${alias}-pw`,
        seed: { sql: customerSql(alias) },
      })),
    });
    // The simulator's embedded databases live inside it; the test holds the same rows in a PGlite of
    // its own and asks PostgreSQL for the aggregates there.
    for (const alias of ALIASES) {
      const mirror = new PGlite();
      await mirror.exec(customerSql(alias));
      mirrors[alias] = mirror;
      databases[alias] = {
        connection: {
          connectionString: `host=${alias}-db.data.example;database=orders`,
          username: `${alias}_reader`,
          password: `${alias}-pw`,
        },
        expected: async () =>
          toCube(
            (await mirror.query<{ region: string; product: string; amount: string; orders: number }>(EXPECTED_SQL))
              .rows,
          ),
      };
    }
  }, 120_000);

  afterAll(async () => {
    expect(harness?.sim.violations).toEqual([]);
    await Promise.all(Object.values(mirrors).map((mirror) => mirror.close()));
    await harness?.close();
  });

  itHydratesEachCustomersOwnData(
    () => databases,
    () => harness,
  );
});

describeWithServers(['TEST_POSTGRES_URL'], 'hydrated data on a real PostgreSQL server', (url) => {
  let harness: HydrateHarness;
  let admin: pg.Client;
  const clients: pg.Client[] = [];
  const created: string[] = [];
  const databases: Record<string, CustomerDatabase> = {};

  beforeAll(async () => {
    harness = await startHydrateHarness(ALIASES, 200, { defaultTemplate: true });
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const server = new URL(url);
    for (const alias of ALIASES) {
      const name = `hydrate_${alias}_${randomUUID().slice(0, 8)}`;
      await admin.query(`CREATE DATABASE ${name}`);
      created.push(name);
      const database = new URL(url);
      database.pathname = `/${name}`;
      const client = new pg.Client({ connectionString: database.toString() });
      await client.connect();
      clients.push(client);
      await client.query(customerSql(alias));
      databases[alias] = {
        connection: {
          connectionString: `host=${server.hostname};port=${server.port || 5432};database=${name}`,
          username: decodeURIComponent(server.username) || 'postgres',
          password: decodeURIComponent(server.password) || 'trust-auth-ignores-it',
        },
        expected: async () => toCube((await client.query(EXPECTED_SQL)).rows),
      };
    }
  }, 120_000);

  afterAll(async () => {
    expect(harness?.sim.violations).toEqual([]);
    await harness?.close();
    await Promise.all(clients.map((client) => client.end()));
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
  });

  itHydratesEachCustomersOwnData(
    () => databases,
    () => harness,
  );
});
