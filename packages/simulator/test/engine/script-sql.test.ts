// SQL SELECT through data connections: the embedded PostgreSQL (PGlite) and, when TEST_POSTGRES_URL is set, a real server.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithServers } from '../../../../test/servers.js';
import {
  Databases,
  databaseProperties,
  ordersSeedSql,
  runScript,
  type DataSources,
} from '../../src/engine/script/index.js';
import { StatementError } from '../../src/engine/script/errors.js';
import { TEMPLATE_SCRIPT } from '../../src/state/state-file.js';

const databases = new Databases([
  { host: 'locked-db.partner.example', database: 'analytics', user: 'qlik', password: 'right', seed: 'orders' },
  { host: '*.partner.example', seed: 'orders' },
]);
afterAll(() => databases.close());

/** Connections by name, as a tenant would hold them. */
function sources(connections: Record<string, string>, files: Record<string, string> = {}): DataSources {
  return {
    async readFile(path) {
      const content = files[path];
      if (content === undefined) throw new StatementError(`Cannot open file: '${path}'`, 'FILE_NOT_FOUND');
      return new TextEncoder().encode(content);
    },
    async connect(target) {
      const statement = connections[target];
      if (statement === undefined) throw new StatementError(`Connection '${target}' not found`, 'CONNECTION_NOT_FOUND');
      return databases.open(databaseProperties(statement));
    },
  };
}

const ORDERS_SCRIPT = `LIB CONNECT TO 'Customer Data';
ProductNames:
MAPPING LOAD product_code, product_name;
SQL SELECT product_code, product_name FROM products;

Orders:
LOAD order_id AS OrderID, ApplyMap('ProductNames', product_code, 'Unknown') AS Product, region AS Region,
     Year(order_date) AS OrderYear, quantity * unit_price AS Amount;
SQL SELECT order_id, order_date, product_code, region, quantity, unit_price FROM orders ORDER BY order_id;
DISCONNECT;`;

const ACME = { 'Customer Data': 'host=acme-db.partner.example;database=analytics' };

