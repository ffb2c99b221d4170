// Which tenant a lost create made: this process's record of tenant creates (in flight, answered,
// lost), and the reconciliation of a lost one through the Organization API. POST /tenants carries
// nothing that names the customer, so a tenant whose create answer never arrived can only be found as
// "a tenant of the subscription, created since the intent, that nobody claims".
import type { OrganizationTenant, QlikOrganization } from '@qlik-oem/qlik-cloud';
import { scimString } from '../finders.js';
import { TenantCreateAmbiguousError, TenantCreateUncertainError } from '../errors.js';

export { TenantCreateAmbiguousError, TenantCreateUncertainError };

/** What the journal keeps about a tenant create before it is sent (the intent's marker). */
export interface TenantCreateIntent {
  /** The alias host the tenant is for. */
  aliasHost: string;
  /** The subscription the tenant is created in (of the source tenant's license), when known. */
  subscriptionId?: string;
  /** When the create was about to be sent (the client's clock). */
  since: string;
}

const INTENT_PREFIX = 'tenant-create:';

export function intentMarker(intent: TenantCreateIntent): string {
  return `${INTENT_PREFIX}${JSON.stringify(intent)}`;
}

/** The intent of a marker; a marker from before intents carried JSON is the alias host alone. */
export function parseIntentMarker(marker: string | undefined): TenantCreateIntent | undefined {
  if (!marker) return undefined;
  if (!marker.startsWith(INTENT_PREFIX)) return { aliasHost: marker, since: new Date(0).toISOString() };
  try {
    const parsed = JSON.parse(marker.slice(INTENT_PREFIX.length)) as Partial<TenantCreateIntent>;
    if (typeof parsed.aliasHost !== 'string' || typeof parsed.since !== 'string') return undefined;
    return {
      aliasHost: parsed.aliasHost,
      since: parsed.since,
      ...(typeof parsed.subscriptionId === 'string' ? { subscriptionId: parsed.subscriptionId } : {}),
    };
  } catch {
    return undefined;
  }
}

/** What the fleet's journals say: tenants recorded by some customer, and customers whose create is unresolved. */
export interface JournalTenantClaims {
  claimed: ReadonlySet<string>;
  pending: ReadonlySet<string>;
}

export interface TenantLedger {
  /** Runs a tenant create; a reconciliation waits until every create in flight has settled. */
  creating<T>(customerId: string, create: () => Promise<T>): Promise<T>;
  /** A tenant this process created or adopted: never a candidate for another customer. */
  claim(tenantId: string): void;
  /** The create of `customerId` may have gone through without an answer. */
  lost(customerId: string): void;
  /** The tenant a lost create of `customerId` made (claimed for it), or undefined when it made none. */
  reconcile(
    customerId: string,
    intent: TenantCreateIntent,
    signal: AbortSignal,
  ): Promise<OrganizationTenant | undefined>;
}

export interface TenantLedgerOptions {
  organization: QlikOrganization | undefined;
  /** Never a candidate: the partner's own tenant. */
  sourceTenantHost: string;
  /** The subscription of the source tenant, for intents that did not record one. */
  subscriptionId: (signal: AbortSignal) => Promise<string>;
  /** Reads the fleet's journals once (memoised by the caller). */
  journalClaims?: () => Promise<JournalTenantClaims>;
  /** How far the server's clock may be behind ours (default 5 minutes). */
  clockSkewMs?: number;
  /** Waits before a second look when no tenant was found yet (a create still being processed). */
  settle?: (signal: AbortSignal) => Promise<void>;
}

/** One ledger per fleet run (or per recipe): creates are counted, reconciliations run one at a time. */
export function createTenantLedger(options: TenantLedgerOptions): TenantLedger {
  const claimed = new Set<string>();
  const lostCreates = new Set<string>();
  const resolved = new Set<string>();
  let inFlight = 0;
  const idle: Array<() => void> = [];
  let exclusive: Promise<void> | undefined;
  let chain: Promise<void> = Promise.resolve();

  const exclusively = async <T>(work: () => Promise<T>): Promise<T> => {
    const previous = chain;
    let release!: () => void;
    chain = new Promise((resolve) => (release = resolve));
    await previous;
    let done!: () => void;
    exclusive = new Promise((resolve) => (done = resolve));
    try {
      while (inFlight > 0) await new Promise<void>((resolve) => idle.push(resolve));
      return await work();
    } finally {
      exclusive = undefined;
      done();
      release();
    }
  };

  const candidatesFor = async (intent: TenantCreateIntent, signal: AbortSignal): Promise<OrganizationTenant[]> => {
    const organization = options.organization!;
    const subscriptionId = intent.subscriptionId ?? (await options.subscriptionId(signal));
    const since = new Date(Date.parse(intent.since) - (options.clockSkewMs ?? 5 * 60_000)).toISOString();
    const listed = await organization.listTenants(
      `subscriptionId eq ${scimString(subscriptionId)} and createdAt ge ${scimString(since)}`,
      { signal },
    );
    const journal = (await options.journalClaims?.()) ?? { claimed: new Set<string>(), pending: new Set<string>() };
    return (
      listed
        // A tenant fresh from POST /tenants has its one generated hostname; one with an alias was set up.
        .filter(
          (tenant) =>
            tenant.status !== 'deleted' &&
            tenant.hostnames.length === 1 &&
            !tenant.hostnames.includes(options.sourceTenantHost) &&
            !claimed.has(tenant.id) &&
            !journal.claimed.has(tenant.id),
        )
        .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : 1))
    );
  };

  const claimants = async (customerId: string): Promise<number> => {
    const journal = await options.journalClaims?.();
    const open = new Set([...lostCreates, ...(journal?.pending ?? []), customerId]);
    for (const done of resolved) open.delete(done);
    open.add(customerId);
    return open.size;
  };

  return {
    async creating(_customerId, create) {
      while (exclusive) await exclusive;
      inFlight++;
      try {
        return await create();
      } finally {
        inFlight--;
        if (inFlight === 0) for (const wake of idle.splice(0)) wake();
      }
    },
    claim(tenantId) {
      claimed.add(tenantId);
    },
    lost(customerId) {
      lostCreates.add(customerId);
      resolved.delete(customerId);
    },
    async reconcile(customerId, intent, signal) {
      if (!options.organization) throw new TenantCreateUncertainError(customerId, intent.since);
      return exclusively(async () => {
        let candidates = await candidatesFor(intent, signal);
        if (candidates.length === 0 && options.settle) {
          await options.settle(signal);
          candidates = await candidatesFor(intent, signal);
        }
        const finish = (tenant: OrganizationTenant | undefined) => {
          lostCreates.delete(customerId);
          resolved.add(customerId);
          if (tenant) claimed.add(tenant.id);
          return tenant;
        };
        if (candidates.length === 0) return finish(undefined);
        // Fresh tenants nobody claims are alike (just created, unconfigured): the oldest goes to this
        // customer, as long as there are no more of them than creates this fleet lost.
        if (candidates.length > (await claimants(customerId)))
          throw new TenantCreateAmbiguousError(customerId, candidates);
        return finish(candidates[0]);
      });
    },
  };
}
