// The real QSEoW site to assess, from environment variables (values are never printed).
import { readFileSync } from 'node:fs';
import { Secret, type QseowSiteOptions } from '@qlik-oem/recipes';

export const REAL_VARIABLES = {
  QSEOW_HOST: 'QSEoW host, e.g. qlik.partner.com (setting it switches from the simulator to the real site)',
  QSEOW_VIRTUAL_PROXY: 'prefix of the JWT virtual proxy (default jwt)',
  QSEOW_JWT_KEY_FILE: 'PEM private key the virtual proxy trusts (RS256 or ES256)',
  QSEOW_USER_ID: 'QSEoW user the JWT names (needs read access to apps, streams, tasks and the audit)',
  QSEOW_USER_DIRECTORY: 'its user directory',
} as const;

/** Reads the real site's options; names every missing variable. */
export function realSiteFromEnv(env: NodeJS.ProcessEnv): QseowSiteOptions {
  const optional = new Set(['QSEOW_VIRTUAL_PROXY']);
  const missing = Object.keys(REAL_VARIABLES).filter((name) => !optional.has(name) && !env[name]);
  if (missing.length)
    throw new Error(
      `Missing environment variables: ${missing.map((name) => `${name} (${REAL_VARIABLES[name as keyof typeof REAL_VARIABLES]})`).join('; ')}`,
    );
  return {
    host: env.QSEOW_HOST!,
    virtualProxyPrefix: env.QSEOW_VIRTUAL_PROXY ?? 'jwt',
    jwt: {
      signingKey: new Secret(readFileSync(env.QSEOW_JWT_KEY_FILE!, 'utf8')),
      userId: env.QSEOW_USER_ID!,
      userDirectory: env.QSEOW_USER_DIRECTORY!,
    },
  };
}
