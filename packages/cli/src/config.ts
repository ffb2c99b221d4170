// The config file: partner settings, the fleet file, and named contexts (where to provision), with
// `${env:NAME}` references so secrets stay in the environment.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Secret } from '@qlik-oem/recipes';
import { z } from 'zod';
import { CliUsageError } from './exit-codes.js';

const str = z.string().min(1);

const contextSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('simulator'),
    /** The session file `qlik-oem simulator` writes. Default `.qlik-oem/simulator.json` next to the config. */
    session: str.optional(),
  }),
  z.strictObject({
    type: z.literal('qlik-cloud'),
    region: str,
    sourceTenant: str,
    clientId: str,
    clientSecret: str,
    scope: str.optional(),
    /** The partner's JWT signing identity the tenants' identity provider trusts. */
    jwt: z.strictObject({ issuer: str, keyId: str, publicKeyFile: str }),
    /** The partner's QSEoW site (`qlik-oem assess`), reached through a JWT virtual proxy. */
    qseow: z
      .strictObject({
        host: str,
        port: z.number().int().min(1).max(65535).optional(),
        virtualProxy: str,
        userId: str,
        userDirectory: str,
        /** PEM private key the virtual proxy trusts (RS256 or ES256). */
        jwtKeyFile: str,
        /** PEM CA of a self-signed proxy certificate. */
        caFile: str.optional(),
      })
      .optional(),
  }),
]);

const configSchema = z.strictObject({
  /** Customers: a CSV, JSON or YAML file (relative to the config file). */
  fleet: str,
  partner: z.looseObject({}),
  hydrate: z
    .strictObject({
      template: z.union([z.strictObject({ appId: str, appName: str.optional() }), z.strictObject({ appName: str })]),
      dataConnection: z.strictObject({
        name: str,
        datasourceId: str,
        /** `{alias}` and `{customerId}` are replaced per customer. */
        connectionString: str,
        username: str.optional(),
        password: str.optional(),
      }),
      scriptConnection: str.optional(),
    })
    .optional(),
  /**
   * The OAuth client each tenant gets for user impersonation (`customizeTenant`'s `impersonationClient`: name,
   * redirectUris, scopes, description, consentMethod; checked by the recipes).
   */
  impersonationClient: z.looseObject({ name: str }).optional(),
  /** Where `apply` writes the secret of each impersonation client it creates (one file per customer, mode 0600). */
  secrets: str.default('.qlik-oem/secrets'),
  journal: str.default('.qlik-oem/journal'),
  currentContext: str.optional(),
  contexts: z.record(str, contextSchema),
});

export type ContextConfig = z.output<typeof contextSchema>;
export type CliConfig = Omit<z.output<typeof configSchema>, 'contexts'> & {
  file: string;
  dir: string;
  contexts: Record<string, ContextConfig>;
};

/** Replaces `${env:NAME}` in every string; a missing variable is named with where it is used (never a value). */
function expandEnv(value: unknown, env: NodeJS.ProcessEnv, path: string, file: string): unknown {
  if (typeof value === 'string')
    return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined || found === '')
        throw new CliUsageError(`${file}: ${path} needs the environment variable ${name}, which is not set`);
      return found;
    });
  if (Array.isArray(value)) return value.map((v, i) => expandEnv(v, env, `${path}[${i}]`, file));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, path ? `${path}.${k}` : k, file)]),
    );
  return value;
}

/** Reads and checks the config file. Only the chosen context's variables must be set. */
export function loadConfig(
  file: string,
  env: NodeJS.ProcessEnv,
  contextName?: string,
): { config: CliConfig; context: ContextConfig; contextName: string } {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new CliUsageError(`Cannot read the config file ${file}: ${(error as Error).message}`);
  }
  const contexts = (raw['contexts'] ?? {}) as Record<string, unknown>;
  const name =
    contextName ?? (typeof raw['currentContext'] === 'string' ? raw['currentContext'] : Object.keys(contexts)[0]);
  if (!name || !(name in contexts))
    throw new CliUsageError(
      `${file}: no context "${name ?? ''}"; known contexts: ${Object.keys(contexts).join(', ') || '(none)'}`,
    );
  // Other contexts keep their references unexpanded: their variables need not be set for this run.
  const expanded = expandEnv({ ...raw, contexts: {} }, env, '', file) as Record<string, unknown>;
  const context = expandEnv(contexts[name], env, `contexts.${name}`, file);
  const parsed = configSchema.safeParse({ ...expanded, contexts: { ...contexts, [name]: context } });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliUsageError(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const connectionString = parsed.data.hydrate?.dataConnection.connectionString;
  if (connectionString !== undefined && !/\{(alias|customerId)\}/.test(connectionString))
    throw new CliUsageError(
      `${file}: hydrate.dataConnection.connectionString: has neither {alias} nor {customerId}, so every customer would read the same database`,
    );
  const config = { ...parsed.data, file, dir: dirname(resolve(file)) };
  return { config, context: config.contexts[name]!, contextName: name };
}

/** Paths in the config are relative to the config file. */
export const configPath = (config: CliConfig, path: string): string => resolve(config.dir, path);

/** Secrets of the config, wrapped so they never print. */
export const secretOf = (value: string): Secret => new Secret(value);
