// A deterministic sample QSEoW site for assessments: a few hundred apps over several customer streams, with sizes,
// reload histories (some failing, some never run), connections of several types, extensions and users' last use.
import type { QseowSiteSeed } from './site-seed.js';
import { seededRandom } from '../random.js';

export interface SampleSiteOptions {
  /** Customer names; each gets a stream, connections and apps. Default five customers. */
  customers?: string[];
  appsPerCustomer?: number;
  /** PRNG seed: the same seed gives the same site. */
  seed?: number;
  /** The "now" the histories are relative to (ms). Default 2026-12-01. */
  now?: number;
}

const guid = (kind: number, n: number) =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const CONNECTION_TYPES = [
  {
    type: 'QvOdbcConnectorPackage.exe',
    connectionstring: 'CUSTOM CONNECT TO "provider=QvOdbcConnectorPackage.exe;driver=sqlserver;host=sql01.corp.local"',
  },
  { type: 'folder', connectionstring: 'C:\\QlikData\\{customer}\\' },
  {
    type: 'QvRestConnector.exe',
    connectionstring: 'CUSTOM CONNECT TO "provider=QvRestConnector.exe;url=https://api.example.com/{customer}"',
  },
  { type: 'OLEDB', connectionstring: 'OLEDB CONNECT TO [Provider=SQLOLEDB.1;Data Source=erp01]' },
];
/** A third-party connector built on the QVX SDK: a few apps per customer read it (every 25th app). */
const CUSTOM_CONNECTOR = {
  type: 'PartnerErpConnector.exe',
  connectionstring: 'CUSTOM CONNECT TO "provider=PartnerErpConnector.exe;host=erp02.corp.local"',
};
const BUNDLED = ['barchart', 'linechart', 'table', 'kpi', 'piechart', 'qlik-sankey-chart'];
const EXTENSIONS = [
  { name: 'partner-gauge', type: 'visualization' as const },
  { name: 'partner-theme', type: 'theme' as const },
];
/** Themes bundled with Qlik Sense, the site's custom theme, and one that was removed from the site. */
const THEMES = ['sense', 'horizon', 'breeze', 'card', 'partner-theme', 'partner-theme-2019'];

function themeOf(r: number): { theme?: string } {
  if (r < 0.55) return {};
  if (r < 0.8) return { theme: THEMES[Math.floor(((r - 0.55) / 0.25) * 4)]! };
  return { theme: r < 0.95 ? 'partner-theme' : 'partner-theme-2019' };
}

