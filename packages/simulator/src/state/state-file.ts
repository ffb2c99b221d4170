import { REGION_DATACENTERS } from './regions.js';

/**
 * The initial state a partner describes in a JSON file (`--state file.json` or `startSimulator({ state })`).
 * Unknown top-level sections (e.g. `qseow`) and unknown tenant fields (e.g. `spaces`, `apps`) are kept
 * for the modules that read them.
 */
export interface StateFile {
  seed?: number;
  regions: string[];
  tenants: TenantDescription[];
  oauthClients: OAuthClientDescription[];
  [section: string]: unknown;
}

export interface TenantDescription {
  hostname: string;
  /** Extra alias hostnames. */
  aliases?: string[];
  name?: string;
  region: string;
  license?: {
    licenseNumber?: string;
    product?: string;
    allotments?: Array<{ name: string; units: number }>;
    /** A signed key to accept as valid (default: the simulator signs one). */
    licenseKey?: string;
  };
  users?: Array<{
    subject: string;
    name?: string;
    email?: string;
    roles?: string[];
    status?: 'active' | 'invited' | 'disabled';
  }>;
  groups?: Array<{ name: string; description?: string; roles?: string[] }>;
  /**
   * API keys are disabled in a new tenant until a tenant admin enables them in the Administration
   * activity center (help.qlik.com Admin/mc-generate-api-keys), which has no public API: `enabled: true`
   * describes a tenant where that was done.
   */
  apiKeys?: { enabled: boolean };
  /** Read by the content module: spaces, apps (with scripts), ... */
  [field: string]: unknown;
}

export interface OAuthClientDescription {
  clientId: string;
  clientSecret: string;
  name?: string;
  /** A regional client (works on register.<region> and every tenant of the region) ... */
  region?: string;
  /** ... or a client of one tenant, by hostname ... */
  tenant?: string;
  /** ... or an organization-level client (console.qlikcloud.com, the Organization API). */
  organization?: boolean;
  scopes?: string[];
  /** oauth-clients.json `allowedGrantTypes`: add `urn:qlik:oauth:user-impersonation` to impersonate users. */
  allowedGrantTypes?: string[];
}

