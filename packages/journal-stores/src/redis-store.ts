// The Redis journal store: a list per customer, a lease key with a TTL for its lock, compaction by rewriting the list
// atomically, and the fleet's coordination of tenant creates (a gate of leases, claims in a hash and a set).
import {
  acquireLease,
  compactJournal,
  createFleetGate,
  DEFAULT_LEASE_MS,
  isJournalEntry,
  type FleetCoordination,
  type FleetGateBackend,
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

// The tenant-create gate, on Redis's clock: KEYS[1] a sorted set of the processes with creates in flight (scored by
// their lease's expiry), KEYS[2] the reconciliation's key (its lease), which keeps new shared holds out while it waits.
const GATE_NOW = `local t = redis.call('time') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
const GATE_SHARED = `${GATE_NOW}
if redis.call('exists', KEYS[2]) == 1 then return 0 end
redis.call('zadd', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return 1`;
const GATE_EXCLUSIVE = `${GATE_NOW}
local writer = redis.call('get', KEYS[2])
if writer and writer ~= ARGV[1] then return 0 end
redis.call('set', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('zremrangebyscore', KEYS[1], '-inf', now)
if redis.call('zcard', KEYS[1]) == 0 then return 1 end
return 0`;
const GATE_RELEASE = `
if ARGV[2] == 'shared' then return redis.call('zrem', KEYS[1], ARGV[1]) end
if redis.call('get', KEYS[2]) == ARGV[1] then return redis.call('del', KEYS[2]) end
return 0`;
// A lost lease is taken again: the gate cannot take back a create already sent.
const GATE_RENEW = `${GATE_NOW}
if ARGV[3] == '1' then redis.call('zadd', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) end
if ARGV[4] == '1' then
  local writer = redis.call('get', KEYS[2])
  if writer == ARGV[1] or not writer then redis.call('set', KEYS[2], ARGV[1], 'PX', ARGV[2]) end
end
return 1`;
// Claims: KEYS[1] a hash of claimed tenant ids (to their customer), KEYS[2] the set of customers with a pending create.
const CLAIMS_SETTLE = `
redis.call('srem', KEYS[2], ARGV[1])
if ARGV[2] ~= '' then redis.call('hsetnx', KEYS[1], ARGV[2], ARGV[1]) end
return 1`;
const CLAIMS_READ = `
local claimed = {}
for _, id in ipairs(ARGV) do if redis.call('hexists', KEYS[1], id) == 1 then table.insert(claimed, id) end end
return {claimed, redis.call('smembers', KEYS[2])}`;

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
    this.coordination = redisCoordination(this.#client, this.#prefix, options.leaseMs ?? DEFAULT_LEASE_MS);
  }

  /**
   * Tenant creates of every process on this Redis: a gate of leases (`leaseMs`, renewed while held, so a killed
   * holder's expires) and the claims, under `<prefix>{qlik-oem-fleet}:` (one hash tag: one slot on Redis Cluster).
   */
  readonly coordination: FleetCoordination;

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

function redisCoordination(client: RedisCommands, prefix: string, leaseMs: number): FleetCoordination {
  const key = (name: string) => `${prefix}{qlik-oem-fleet}:${name}`;
  const gateKeys = [key('gate:creates'), key('gate:reconcile')] as const;
  const claimKeys = [key('tenant-claims'), key('pending-creates')] as const;
  const holder = crypto.randomUUID();
  let shared = false;
  let exclusive = false;
  const gate: FleetGateBackend = {
    leaseMs,
    async tryShared() {
      // A refusal while this process has creates in flight keeps its lease: only new creates wait.
      const admitted = (await client.eval(GATE_SHARED, 2, ...gateKeys, holder, leaseMs)) === 1;
      if (admitted) shared = true;
      return admitted;
    },
    async releaseShared() {
      shared = false;
      await client.eval(GATE_RELEASE, 2, ...gateKeys, holder, 'shared');
    },
    async tryExclusive() {
      exclusive = true;
      return (await client.eval(GATE_EXCLUSIVE, 2, ...gateKeys, holder, leaseMs)) === 1;
    },
    async releaseExclusive() {
      exclusive = false;
      await client.eval(GATE_RELEASE, 2, ...gateKeys, holder, 'exclusive');
    },
    async renew() {
      await client.eval(GATE_RENEW, 2, ...gateKeys, holder, leaseMs, shared ? '1' : '0', exclusive ? '1' : '0');
    },
  };
  return {
    gate: createFleetGate(gate),
    claims: {
      async pending(customerId) {
        await client.eval(`return redis.call('sadd', KEYS[1], ARGV[1])`, 1, claimKeys[1], customerId);
      },
      async settle(customerId, tenantId) {
        await client.eval(CLAIMS_SETTLE, 2, ...claimKeys, customerId, tenantId ?? '');
      },
      async read(tenantIds) {
        const [claimed, pending] = (await client.eval(CLAIMS_READ, 2, ...claimKeys, ...tenantIds)) as [
          string[],
          string[],
        ];
        return { claimed: new Set(claimed), pending: new Set(pending) };
      },
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
