// Opens the Redis journal store in a contract child process, on the server the parent's test uses.
import { createRedisJournalStore } from '@qlik-oem/journal-stores';
import type { LeaseOptions } from '@qlik-oem/recipes';
import { Redis } from 'ioredis';

export function openStore(config: { url: string; prefix: string }, options: LeaseOptions) {
  const client = new Redis(config.url);
  const store = createRedisJournalStore({ client, prefix: config.prefix, ...options });
  return Object.assign(store, { close: async () => void (await client.quit()) });
}
