// Journal stores that many processes share: PostgreSQL (pg, PGlite) and Redis (ioredis).
export {
  PostgresJournalStore,
  createPostgresJournalStore,
  type PostgresJournalStoreOptions,
  type PostgresQueryable,
  type PostgresSession,
} from './postgres-store.js';
export {
  RedisJournalStore,
  createRedisJournalStore,
  type RedisCommands,
  type RedisJournalStoreOptions,
} from './redis-store.js';
