import { createPostgresJournalStore } from '@qlik-oem/journal-stores';
import {
  createFileJournalStore,
  createMemoryJournalStore,
  createProvisioningEnvironment,
  type JournalStore,
} from '@qlik-oem/recipes';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildBroker, type BrokerOptions } from './server.js';
import type { BrokerSettings } from './settings.js';
import { readMasterData } from './master-data.js';
import { startSimulatedQlik } from './simulated.js';

export interface RunningBroker {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The simulated Qlik Cloud, when the broker runs against it. */
  simulatorUrl?: string;
  close(): Promise<void>;
}

/** Starts the broker for the settings (and the embedded simulator when no Qlik Cloud credentials were given). */
export async function startBroker(
  settings: BrokerSettings,
  options: { logger?: BrokerOptions['logger'] } = {},
): Promise<RunningBroker> {
  const { journal, closeJournal } = await openJournal(settings);
  const logger = options.logger ?? false;
  const target = settings.target;
  if (target.kind === 'simulator') {
    const world = await startSimulatedQlik({ timeScale: target.timeScale, strict: target.strict });
    try {
      // JWT lifetimes run on the simulator's clock, `timeScale` times faster: the longest lifetime Qlik allows
      // leaves a person with curl a minute (at 60x) to exchange the token.
      const app = buildBroker({ ...world, journal, logger, jwtLifetimeSeconds: 3600, masterData: readMasterData() });
      const url = await app.listen({ host: settings.host, port: settings.port });
      return {
        app,
        url,
        simulatorUrl: world.sim.url,
        close: async () => {
          await app.close();
          await world.close();
          await closeJournal();
        },
      };
    } catch (error) {
      await world.close();
      await closeJournal();
      throw error;
    }
  }
  const env = createProvisioningEnvironment({
    region: target.region,
    sourceTenantHost: target.sourceTenantHost,
    oauth: {
      clientId: target.clientId,
      clientSecret: target.clientSecret,
      ...(target.scope ? { scope: target.scope } : {}),
    },
  });
  const app = buildBroker({
    env,
    partner: target.partner,
    signingKey: target.signingKeyPem,
    journal,
    logger,
    ...(target.hydrate ? { hydrate: target.hydrate } : {}),
    ...(target.customization ? { customization: target.customization } : {}),
  });
  const url = await app.listen({ host: settings.host, port: settings.port });
  return {
    app,
    url,
    close: async () => {
      await app.close();
      await closeJournal();
    },
  };
}

/**
 * PostgreSQL when `DATABASE_URL` is set (every broker instance on that database shares the journal and
 * its per-customer leases, so two instances never work on one customer at once), else files in
 * `JOURNAL_DIR`, else memory.
 */
async function openJournal(
  settings: BrokerSettings,
): Promise<{ journal: JournalStore; closeJournal: () => Promise<void> }> {
  if (settings.databaseUrl) {
    const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: 8 });
    try {
      return { journal: await createPostgresJournalStore({ client: pool }), closeJournal: () => pool.end() };
    } catch (error) {
      await pool.end();
      throw error;
    }
  }
  const journal = settings.journalDirectory
    ? createFileJournalStore({ directory: settings.journalDirectory })
    : createMemoryJournalStore();
  return { journal, closeJournal: async () => undefined };
}
