import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listDeployments } from '@qlik-oem/distribution';
import { createQlikCloud, oauthClientCredentials, unwrap } from '@qlik-oem/qlik-cloud';
import { ensureStream, publishApp, uploadApp } from '@qlik-oem/qrs';
import { seededRandom, startSimulator } from '@qlik-oem/simulator';
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { firstJsonLine, linesEqual, runTsxChildToEnd } from '../helpers/child-process.js';
import { QSEOW, qseowAdmin } from './multi-cloud-harness.js';

// setupMultiCloud killed with SIGKILL in a real process at random moments (often right after a write, before its
// journal entry), then run to the end: the simulator lives in this process, so its state survives every kill.

const here = fileURLToPath(new URL('./', import.meta.url));
const OAUTH = { clientId: 'eu-regional', clientSecret: 'eu-regional-secret' };
const TIME_SCALE = 50;
const ALIASES = ['acme', 'globex'];

function runChild(workDir: string, port: number, kill?: { afterWrites: number; hang: boolean }) {
  let killed = false;
  return runTsxChildToEnd({
    script: join(here, 'multi-cloud-child.ts'),
    args: [workDir, String(port), String(TIME_SCALE), String(kill?.hang ? kill.afterWrites : 0)],
    tsconfig: join(here, 'multi-cloud-child.tsconfig.json'),
    onStdout: (stdout, child) => {
      if (kill && !killed && linesEqual(stdout, 'write') >= kill.afterWrites) {
        killed = true;
        child.kill('SIGKILL');
      }
    },
  });
}

const summaryOf = (stdout: string) =>
  firstJsonLine<{ counts: Record<string, number>; writes: number; errors: string[] }>(stdout)!;

describe('setupMultiCloud killed in a real process', () => {
  let workDir: string | undefined;
  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('converges to one deployment and one IdP per customer, apps placed, after SIGKILLs and a resume', async () => {
    const seed = Number(process.env.MULTI_CLOUD_CRASH_SEED ?? 1);
    const context = `seed ${seed} (rerun with MULTI_CLOUD_CRASH_SEED=${seed})`;
    const random = seededRandom(seed);
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const sim = await startSimulator({
      strict: true,
      latency: false,
      timeScale: TIME_SCALE,
      state: {
        regions: ['eu'],
        tenants: [
          { hostname: 'source.eu.qlikcloud.com', name: 'source', region: 'eu' },
          ...ALIASES.map((alias) => ({
            hostname: `${alias}.eu.qlikcloud.com`,
            name: alias,
            region: 'eu',
            spaces: [{ name: 'Analytics', type: 'managed' }],
          })),
        ],
        oauthClients: [{ ...OAUTH, region: 'eu', scopes: ['admin_classic', 'user_default'] }],
        qseow: {
          hostname: QSEOW,
          virtualProxies: [{ prefix: 'jwt', jwtPublicKeyPem: await exportSPKI(publicKey) }],
          distributionDelayMs: 5_000,
        },
      },
    });
    try {
      const admin = await qseowAdmin(privateKey, sim.nodeFetch);
      const stream = (await ensureStream(admin, 'Customers')).stream;
      const customers = [];
      for (const alias of ALIASES) {
        const file = new TextEncoder().encode(
          `QOEMSIMQVF1\n${JSON.stringify({ name: alias, description: '', script: 'LOAD 1 AS v;', properties: {}, objects: [], hasData: true })}`,
        );
        const app = await uploadApp(admin, { name: `${alias} sales`, file });
        await publishApp(admin, app.id!, stream.id!);
        customers.push({
          customerId: alias,
          tenantHost: `${alias}.eu.qlikcloud.com`,
          appIds: [app.id!],
          managedSpace: 'Analytics',
        });
      }
      workDir = await mkdtemp(join(tmpdir(), 'multi-cloud-crash-'));
      await writeFile(
        join(workDir, 'world.json'),
        JSON.stringify({ qseowHost: QSEOW, signingKey: await exportPKCS8(privateKey), oauth: OAUTH, customers }),
      );

      // A full run makes about 14 writes; each killed run dies after 1-6 of them, every other one hung right after its write.
      let killed = 0;
      for (let round = 0; round < 3; round++) {
        const { signal } = await runChild(workDir, sim.port, {
          afterWrites: 1 + Math.floor(random() * 6),
          hang: round % 2 === 0,
        });
        if (signal === 'SIGKILL') killed++;
      }
      expect(killed, context).toBeGreaterThanOrEqual(2);

      const finished = summaryOf((await runChild(workDir, sim.port)).stdout);
      expect(finished.errors, context).toEqual([]);
      expect((finished.counts.provisioned ?? 0) + (finished.counts.unchanged ?? 0), context).toBe(ALIASES.length);

      expect((await listDeployments(admin)).map((d) => d.name).sort(), context).toEqual(ALIASES);
      for (const customer of customers) {
        const qc = createQlikCloud({
          host: customer.tenantHost,
          auth: oauthClientCredentials({ host: customer.tenantHost, ...OAUTH, fetch: sim.nodeFetch }),
          fetch: sim.nodeFetch,
        });
        const idps = (unwrap(await qc.identityProviders.GET('/api/v1/identity-providers')).data ?? []).filter(
          (i) => (i as { protocol?: string }).protocol === 'qsefw-local-bearer-token',
        );
        expect(idps, context).toHaveLength(1);
        const app = unwrap(
          await qc.apps.GET('/api/v1/apps/{appId}', { params: { path: { appId: customer.appIds[0]! } } }),
        );
        const spaces = unwrap(await qc.spaces.GET('/api/v1/spaces', { params: { query: { limit: 100 } } })).data ?? [];
        expect(spaces.find((s) => s.id === (app.attributes as { spaceId?: string }).spaceId)?.name, context).toBe(
          'Analytics',
        );
      }

      // Converged: another run writes nothing.
      const again = summaryOf((await runChild(workDir, sim.port)).stdout);
      expect(again.counts.unchanged, context).toBe(ALIASES.length);
      expect(again.writes, context).toBe(0);
      expect(sim.violations).toEqual([]);
    } finally {
      await sim.close();
    }
    // Several child processes each start tsx: on a busy 2-core machine that alone took most of 30 s.
  }, 90_000);
});