describe('SQL SELECT on the embedded PostgreSQL', { timeout: 120_000 }, () => {
  it('loads the customer database through a preceding LOAD and a mapping', async () => {
    const result = await runScript(ORDERS_SCRIPT, { sources: sources(ACME) });
    if (!result.success) throw result.error;
    const [orders] = result.data.tables;
    expect(result.data.tables).toHaveLength(1);
    expect(orders!.name).toBe('Orders');
    expect(orders!.fields).toEqual(['OrderID', 'Product', 'Region', 'OrderYear', 'Amount']);
    expect(orders!.rows.length).toBeGreaterThanOrEqual(24);
    for (const row of orders!.rows) {
      expect(['Widget', 'Gadget', 'Gizmo', 'Sprocket', 'Flange', 'Doohickey']).toContain(row[1]);
      expect(['North', 'South']).toContain(row[2]);
      expect(row[3]).toBe(2024);
      expect(typeof row[4]).toBe('number');
    }
  });

  it("runs the default template app's script: orders with names and regions, section access for two users", async () => {
    const result = await runScript(TEMPLATE_SCRIPT, { sources: sources(ACME) });
    if (!result.success) throw result.error;
    const [orders] = result.data.tables;
    expect(result.data.tables.map((t) => t.name)).toEqual(['Orders']);
    expect(orders!.fields).toEqual([
      'OrderID',
      'OrderDate',
      'Product',
      'REGION',
      'Quantity',
      'UnitPrice',
      'OrderYear',
      'OrderMonth',
      'Amount',
    ]);
    const at = (field: string) => orders!.fields.indexOf(field);
    for (const row of orders!.rows) {
      expect(['NORTH', 'SOUTH']).toContain(row[at('REGION')]);
      expect(row[at('Amount')]).toBeCloseTo((row[at('Quantity')] as number) * (row[at('UnitPrice')] as number), 9);
      expect(row[at('OrderDate')]).toMatchObject({ text: expect.stringMatching(/^2024-\d\d-\d\d$/) });
    }
    expect(result.data.sectionAccess).toEqual([
      {
        name: 'Access',
        fields: ['ACCESS', 'USERID', 'REGION'],
        rows: [
          ['USER', 'ACME-NORTH', 'NORTH'],
          ['USER', 'ACME-SOUTH', 'SOUTH'],
          ['ADMIN', 'INTERNAL\\SA_SCHEDULER', '*'],
          ['ADMIN', 'QLIKBOT\\SIM-EU-REGIONAL', '*'],
          ['ADMIN', 'QLIKBOT\\SIM-US-REGIONAL', '*'],
          ['ADMIN', 'QLIKBOT\\SIM-SOURCE-CLIENT', '*'],
        ],
      },
    ]);
  });

  it('gives each customer database its own deterministic data', async () => {
    const run = async (host: string) => {
      const result = await runScript(ORDERS_SCRIPT, {
        sources: sources({ 'Customer Data': `host=${host};database=analytics` }),
      });
      if (!result.success) throw result.error;
      return result.data.tables[0]!.rows;
    };
    const acme = await run('acme-db.partner.example');
    expect(await run('acme-db.partner.example')).toEqual(acme);
    expect(await run('globex-db.partner.example')).not.toEqual(acme);
  });

  it('shows dates through DateFormat', async () => {
    const result = await runScript(
      `SET DateFormat='DD.MM.YYYY';\nLIB CONNECT TO 'Customer Data';\nT: SQL SELECT DATE '2024-03-05' AS d;`,
      { sources: sources(ACME) },
    );
    if (!result.success) throw result.error;
    expect(result.data.tables[0]!.rows).toEqual([[{ text: '05.03.2024', num: 45356 }]]);
  });

  it('fails a wrong password on the LIB CONNECT line', async () => {
    const result = await runScript(`TRACE start;\nLIB CONNECT TO 'Locked';`, {
      sources: sources({ Locked: 'host=locked-db.partner.example;database=analytics;user=qlik;password=wrong' }),
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error).toMatchObject({ code: 'CONNECTION_FAILED', line: 2, statement: "LIB CONNECT TO 'Locked'" });
    expect(result.error.message).toContain('password authentication failed for user "qlik"');
    expect(result.error.message).not.toContain('wrong');
  });

  it('fails a failing SQL statement with its line and the database message', async () => {
    const result = await runScript(`LIB CONNECT TO 'Customer Data';\n\nT: SQL SELECT * FROM missing_table;`, {
      sources: sources(ACME),
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error).toMatchObject({ code: 'SQL_ERROR', line: 3 });
    expect(result.error.message).toContain('relation "missing_table" does not exist');
  });

  it('fails an unreachable database server', async () => {
    const result = await runScript(`LIB CONNECT TO 'Gone';`, {
      sources: sources({ Gone: 'host=127.0.0.1;port=1;database=x;user=u;password=p' }),
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error).toMatchObject({ code: 'CONNECTION_FAILED', line: 1 });
    expect(result.error.message).toContain('ECONNREFUSED');
  });

  it('keeps the database unchanged by a script that writes', async () => {
    const result = await runScript(
      `LIB CONNECT TO 'Customer Data';\nSQL DELETE FROM orders;\nT: SQL SELECT count(*) AS n FROM orders;`,
      { sources: sources(ACME) },
    );
    if (!result.success) throw result.error;
    expect(result.data.tables[0]!.rows[0]![0]).toBeGreaterThan(0);
  });
});

describe('LOAD ... FROM a delimited file', () => {
  it('reads the file with embedded labels and the delimiter', async () => {
    const result = await runScript(
      `T: LOAD Name, Amount * 2 AS Double FROM [lib://DataFiles/sales.csv] (txt, utf8, embedded labels, delimiter is ',');`,
      { sources: sources({}, { 'lib://DataFiles/sales.csv': 'Name,Amount\n"Smith, J",10\nLee,2.5\n' }) },
    );
    if (!result.success) throw result.error;
    expect(result.data.tables).toEqual([
      {
        name: 'T',
        fields: ['Name', 'Double'],
        rows: [
          ['Smith, J', 20],
          ['Lee', 5],
        ],
      },
    ]);
  });

  it('names an unlabelled table after the file and fails a missing file with its line', async () => {
    const files = { 'lib://DataFiles/regions.csv': 'Region\nNorth\n' };
    const ok = await runScript(`LOAD * FROM [lib://DataFiles/regions.csv] (txt);`, { sources: sources({}, files) });
    if (!ok.success) throw ok.error;
    expect(ok.data.tables[0]!.name).toBe('regions');
    const missing = await runScript(`\nLOAD * FROM [lib://DataFiles/nope.csv] (txt);`, { sources: sources({}, files) });
    expect(missing.success).toBe(false);
    if (missing.success) return;
    expect(missing.error).toMatchObject({ code: 'FILE_NOT_FOUND', line: 2 });
  });
});

describeWithServers(['TEST_POSTGRES_URL'], 'SQL SELECT on a real PostgreSQL server', (url) => {
  const name = `qlik_sim_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: url });

  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  });

  it('loads the same tables as from the embedded database', { timeout: 120_000 }, async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const server = new URL(url);
    const own = new URL(url);
    own.pathname = `/${name}`;
    const seeded = new pg.Client({ connectionString: own.toString() });
    await seeded.connect();
    await seeded.query(ordersSeedSql('acme-db.partner.example'));
    await seeded.end();
    const real = [
      `host=${server.hostname}`,
      `port=${server.port || 5432}`,
      `database=${name}`,
      `user=${decodeURIComponent(server.username)}`,
      `password=${decodeURIComponent(server.password)}`,
    ].join(';');
    const fromServer = await runScript(ORDERS_SCRIPT, { sources: sources({ 'Customer Data': real }) });
    const embedded = await runScript(ORDERS_SCRIPT, { sources: sources(ACME) });
    if (!fromServer.success) throw fromServer.error;
    if (!embedded.success) throw embedded.error;
    expect(fromServer.data).toEqual(embedded.data);

    const failing = await runScript(`LIB CONNECT TO 'Customer Data';\nT: SQL SELECT nope FROM orders;`, {
      sources: sources({ 'Customer Data': real }),
    });
    expect(failing.success).toBe(false);
    if (!failing.success) expect(failing.error).toMatchObject({ code: 'SQL_ERROR', line: 2 });
  });
});
