// Which tenant a lost create made: the fleet's record of tenant creates (in flight, answered, lost; kept by the
// journal store's coordination when processes share one), and the reconciliation of a lost one through the
// Organization API. POST /tenants carries nothing that names the customer, so a tenant whose create answer never
// arrived can only be found as "a tenant of the subscription, created since the intent, that nobody claims".
import { isQlikHttpError } from '@qlik-oem/core';
import type { OrganizationTenant, QlikOrganization } from '@qlik-oem/qlik-cloud';
import { createInProcessCoordination, type FleetCoordination } from '../../journal/fleet-coordination.js';
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
  /**
   * Runs a tenant create under the fleet's gate (a reconciliation anywhere waits until it settled): the customer is
   * pending before it is sent, and its answered tenant is claimed before the gate is given back. A create that fails
   * other than by Qlik's refusal leaves the customer pending: it may have made a tenant, which `reconcile` finds.
   */
  creating<T extends { id?: string | undefined }>(customerId: string, create: () => Promise<T>): Promise<T>;
  /** A tenant `customerId` has (recorded, or found by alias with its mark): never a candidate for another customer. */
  claim(customerId: string, tenantId: string): Promise<void>;
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
  /**
   * The gate and claims every process of the fleet shares (the journal store's `coordination`); default: this
   * ledger's own, which knows only this process's creates.
   */
  coordination?: FleetCoordination;
  /** Reads the fleet's journals once (memoised by the caller): claims from before the coordination kept them. */
  journalClaims?: () => Promise<JournalTenantClaims>;
  /** How far the server's clock may be behind ours (default 5 minutes). */
  clockSkewMs?: number;
  /** Waits before a second look when no tenant was found yet (a create still being processed). */
  settle?: (signal: AbortSignal) => Promise<void>;
}

/** A 4xx other than 408/429: Qlik looked at the request and refused it, so nothing was created. */
function isRefusal(error: unknown): boolean {
  if (!isQlikHttpError(error)) return false;
  const { status } = error;
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * One ledger per fleet run (or per recipe, or per worker's provisioner): creates hold the coordination's gate
 * shared, a reconciliation holds it exclusively, so it sees every create of the fleet either claimed or pending.
 */
export function createTenantLedger(options: TenantLedgerOptions): TenantLedger {
  const { gate, claims } = options.coordination ?? createInProcessCoordination();
  // Customers whose create this ledger saw settled (answered, found, reconciled): no longer pending, whatever the
  // journals said when they were read (a create since is pending in the coordination's claims).
  const resolved = new Set<string>();

  const candidatesFor = async (
    intent: TenantCreateIntent,
    signal: AbortSignal,
  ): Promise<{ tenants: OrganizationTenant[]; claimants: Set<string> }> => {
    const organization = options.organization!;
    const subscriptionId = intent.subscriptionId ?? (await options.subscriptionId(signal));
    const since = new Date(Date.parse(intent.since) - (options.clockSkewMs ?? 5 * 60_000)).toISOString();
    const listed = await organization.listTenants(
      `subscriptionId eq ${scimString(subscriptionId)} and createdAt ge ${scimString(since)}`,
      { signal },
    );
    // A tenant fresh from POST /tenants has its one generated hostname; one with an alias was set up.
    const fresh = listed.filter(
      (tenant) =>
        tenant.status !== 'deleted' &&
        tenant.hostnames.length === 1 &&
        !tenant.hostnames.includes(options.sourceTenantHost),
    );
    const [fleet, journal] = await Promise.all([
      claims.read(fresh.map((tenant) => tenant.id)),
      options.journalClaims?.(),
    ]);
    const tenants = fresh
      .filter((tenant) => !fleet.claimed.has(tenant.id) && !journal?.claimed.has(tenant.id))
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || (a.id < b.id ? -1 : 1));
    const claimants = new Set([...fleet.pending, ...[...(journal?.pending ?? [])].filter((id) => !resolved.has(id))]);
    return { tenants, claimants };
  };

  return {
    async creating(customerId, create) {
      // Not the caller's signal: a create that was sent is answered and claimed, however its run ends.
      const release = await gate.shared();
      try {
        await claims.pending(customerId);
        let created;
        try {
          created = await create();
        } catch (error) {
          // Anything but Qlik refusing the request may have created the tenant: the customer stays pending.
          if (isRefusal(error)) await claims.settle(customerId);
          throw error;
        }
        // Claimed where every process sees it before the gate opens for a reconciliation.
        await claims.settle(customerId, created.id);
        resolved.add(customerId);
        return created;
      } finally {
        await release();
      }
    },
    async claim(customerId, tenantId) {
      await claims.settle(customerId, tenantId);
      resolved.add(customerId);
    },
    async reconcile(customerId, intent, signal) {
      if (!options.organization) throw new TenantCreateUncertainError(customerId, intent.since);
      const release = await gate.exclusive(signal);
      try {
        let candidates = await candidatesFor(intent, signal);
        if (candidates.tenants.length === 0 && options.settle) {
          await options.settle(signal);
          candidates = await candidatesFor(intent, signal);
        }
        const { tenants } = candidates;
        const finish = async (tenant: OrganizationTenant | undefined) => {
          await claims.settle(customerId, tenant?.id);
          resolved.add(customerId);
          return tenant;
        };
        if (tenants.length === 0) return await finish(undefined);
        // Fresh tenants nobody claims are alike (just created, unconfigured): the oldest goes to this customer, as
        // long as there are no more of them than creates of the fleet that may have made one (this one included).
        const claimants = new Set([...candidates.claimants, customerId]).size;
        if (tenants.length > claimants) throw new TenantCreateAmbiguousError(customerId, tenants);
        return await finish(tenants[0]);
      } finally {
        await release();
      }
    },
  };
}