export class StateFileError extends Error {
  override readonly name = 'StateFileError';
  constructor(readonly problems: string[]) {
    super(`Invalid simulator state:\n  - ${problems.join('\n  - ')}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const HOST_RE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** Validates a parsed state file; throws StateFileError listing every problem with its JSON path. */
export function validateStateFile(input: unknown): StateFile {
  const problems: string[] = [];
  if (!isObject(input)) throw new StateFileError(['the state must be a JSON object']);
  const str = (v: unknown, path: string, required = true): void => {
    if (v === undefined && !required) return;
    if (typeof v !== 'string' || v.length === 0) problems.push(`${path} must be a non-empty string`);
  };
  const arr = (v: unknown, path: string): unknown[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      problems.push(`${path} must be an array`);
      return [];
    }
    return v;
  };
  if (input.seed !== undefined && !Number.isInteger(input.seed)) problems.push('seed must be an integer');
  const regions = arr(input.regions, 'regions');
  regions.forEach((r, i) => {
    if (typeof r !== 'string' || !(r in REGION_DATACENTERS))
      problems.push(`regions[${i}] must be one of ${Object.keys(REGION_DATACENTERS).join(', ')}`);
  });
  const hostnames = new Set<string>();
  arr(input.tenants, 'tenants').forEach((t, i) => {
    const p = `tenants[${i}]`;
    if (!isObject(t)) return problems.push(`${p} must be an object`);
    for (const [j, h] of [t.hostname, ...arr(t.aliases, `${p}.aliases`)].entries()) {
      const hp = j === 0 ? `${p}.hostname` : `${p}.aliases[${j - 1}]`;
      if (typeof h !== 'string' || !HOST_RE.test(h)) problems.push(`${hp} must be a lowercase hostname`);
      else if (hostnames.has(h)) problems.push(`${hp} "${h}" is used twice`);
      else hostnames.add(h);
    }
    if (typeof t.region !== 'string' || !regions.includes(t.region))
      problems.push(`${p}.region must be one of the listed regions`);
    str(t.name, `${p}.name`, false);
    if (t.license !== undefined) {
      if (!isObject(t.license)) problems.push(`${p}.license must be an object`);
      else {
        str(t.license.licenseKey, `${p}.license.licenseKey`, false);
        arr(t.license.allotments, `${p}.license.allotments`).forEach((a, k) => {
          if (!isObject(a) || typeof a.name !== 'string' || !Number.isInteger(a.units))
            problems.push(`${p}.license.allotments[${k}] must be { name: string, units: integer }`);
        });
      }
    }
    arr(t.users, `${p}.users`).forEach((u, k) => {
      if (!isObject(u)) return problems.push(`${p}.users[${k}] must be an object`);
      str(u.subject, `${p}.users[${k}].subject`);
      str(u.email, `${p}.users[${k}].email`, false);
      arr(u.roles, `${p}.users[${k}].roles`);
    });
    arr(t.groups, `${p}.groups`).forEach((g, k) => {
      if (!isObject(g)) return problems.push(`${p}.groups[${k}] must be an object`);
      str(g.name, `${p}.groups[${k}].name`);
    });
    if (t.apiKeys !== undefined && !(isObject(t.apiKeys) && typeof t.apiKeys.enabled === 'boolean'))
      problems.push(`${p}.apiKeys must be { enabled: boolean }`);
    return undefined;
  });
  const clientIds = new Set<string>();
  arr(input.oauthClients, 'oauthClients').forEach((c, i) => {
    const p = `oauthClients[${i}]`;
    if (!isObject(c)) return problems.push(`${p} must be an object`);
    str(c.clientId, `${p}.clientId`);
    str(c.clientSecret, `${p}.clientSecret`);
    if (typeof c.clientId === 'string') {
      if (clientIds.has(c.clientId)) problems.push(`${p}.clientId "${c.clientId}" is used twice`);
      clientIds.add(c.clientId);
    }
    const hasRegion = c.region !== undefined;
    const hasTenant = c.tenant !== undefined;
    const hasOrganization = c.organization !== undefined;
    if (hasOrganization && c.organization !== true) problems.push(`${p}.organization must be true when given`);
    if ([hasRegion, hasTenant, hasOrganization].filter(Boolean).length !== 1)
      problems.push(`${p} needs exactly one of "region", "tenant" or "organization"`);
    if (hasRegion && (typeof c.region !== 'string' || !regions.includes(c.region)))
      problems.push(`${p}.region must be one of the listed regions`);
    if (hasTenant && (typeof c.tenant !== 'string' || !hostnames.has(c.tenant)))
      problems.push(`${p}.tenant must be the hostname of a listed tenant`);
    const scopes = arr(c.scopes, `${p}.scopes`);
    if (scopes.some((s) => typeof s !== 'string')) problems.push(`${p}.scopes must be strings`);
    const grants = arr(c.allowedGrantTypes, `${p}.allowedGrantTypes`);
    if (grants.some((g) => g !== 'client_credentials' && g !== 'urn:qlik:oauth:user-impersonation'))
      problems.push(`${p}.allowedGrantTypes takes "client_credentials" and "urn:qlik:oauth:user-impersonation"`);
    return undefined;
  });
  if (problems.length > 0) throw new StateFileError(problems);
  return {
    ...input,
    regions: regions as string[],
    tenants: (input.tenants ?? []) as TenantDescription[],
    oauthClients: (input.oauthClients ?? []) as OAuthClientDescription[],
  };
}

/**
 * The default template app's script: the customer's orders from their own database (a preceding LOAD
 * over SQL, product names through a mapping) and section access with the customer's two end users.
 * The built-in OAuth clients' bot users are ADMIN, as a partner lists its service account: a user
 * missing from section access (the bot too) cannot open the app.
 */
export const TEMPLATE_SCRIPT = [
  "SET DateFormat='YYYY-MM-DD';",
  "LIB CONNECT TO 'Customer Data';",
  '',
  'ProductNames:',
  'MAPPING LOAD product_code, product_name;',
  'SQL SELECT product_code, product_name FROM products;',
  '',
  'Orders:',
  'LOAD *, Year(OrderDate) AS OrderYear, Month(OrderDate) AS OrderMonth, Quantity * UnitPrice AS Amount;',
  "LOAD order_id AS OrderID, order_date AS OrderDate, ApplyMap('ProductNames', product_code, 'Unknown') AS Product,",
  '     Upper(region) AS REGION, quantity AS Quantity, unit_price AS UnitPrice;',
  'SQL SELECT order_id, order_date, product_code, region, quantity, unit_price FROM orders;',
  '',
  'Section Access;',
  'Access:',
  "LOAD 'USER' AS ACCESS, userid AS USERID, Upper(region) AS REGION;",
  'SQL SELECT userid, region FROM end_users;',
  'Concatenate (Access) LOAD * INLINE [',
  'ACCESS, USERID, REGION',
  'ADMIN, INTERNAL\\SA_SCHEDULER, *',
  'ADMIN, QLIKBOT\\SIM-EU-REGIONAL, *',
  'ADMIN, QLIKBOT\\SIM-US-REGIONAL, *',
  'ADMIN, QLIKBOT\\SIM-SOURCE-CLIENT, *',
  '];',
  'Section Application;',
  '',
  'DISCONNECT;',
  '',
].join('\n');

/** The built-in state: a source tenant in `eu` with a template app, and a regional OAuth client for `eu`. */
export function defaultStateFile(): StateFile {
  return {
    regions: ['eu', 'us'],
    tenants: [
      {
        hostname: 'source.eu.qlikcloud.com',
        name: 'source',
        region: 'eu',
        license: {
          licenseNumber: '9999000000001234',
          product: 'Qlik Cloud Analytics Premium (OEM)',
          allotments: [
            { name: 'professional', units: 100 },
            { name: 'analyzer', units: 1000 },
          ],
        },
        users: [
          {
            subject: 'auth0|template-admin',
            name: 'Template Admin',
            email: 'admin@source.example',
            roles: ['TenantAdmin'],
          },
        ],
        // The partner's own tenant, where an admin has enabled API keys.
        apiKeys: { enabled: true },
        spaces: [{ name: 'Templates', type: 'shared' }],
        apps: [
          {
            name: 'Customer Analytics Template',
            space: 'Templates',
            script: TEMPLATE_SCRIPT,
          },
        ],
        // The template's own data connection, so it reloads in the source tenant too.
        connections: [
          {
            name: 'Customer Data',
            type: 'postgres',
            space: 'Templates',
            connectStatement: 'host=template-db.partner.example;database=analytics',
          },
        ],
      },
    ],
    // Every customer database host of the examples is served by the embedded PostgreSQL (PGlite).
    databases: [{ host: '*.partner.example', seed: 'orders' }],
    oauthClients: [
      {
        clientId: 'sim-eu-regional',
        clientSecret: 'sim-eu-regional-secret',
        name: 'EU regional M2M',
        region: 'eu',
        scopes: ['admin_classic', 'user_default'],
      },
      {
        clientId: 'sim-org',
        clientSecret: 'sim-org-secret',
        name: 'Organization (tenants read)',
        organization: true,
        scopes: ['cloud-console.tenants:read'],
      },
      {
        clientId: 'sim-us-regional',
        clientSecret: 'sim-us-regional-secret',
        name: 'US regional M2M',
        region: 'us',
        scopes: ['admin_classic', 'user_default'],
      },
      {
        clientId: 'sim-source-client',
        clientSecret: 'sim-source-secret',
        name: 'Source tenant M2M',
        tenant: 'source.eu.qlikcloud.com',
        scopes: ['admin_classic', 'user_default'],
      },
    ],
  };
}
