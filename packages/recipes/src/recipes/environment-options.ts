// The check of `createProvisioningEnvironment`'s options. It is synchronous (the environment is built at once)
// and so cannot wait for zod, which is loaded on first validation; the region and hostname rules are the ones
// the zod schemas use (`validation/regions.ts`).
import type { ValidationIssue } from '@qlik-oem/core';
import { createValidationError } from '../validation/parse.js';
import {
  REGION_MESSAGE,
  isQlikCloudRegion,
  tenantHostnameProblem,
  type QlikCloudRegion,
} from '../validation/regions.js';
import { Secret } from '../validation/secret.js';

interface Client {
  clientId: string;
  clientSecret: string | Secret;
}

export interface CheckedEnvironmentOptions {
  region: QlikCloudRegion;
  sourceTenantHost: string;
  oauth: Client & { scope?: string };
  organization?: Client;
  timeScale?: number;
  maxCachedTenants?: number;
  registrationWindowMargin?: number;
}

type Path = Array<string | number>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The options with strings trimmed (and the host lower-cased), or a `QlikValidationError` naming every bad
 * field. Values are never echoed.
 */
export function checkEnvironmentOptions(options: unknown): CheckedEnvironmentOptions {
  const issues: ValidationIssue[] = [];
  const fail = (path: Path, message: string): undefined => {
    issues.push({ path, message });
    return undefined;
  };
  const input = isObject(options) ? options : {};
  if (!isObject(options)) fail([], 'must be an object');

  const region = input.region;
  if (!isQlikCloudRegion(region)) fail(['region'], REGION_MESSAGE);

  let sourceTenantHost: string | undefined;
  if (typeof input.sourceTenantHost !== 'string') fail(['sourceTenantHost'], 'must be a string');
  else {
    sourceTenantHost = input.sourceTenantHost.trim().toLowerCase();
    const problem = tenantHostnameProblem(sourceTenantHost);
    if (problem) fail(['sourceTenantHost'], problem);
  }

  const client = (value: unknown, path: Path): Client | undefined => {
    if (!isObject(value)) return fail(path, 'must be an object: { clientId, clientSecret }');
    let clientId: string | undefined;
    if (typeof value.clientId !== 'string') fail([...path, 'clientId'], 'must be a string');
    else if (value.clientId.trim() === '') fail([...path, 'clientId'], 'must not be empty');
    else clientId = value.clientId.trim();
    const secret = value.clientSecret;
    const secretOk = (typeof secret === 'string' && secret !== '') || secret instanceof Secret;
    if (!secretOk) fail([...path, 'clientSecret'], 'must be a non-empty string or a Secret');
    return clientId !== undefined && secretOk ? { clientId, clientSecret: secret } : undefined;
  };
  const oauth = client(input.oauth, ['oauth']);
  const scope = isObject(input.oauth) ? input.oauth.scope : undefined;
  if (scope !== undefined && typeof scope !== 'string') fail(['oauth', 'scope'], 'must be a string');
  const organization = input.organization === undefined ? undefined : client(input.organization, ['organization']);

  const number = (key: string, rules: Array<[(n: number) => boolean, string]>): number | undefined => {
    const value = input[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || Number.isNaN(value)) return fail([key], 'must be a number');
    const broken = rules.find(([ok]) => !ok(value));
    return broken ? fail([key], broken[1]) : value;
  };
  const timeScale = number('timeScale', [
    [(n) => n > 0, 'must be positive'],
    [Number.isFinite, 'must be finite'],
  ]);
  const maxCachedTenants = number('maxCachedTenants', [
    [Number.isInteger, 'must be a whole number'],
    [(n) => n >= 1, 'must be at least 1'],
  ]);
  const registrationWindowMargin = number('registrationWindowMargin', [
    [(n) => n >= 0, 'must not be negative'],
    [(n) => n <= 1, 'must be at most 1'],
  ]);

  if (issues.length > 0 || !oauth || sourceTenantHost === undefined || !isQlikCloudRegion(region)) {
    throw createValidationError('provisioning environment options', issues);
  }
  return {
    region,
    sourceTenantHost,
    oauth: { ...oauth, ...(typeof scope === 'string' ? { scope } : {}) },
    ...(organization ? { organization } : {}),
    ...(timeScale !== undefined ? { timeScale } : {}),
    ...(maxCachedTenants !== undefined ? { maxCachedTenants } : {}),
    ...(registrationWindowMargin !== undefined ? { registrationWindowMargin } : {}),
  };
}
