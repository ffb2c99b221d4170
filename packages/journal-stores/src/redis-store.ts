// The Redis journal store: a list per customer, a lease key with a TTL for its lock, compaction by rewriting the list atomically.
import {
  acquireLease,
  compactJournal,
  isJournalEntry,
  type JournalEntry,
  type JournalLock,
  type JournalStore,
  type LeaseBackend,
  type LeaseOptions,
  type LockHolder,
} from '@qlik-oem/recipes';

/** What the store needs from a Redis client; an ioredis `Redis` fits. */
export interface RedisCommands {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
  rpush(key: string, ...values: string[]): Promise<number>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
}

export interface RedisJournalStoreOptions extends LeaseOptions {
  client: RedisCommands;
  /** Prefix of every key. Default `qlik-oem:journal:`. */
  prefix?: string;
}

// Takes the lease if the key is absent (Redis drops it when its TTL runs out); otherwise says who has it.
const ACQUIRE = `
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1} end
return {0, redis.call('get', KEYS[1]), redis.call('pttl', KEYS[1])}`;
// Renew and release only touch a lease that is still this holder's.
const RENEW = `
local current = redis.call('get', KEYS[1])
if current and cjson.decode(current).id == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `
local current = redis.call('get', KEYS[1])
if current and cjson.decode(current).id == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0`;
// Replaces the list with the kept entries, unless it changed since it was read.
const REWRITE = `
if redis.call('llen', KEYS[1]) ~= tonumber(ARGV[1]) then return 0 end
redis.call('del', KEYS[1])
for i = 2, #ARGV, 500 do redis.call('rpush', KEYS[1], unpack(ARGV, i, math.min(i + 499, #ARGV))) end
return 1`;

/**
 * One Redis list per customer (`RPUSH`, read with `LRANGE`), a lease key per customer whose TTL Redis
 * enforces, and a compaction that rewrites the list in one script. Both keys of a customer share a hash
 * tag, so the store also works on Redis Cluster. Durability is Redis's: run it with `appendonly yes`
 * and `appendfsync always` if a journal line must survive a crash of the Redis server itself.
 */
export class RedisJournalStore implements JournalStore {
  readonly #client: RedisCommands;
  readonly #prefix: string;
  readonly #leaseOptions: LeaseOptions;

  constructor(options: RedisJournalStoreOptions) {
    this.#client = options.client;
    this.#prefix = options.prefix ?? 'qlik-oem:journal:';
    const { client: _client, prefix: _prefix, ...leaseOptions } = options;
    this.#leaseOptions = leaseOptions;
  }

  async append(entry: JournalEntry): Promise<void> {
    await this.#client.rpush(this.#key(entry.customerId, 'entries'), JSON.stringify(entry));
  }

  async read(customerId: string): Promise<JournalEntry[]> {
    return (await this.#lines(customerId)).map(parse).filter(isJournalEntry);
  }

  lock(customerId: string): Promise<JournalLock> {
    return acquireLease(customerId, this.#leaseBackend, this.#leaseOptions);
  }

  async compact(customerId: string): Promise<void> {
    const lines = await this.#lines(customerId);
    const parsed = lines.map(parse);
    const entries = parsed.filter(isJournalEntry);
    const kept = new Set<unknown>(compactJournal(entries));
    if (kept.size === entries.length) return;
    // Lines that are not entries (another version's, damaged) stay as they were.
    const keptLines = lines.filter((_, index) => !isJournalEntry(parsed[index]) || kept.has(parsed[index]));
    await this.#client.eval(REWRITE, 1, this.#key(customerId, 'entries'), lines.length, ...keptLines);
  }

  #lines(customerId: string): Promise<string[]> {
    return this.#client.lrange(this.#key(customerId, 'entries'), 0, -1);
  }

  #key(customerId: string, kind: 'entries' | 'lease'): string {
    return `${this.#prefix}{${customerId}}:${kind}`;
  }

  readonly #leaseBackend: LeaseBackend = {
    tryAcquire: async (customerId, holder, leaseMs): Promise<LockHolder | undefined> => {
      const { expiresAt: _expiresAt, ...who } = holder;
      const [taken, current, ttl] = (await this.#client.eval(
        ACQUIRE,
        1,
        this.#key(customerId, 'lease'),
        JSON.stringify(who),
        leaseMs,
      )) as [number, string?, number?];
      if (taken === 1) return undefined;
      return { ...(JSON.parse(current!) as LockHolder), expiresAt: new Date(Date.now() + Number(ttl)).toISOString() };
    },
    renew: async (customerId, holder, leaseMs) =>
      (await this.#client.eval(RENEW, 1, this.#key(customerId, 'lease'), holder.id, leaseMs)) === 1,
    release: async (customerId, holder) => {
      await this.#client.eval(RELEASE, 1, this.#key(customerId, 'lease'), holder.id);
    },
  };
}

export function createRedisJournalStore(options: RedisJournalStoreOptions): RedisJournalStore {
  return new RedisJournalStore(options);
}

function parse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
