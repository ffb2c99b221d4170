import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FleetHydrateConfig, PartnerConfigInput } from '@qlik-oem/recipes';

/** Where the job runs: the embedded simulator (default) or real Qlik Cloud (credentials given). */
export type Target =
  | { kind: 'simulator'; timeScale: number; seed: number; faultRate: number; strict: boolean }
  | {
      kind: 'qlik-cloud';
      region: string;
      sourceTenantHost: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
      /** The organization-level client that reconciles lost tenant creates (optional, strongly advised). */
      organization?: { clientId: string; clientSecret: string };
    };

export interface JobSettings {
  target: Target;
  customersCsv: string;
  partnerFile: string;
  concurrency: number;
  journalDirectory: string | undefined;
}

type Env = Record<string, string | undefined>;

/** A setting of the job is wrong or missing: printed as one line (no stack), exit code 64. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** Variables that only make sense against real Qlik Cloud: any of them set means "not the simulator". */
const REAL_MODE_VARIABLES = [
  'QLIK_CLIENT_ID',
  'QLIK_CLIENT_SECRET',
  'QLIK_REGION',
  'QLIK_SOURCE_TENANT',
  'QLIK_SCOPE',
  'QLIK_TEMPLATE_APP_ID',
  'QLIK_ORG_CLIENT_ID',
  'QLIK_ORG_CLIENT_SECRET',
];
/** Every `QLIK_` variable the job reads; any other is a misspelling that would otherwise be ignored. */
const KNOWN_QLIK_VARIABLES = new Set([
  ...REAL_MODE_VARIABLES,
  'QLIK_JWT_ISSUER',
  'QLIK_JWT_KEY_ID',
  'QLIK_JWT_PUBLIC_KEY_FILE',
  'QLIK_TEMPLATE_APP_NAME',
  'QLIK_TEMPLATE_CONNECTION',
  'QLIK_DATA_CONNECTION_NAME',
  'QLIK_DATA_CONNECTOR',
  'QLIK_DATA_CONNECTION_STRING',
  'QLIK_DATA_CONNECTION_USER',
  'QLIK_DATA_CONNECTION_PASSWORD',
]);

function numberFrom(env: Env, name: string, fallback: number, check: 'number' | 'positive-integer' = 'number'): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (check === 'positive-integer' && !(Number.isInteger(value) && value >= 1))
    throw new SettingsError(`${name} must be a whole number of at least 1, got "${raw}"`);
  if (!Number.isFinite(value)) throw new SettingsError(`${name} must be a number, got "${raw}"`);
  return value;
}

