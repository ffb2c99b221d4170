import { createFileJournalStore, createMemoryJournalStore, createProvisioningEnvironment } from '@qlik-oem/recipes';
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
  const journal = settings.journalDirectory
    ? createFileJournalStore({ directory: settings.journalDirectory })
    : createMemoryJournalStore();
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
        },
      };
    } catch (error) {
      await world.close();
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
  return { app, url, close: () => app.close() };
}
