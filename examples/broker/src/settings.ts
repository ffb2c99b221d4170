import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FleetHydrateConfig, PartnerConfigInput, TenantCustomizationInput } from '@qlik-oem/recipes';
import { DEFAULT_PARTNER_FILE, readPartnerFile } from './simulated.js';

type Env = Record<string, string | undefined>;

/** How the broker is started: where it listens, and against what. */
export interface BrokerSettings {
  host: string;
  port: number;
  /** A directory for file journals; unset: in memory (the embedded simulator forgets everything at exit too). */
  journalDirectory: string | undefined;
  /** A PostgreSQL URL (`DATABASE_URL`): journals in that database, shared by every broker instance on it. Wins over `journalDirectory`. */
  databaseUrl: string | undefined;
  target: { kind: 'simulator'; timeScale: number; strict: boolean } | RealTarget;
}

/** Real Qlik Cloud: a regional OAuth client, the partner's source tenant, signing key and template. */
export interface RealTarget {
  kind: 'qlik-cloud';
  region: string;
  sourceTenantHost: string;
  clientId: string;
  clientSecret: string;
  scope: string | undefined;
  partner: PartnerConfigInput;
  signingKeyPem: string;
  hydrate: FleetHydrateConfig | undefined;
  customization: TenantCustomizationInput | undefined;
}

function numberFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number`);
  return value;
}

/** Reads the settings from environment variables: the embedded simulator unless `QLIK_CLIENT_ID` is set. */
export function readSettings(env: Env): BrokerSettings {
  const common = {
    host: env.BROKER_HOST || '127.0.0.1',
    port: numberFrom(env, 'BROKER_PORT', 3000),
    journalDirectory: env.JOURNAL_DIR || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
  };
  if (!env.QLIK_CLIENT_ID) {
    return {
      ...common,
      target: { kind: 'simulator', timeScale: numberFrom(env, 'SIM_TIME_SCALE', 60), strict: env.SIM_STRICT !== '0' },
    };
  }
  const required = [
    'QLIK_REGION',
    'QLIK_SOURCE_TENANT',
    'QLIK_CLIENT_SECRET',
    'QLIK_JWT_ISSUER',
    'QLIK_JWT_KEY_ID',
    'QLIK_JWT_PRIVATE_KEY_FILE',
  ];
  const missing = required.filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`For Qlik Cloud also set ${missing.join(', ')}`);
  const signingKeyPem = readFileSync(env.QLIK_JWT_PRIVATE_KEY_FILE!, 'utf8');
  // The IdP gets the public half of the signing key, so the two can never disagree.
  const publicKeyPem = createPublicKey(signingKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  const file = readPartnerFile(env.PARTNER_CONFIG || DEFAULT_PARTNER_FILE);
  const origin = env.BROKER_PRODUCT_ORIGIN;
  return {
    ...common,
    journalDirectory: common.journalDirectory ?? '.journal',
    target: {
      kind: 'qlik-cloud',
      region: env.QLIK_REGION!,
      sourceTenantHost: env.QLIK_SOURCE_TENANT!,
      clientId: env.QLIK_CLIENT_ID,
      clientSecret: env.QLIK_CLIENT_SECRET!,
      scope: env.QLIK_SCOPE || undefined,
      partner: { ...file, jwt: { issuer: env.QLIK_JWT_ISSUER!, keyId: env.QLIK_JWT_KEY_ID!, publicKeyPem } },
      signingKeyPem,
      hydrate: readHydrate(env),
      customization: origin
        ? {
            webIntegration: { name: 'Partner product', validOrigins: [origin] },
            cspOrigins: [{ name: 'Partner product', origin, directives: ['frameAncestors'] }],
          }
        : undefined,
    },
  };
}

/** The template and the per-customer data connection (`{alias}` and `{customerId}` are replaced). */
function readHydrate(env: Env): FleetHydrateConfig | undefined {
  const appId = env.QLIK_TEMPLATE_APP_ID;
  if (!appId) return undefined;
  const connectionString = env.QLIK_DATA_CONNECTION_STRING ?? 'host={alias}-db.partner.example;database=analytics';
  const password = env.QLIK_DATA_CONNECTION_PASSWORD;
  return {
    template: { appId, ...(env.QLIK_TEMPLATE_APP_NAME ? { appName: env.QLIK_TEMPLATE_APP_NAME } : {}) },
    dataConnection: (customer) => ({
      name: env.QLIK_DATA_CONNECTION_NAME ?? 'Customer Data',
      datasourceId: env.QLIK_DATA_CONNECTOR ?? 'postgres',
      connectionString: connectionString
        .replaceAll('{alias}', customer.alias)
        .replaceAll('{customerId}', customer.customerId),
      ...(env.QLIK_DATA_CONNECTION_USER ? { username: env.QLIK_DATA_CONNECTION_USER } : {}),
      ...(password ? { password } : {}),
    }),
    scriptConnection: { from: env.QLIK_TEMPLATE_CONNECTION ?? 'Customer Data' },
  };
}