/** The known variable a misspelled one was probably meant to be (same letters once `_` is ignored, or one edit away). */
function closestKnown(name: string): string | undefined {
  const squash = (text: string) => text.replaceAll('_', '');
  for (const known of KNOWN_QLIK_VARIABLES) if (squash(known) === squash(name)) return known;
  for (const known of KNOWN_QLIK_VARIABLES) if (editDistance(known, name) <= 2) return known;
  return undefined;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/**
 * A misspelled `QLIK_` variable, or real-mode variables without `QLIK_CLIENT_ID`, would silently run
 * the embedded simulator (and exit 0): refused instead.
 */
function checkTargetVariables(env: Env): void {
  const unknown = Object.keys(env).filter((name) => name.startsWith('QLIK_') && !KNOWN_QLIK_VARIABLES.has(name));
  if (unknown.length > 0) {
    const named = unknown.map((name) => {
      const meant = closestKnown(name);
      return meant ? `${name} (did you mean ${meant}?)` : name;
    });
    throw new SettingsError(
      `Unknown variable ${named.join(', ')}; the job reads ${[...KNOWN_QLIK_VARIABLES].join(', ')}`,
    );
  }
  const real = REAL_MODE_VARIABLES.filter((name) => env[name]);
  if (!env.QLIK_CLIENT_ID && real.length > 0)
    throw new SettingsError(
      `${real.join(', ')} set without QLIK_CLIENT_ID: refusing to fall back to the embedded simulator; set QLIK_CLIENT_ID for Qlik Cloud or unset ${real.join(', ')}`,
    );
}

/**
 * Reads the job's settings from environment variables; real Qlik Cloud when `QLIK_CLIENT_ID` is set,
 * the embedded simulator only when no real-mode variable is. Throws `SettingsError`.
 */
export function readSettings(env: Env, defaults: { customersCsv: string; partnerFile: string }): JobSettings {
  checkTargetVariables(env);
  const common = {
    customersCsv: env.CUSTOMERS_CSV || defaults.customersCsv,
    partnerFile: env.PARTNER_CONFIG || defaults.partnerFile,
    concurrency: numberFrom(env, 'FLEET_CONCURRENCY', 64, 'positive-integer'),
    journalDirectory: env.JOURNAL_DIR || undefined,
  };
  if (!env.QLIK_CLIENT_ID) {
    return {
      ...common,
      target: {
        kind: 'simulator',
        timeScale: numberFrom(env, 'SIM_TIME_SCALE', 60),
        seed: numberFrom(env, 'SIM_SEED', 1),
        faultRate: numberFrom(env, 'SIM_FAULT_RATE', 0),
        strict: env.SIM_STRICT !== '0',
      },
    };
  }
  const missing = ['QLIK_REGION', 'QLIK_SOURCE_TENANT', 'QLIK_CLIENT_SECRET'].filter((name) => !env[name]);
  if (Boolean(env.QLIK_ORG_CLIENT_ID) !== Boolean(env.QLIK_ORG_CLIENT_SECRET))
    missing.push(env.QLIK_ORG_CLIENT_ID ? 'QLIK_ORG_CLIENT_SECRET' : 'QLIK_ORG_CLIENT_ID');
  if (missing.length > 0) throw new SettingsError(`For a run against Qlik Cloud also set ${missing.join(', ')}`);
  return {
    ...common,
    journalDirectory: common.journalDirectory ?? '.journal',
    target: {
      kind: 'qlik-cloud',
      region: env.QLIK_REGION!,
      sourceTenantHost: env.QLIK_SOURCE_TENANT!,
      clientId: env.QLIK_CLIENT_ID,
      clientSecret: env.QLIK_CLIENT_SECRET!,
      ...(env.QLIK_SCOPE ? { scope: env.QLIK_SCOPE } : {}),
      ...(env.QLIK_ORG_CLIENT_ID && env.QLIK_ORG_CLIENT_SECRET
        ? { organization: { clientId: env.QLIK_ORG_CLIENT_ID, clientSecret: env.QLIK_ORG_CLIENT_SECRET } }
        : {}),
    },
  };
}

/**
 * The partner configuration: group and space names from the partner file, the JWT settings from
 * `QLIK_JWT_ISSUER`, `QLIK_JWT_KEY_ID` and `QLIK_JWT_PUBLIC_KEY_FILE`, or (simulator only) a key pair
 * generated for this run.
 */
export function readPartner(env: Env, partnerFile: string, target: Target): PartnerConfigInput {
  const file = JSON.parse(readFileSync(partnerFile, 'utf8')) as Omit<PartnerConfigInput, 'jwt'> & {
    jwt?: PartnerConfigInput['jwt'];
  };
  if (env.QLIK_JWT_PUBLIC_KEY_FILE) {
    return {
      ...file,
      jwt: {
        issuer: env.QLIK_JWT_ISSUER ?? file.jwt?.issuer ?? '',
        keyId: env.QLIK_JWT_KEY_ID ?? file.jwt?.keyId ?? '',
        publicKeyPem: readFileSync(env.QLIK_JWT_PUBLIC_KEY_FILE, 'utf8'),
      },
    };
  }
  if (file.jwt) return { ...file, jwt: file.jwt };
  if (target.kind === 'qlik-cloud')
    throw new Error(
      'Set QLIK_JWT_ISSUER, QLIK_JWT_KEY_ID and QLIK_JWT_PUBLIC_KEY_FILE (the partner signing key) for a run against Qlik Cloud',
    );
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    ...file,
    jwt: {
      issuer: 'https://broker.partner.example',
      keyId: 'sim-generated',
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    },
  };
}

/** Hydrate settings: the template app and a per-customer data connection (`{alias}` / `{customerId}` placeholders). */
export function readHydrate(env: Env, templateAppId: string | undefined): FleetHydrateConfig | undefined {
  if (!templateAppId) return undefined;
  const connectionString = env.QLIK_DATA_CONNECTION_STRING ?? 'host={alias}-db.partner.example;database=analytics';
  const password = env.QLIK_DATA_CONNECTION_PASSWORD;
  return {
    template: { appId: templateAppId, ...(env.QLIK_TEMPLATE_APP_NAME ? { appName: env.QLIK_TEMPLATE_APP_NAME } : {}) },
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
