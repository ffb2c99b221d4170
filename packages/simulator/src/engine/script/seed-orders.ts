/**
 * The customer database the default template app reads: products, orders and the end users of
 * section access, different per customer yet the same on every run (seeded from the database's host).
 */
import { keyedRandom } from '../../random.js';

/** The customer a database host stands for: `acme-db.partner.example` → `acme`. */
export function customerOfHost(host: string): string {
  return (host.split('.')[0] ?? host).replace(/-db$/i, '').toLowerCase();
}

/** The two end users a customer database lists for section access, one per region. */
export function endUsersOf(customer: string): { userId: string; region: string }[] {
  return [
    { userId: `${customer}-north`, region: 'North' },
    { userId: `${customer}-south`, region: 'South' },
  ];
}

const PRODUCTS: [string, string][] = [
  ['P01', 'Widget'],
  ['P02', 'Gadget'],
  ['P03', 'Gizmo'],
  ['P04', 'Sprocket'],
  ['P05', 'Flange'],
  ['P06', 'Doohickey'],
];

const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** The SQL that creates and fills the tables in the current schema. */
export function ordersSeedSql(host: string, rows?: number): string {
  const customer = customerOfHost(host);
  const next = keyedRandom(customer);
  const count = rows ?? 24 + Math.floor(next() * 25);
  const orders: string[] = [];
  for (let id = 1; id <= count; id += 1) {
    const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(next() * 366) * 86_400_000).toISOString().slice(0, 10);
    const product = PRODUCTS[Math.floor(next() * PRODUCTS.length)]![0];
    const region = next() < 0.5 ? 'North' : 'South';
    const quantity = 1 + Math.floor(next() * 9);
    const price = (5 + Math.floor(next() * 9_500) / 100).toFixed(2);
    orders.push(`(${id}, ${quote(day)}, ${quote(product)}, ${quote(region)}, ${quantity}, ${price})`);
  }
  return [
    'CREATE TABLE products (product_code text PRIMARY KEY, product_name text NOT NULL);',
    `INSERT INTO products VALUES ${PRODUCTS.map(([code, name]) => `(${quote(code)}, ${quote(name)})`).join(', ')};`,
    'CREATE TABLE orders (order_id integer PRIMARY KEY, order_date date NOT NULL, product_code text NOT NULL, region text NOT NULL, quantity integer NOT NULL, unit_price numeric(10,2) NOT NULL);',
    `INSERT INTO orders VALUES ${orders.join(', ')};`,
    'CREATE TABLE end_users (userid text NOT NULL, region text NOT NULL);',
    `INSERT INTO end_users VALUES ${endUsersOf(customer)
      .map((u) => `(${quote(u.userId)}, ${quote(u.region)})`)
      .join(', ')};`,
  ].join('\n');
}