export function sampleQseowSite(options: SampleSiteOptions = {}): QseowSiteSeed {
  const customers = options.customers ?? ['acme', 'globex', 'initech', 'umbrella', 'hooli'];
  const perCustomer = options.appsPerCustomer ?? 60;
  const random = seededRandom(options.seed ?? 19);
  const now = options.now ?? Date.parse('2026-12-01T00:00:00.000Z');
  const day = 86_400_000;
  const seed: Required<
    Pick<QseowSiteSeed, 'customProperties' | 'streams' | 'users' | 'dataConnections' | 'extensions' | 'rules' | 'apps'>
  > = {
    customProperties: [{ name: 'Customer', choiceValues: customers, objectTypes: ['App', 'Stream', 'DataConnection'] }],
    streams: [],
    users: [],
    dataConnections: [],
    extensions: EXTENSIONS.map((e, i) => ({ id: guid(5, i + 1), ...e })),
    rules: [
      { id: guid(6, 1), name: 'Customer streams', resourceFilter: 'Stream_*', rule: 'resource.@Customer=user.group' },
    ],
    apps: [],
  };
  let n = 0;
  customers.forEach((customer, c) => {
    const streamId = guid(1, c + 1);
    seed.streams.push({ id: streamId, name: customer, customProperties: { Customer: customer } });
    const connections = CONNECTION_TYPES.map((t, i) => {
      const name = `${customer} ${t.type === 'folder' ? 'files' : t.type.replace(/\W.*$/, '')} ${i}`;
      seed.dataConnections.push({
        id: guid(2, c * 10 + i + 1),
        name,
        type: t.type,
        connectionstring: t.connectionstring.replace('{customer}', customer),
        customProperties: { Customer: customer },
      });
      return { name, type: t.type };
    });
    const customName = `${customer} PartnerErp ${CONNECTION_TYPES.length}`;
    seed.dataConnections.push({
      id: guid(2, c * 10 + CONNECTION_TYPES.length + 1),
      name: customName,
      type: CUSTOM_CONNECTOR.type,
      connectionstring: CUSTOM_CONNECTOR.connectionstring,
      customProperties: { Customer: customer },
    });
    for (let u = 0; u < 8; u++) {
      // The last customer's users have not opened anything for a year.
      const idle = c === customers.length - 1 ? 365 : Math.floor(random() * 60);
      seed.users.push({
        id: guid(3, c * 100 + u + 1),
        userId: `${customer}-user${u}`,
        userDirectory: customer.toUpperCase(),
        groups: [customer],
        lastUsed: new Date(now - idle * day).toISOString(),
      });
    }
    for (let a = 0; a < perCustomer; a++) {
      n += 1;
      const id = guid(4, n);
      const r = random();
      // Mostly small apps, a few above 1 GB and a very few above 10 GB.
      const fileSize =
        r > 0.98
          ? 11 * 1024 ** 3
          : r > 0.93
            ? Math.floor(1.5 * 1024 ** 3)
            : Math.floor(random() * 400 * 1024 ** 2) + 1024 ** 2;
      const kind = random();
      const statuses: Array<'success' | 'fail'> =
        kind < 0.08 ? [] : kind < 0.18 ? ['success', 'fail'] : ['success', 'success'];
      const used = [
        ...connections.filter(() => random() < 0.35),
        ...(a % 25 === 7 ? [{ name: customName, type: CUSTOM_CONNECTOR.type }] : []),
      ];
      const sectionAccess = random() < 0.1;
      const script = [
        ...(sectionAccess
          ? [
              'Section Access;',
              'LOAD * INLINE [ACCESS, USERID\nADMIN, INTERNAL\\SA_SCHEDULER];',
              'Section Application;',
            ]
          : []),
        ...used.map((u) => `LIB CONNECT TO '${u.name}';`),
        'LOAD * FROM [lib://data/facts.qvd] (qvd);',
      ];
      const log = script
        .map((line, i) => `20261130T020000.000+0000 ${String(i + 1).padStart(4, '0')} ${line}`)
        .join('\n');
      const objects = [
        { id: guid(7, n * 10 + 1), objectType: 'sheet', engineObjectType: 'sheet' },
        {
          id: guid(7, n * 10 + 2),
          objectType: 'masterobject',
          engineObjectType: BUNDLED[Math.floor(random() * BUNDLED.length)]!,
        },
        ...(random() < 0.15
          ? [{ id: guid(7, n * 10 + 3), objectType: 'masterobject', engineObjectType: 'partner-gauge' }]
          : []),
      ];
      seed.apps.push({
        id,
        name: `${customer} app ${String(a + 1).padStart(3, '0')}`,
        // A few apps per customer are still in someone's work area (not published).
        ...(a % 20 === 19 ? {} : { streamId }),
        fileSize,
        script: script.join('\n'),
        ownerUserId: `${customer}-user${a % 8}`,
        customProperties: { Customer: customer },
        objects,
        // Most apps keep the default theme (no app properties object); a few use the partner's. Drawn from
        // the app's number, not the PRNG, so the rest of the site stays as it was.
        ...themeOf(((n * 7919) % 100) / 100),
        reloads: statuses.map((status, i) => ({
          id: guid(8, n * 10 + i + 1),
          status,
          at: new Date(now - (statuses.length - i) * day).toISOString(),
          log: status === 'fail' ? `${log}\n20261130T020001.000+0000 Error: The connection failed` : log,
        })),
        ...(c === 0 && a < 3 ? { lastDataDistribution: new Date(now - 2 * day).toISOString() } : {}),
      });
    }
  });
  return seed;
}
