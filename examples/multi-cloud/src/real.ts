import { readFileSync } from 'node:fs';
import { Secret, type ProvisioningEnvironmentOptions, type QseowSiteOptions } from '@qlik-oem/recipes';

/** The environment variables of a run against real systems. */
export const REAL_VARIABLES = {
  QSEOW_HOST: 'QSEoW host, e.g. qlik.partner.com (setting it switches from the simulator to real systems)',
  QSEOW_VIRTUAL_PROXY: 'prefix of the JWT virtual proxy (default jwt)',
  QSEOW_JWT_KEY_FILE: 'PEM private key the virtual proxy trusts (RS256 or ES256)',
  QSEOW_USER_ID: 'QSEoW user the JWT names',
  QSEOW_USER_DIRECTORY: 'its user directory',
  QLIK_REGION: 'Qlik Cloud region of the tenants, e.g. eu',
  QLIK_SOURCE_TENANT: "the partner's own tenant host",
  QLIK_CLIENT_ID: 'regional machine-to-machine OAuth client id',
  QLIK_CLIENT_SECRET: 'its secret',
} as const;

/** Reads the real-systems configuration; names every missing variable (never prints a value). */
export function realConfigFromEnv(env: NodeJS.ProcessEnv): {
  environment: ProvisioningEnvironmentOptions;
  site: QseowSiteOptions;
} {
  const optional = new Set(['QSEOW_VIRTUAL_PROXY']);
  const missing = Object.keys(REAL_VARIABLES).filter((name) => !optional.has(name) && !env[name]);
  if (missing.length)
    throw new Error(
      `Missing environment variables: ${missing.map((name) => `${name} (${REAL_VARIABLES[name as keyof typeof REAL_VARIABLES]})`).join('; ')}`,
    );
  return {
    environment: {
      region: env.QLIK_REGION!,
      sourceTenantHost: env.QLIK_SOURCE_TENANT!,
      oauth: { clientId: env.QLIK_CLIENT_ID!, clientSecret: new Secret(env.QLIK_CLIENT_SECRET!) },
    },
    site: {
      host: env.QSEOW_HOST!,
      virtualProxyPrefix: env.QSEOW_VIRTUAL_PROXY ?? 'jwt',
      jwt: {
        signingKey: new Secret(readFileSync(env.QSEOW_JWT_KEY_FILE!, 'utf8')),
        userId: env.QSEOW_USER_ID!,
        userDirectory: env.QSEOW_USER_DIRECTORY!,
      },
    },
  };
}
