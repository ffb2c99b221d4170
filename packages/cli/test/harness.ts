// A simulator of the test's own (strict, HTTPS) with a session file, a config and fleet in a temp dir, and
// the qlik-oem binary run as a child process there.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSimulatorSession } from '@qlik-oem/cli';
import { defaultStateFile, startSimulator, type Simulator } from '@qlik-oem/simulator';
import { onTestFinished } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/qlik-oem.js', import.meta.url));

export const CUSTOMERS = [
  ['c001', 'Cyberdyne Health', 'cyberdyne-health'],
  ['c002', 'Prestige Logistics', 'prestige-logistics'],
  ['c003', 'Oscorp Retail', 'oscorp-retail'],
];

export interface CliWorld {
  sim: Simulator;
  dir: string;
  run(args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }>;
  spawn(args: string[]): ChildProcess;
  close(): Promise<void>;
}

/** `startCliWorld` inside a test: the world is closed once that test finished. */
export async function startCliWorldForTest(...args: Parameters<typeof startCliWorld>): Promise<CliWorld> {
  const world = await startCliWorld(...args);
  onTestFinished(() => world.close());
  return world;
}

/** With `qseowApps`, the simulator also serves a sample QSEoW site of that many apps per customer stream. */
/** `config` adds (or replaces) top-level entries of the config file. */
export async function startCliWorld(
  options: { timeScale?: number; qseowApps?: number; config?: Record<string, unknown> } = {},
): Promise<CliWorld> {
  // 60, not faster: a reload is real work, and at 600 a few seconds of it on a loaded machine pass the
  // SDK's 30-minute reload deadline on the simulated clock.
  const timeScale = options.timeScale ?? 60;
  const key = options.qseowApps ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : undefined;
  const qseowHost = 'qseow.partner.example';
  const sim = await startSimulator({
    https: true,
    strict: true,
    timeScale,
    latency: false,
    ...(key
      ? {
          state: {
            ...defaultStateFile(),
            qseow: {
              hostname: qseowHost,
              virtualProxies: [
                { prefix: 'jwt', jwtPublicKeyPem: key.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
              ],
              sampleSite: { appsPerCustomer: options.qseowApps },
            },
          },
        }
      : {}),
  });
  const dir = await mkdtemp(join(tmpdir(), 'qlik-oem-cli-'));
  writeSimulatorSession(sim, join(dir, 'sim.json'), {
    timeScale,
    ...(key
      ? {
          qseow: {
            host: qseowHost,
            virtualProxy: 'jwt',
            userId: 'assessor',
            userDirectory: 'PARTNER',
            privateKeyPem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          },
        }
      : {}),
  });
  await writeFile(
    join(dir, 'customers.csv'),
    ['customerId,name,alias,allowContributors', ...CUSTOMERS.map((c) => `${c.join(',')},false`)].join('\n'),
  );
  await writeFile(
    join(dir, 'qlik-oem.json'),
    JSON.stringify({
      fleet: 'customers.csv',
      partner: {
        groups: { consumers: 'Analytics Consumers', contributors: 'Analytics Contributors' },
        spaces: { shared: '{name} (development)', managed: '{name}' },
      },
      hydrate: {
        template: { appName: 'Customer Analytics Template' },
        dataConnection: {
          name: 'Customer Data',
          datasourceId: 'postgres',
          connectionString: 'host={alias}-db.partner.example;database=analytics',
          password: '${env:TEST_DB_PASSWORD}',
        },
        scriptConnection: 'Customer Data',
      },
      currentContext: 'sim',
      contexts: {
        sim: { type: 'simulator', session: 'sim.json' },
        production: {
          type: 'qlik-cloud',
          region: 'eu',
          sourceTenant: 'partner.eu.qlikcloud.com',
          clientId: '${env:QLIK_CLIENT_ID}',
          clientSecret: '${env:QLIK_CLIENT_SECRET}',
          jwt: { issuer: 'https://broker.example', keyId: 'k1', publicKeyFile: 'partner.pem' },
        },
      },
      ...options.config,
    }),
  );
  const env = { ...process.env, TEST_DB_PASSWORD: 'db-secret-value-42', NO_COLOR: '1' };
  return {
    sim,
    dir,
    run: (args, extra = {}) =>
      new Promise((resolve) => {
        execFile(process.execPath, [BIN, ...args], { cwd: dir, env: { ...env, ...extra } }, (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      }),
    spawn: (args) => spawn(process.execPath, [BIN, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] }),
    close: async () => {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** What `apply` and `secrets rotate` save for a customer's impersonation client. */
export interface SavedSecret {
  clientId: string;
  clientSecret: string;
  tenantHost: string;
  hint?: string;
}

/** The file a customer's impersonation client secret is saved in. */
export const secretFileOf = (w: CliWorld, customerId: string): string =>
  join(w.dir, '.qlik-oem/secrets', `${customerId}.impersonation-client.json`);

export const readSavedSecret = async (w: CliWorld, customerId: string): Promise<SavedSecret> =>
  JSON.parse(await readFile(secretFileOf(w, customerId), 'utf8')) as SavedSecret;

/** The status of a client-credentials token request to the tenant with a saved secret. */
export async function tokenStatus(w: CliWorld, saved: SavedSecret): Promise<number> {
  const response = await w.sim.nodeFetch(`https://${saved.tenantHost}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: saved.clientId,
      client_secret: saved.clientSecret,
    }),
  });
  await response.body?.cancel();
  return response.status;
}
