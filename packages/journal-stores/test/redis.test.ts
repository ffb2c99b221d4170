// The Redis journal store against the shared JournalStore contract, on a real Redis server (TEST_REDIS_URL).
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createRedisJournalStore } from '@qlik-oem/journal-stores';
import { journalStoreContract } from '../../../test/journal-store/contract.js';
import { describeWithServers } from '../../../test/servers.js';

describeWithServers(['TEST_REDIS_URL'], 'Redis journal store on a real server', (url) => {
  const prefix = `contract-${randomUUID().slice(0, 8)}:`;
  const clients = new Map<object, Redis>();
  journalStoreContract('Redis (ioredis)', {
    open(options) {
      const client = new Redis(url);
      const store = createRedisJournalStore({ client, prefix, ...options });
      clients.set(store, client);
      return store;
    },
    close: async (store) => void (await clients.get(store)?.quit()),
    coordination: 'fleet',
    processes: { factory: fileURLToPath(new URL('./redis-factory.ts', import.meta.url)), config: { url, prefix } },
  });
});
