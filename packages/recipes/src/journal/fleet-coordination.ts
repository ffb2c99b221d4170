// What a journal store shared by many processes offers a fleet's tenant creates: the fleet-wide gate and the
// fleet-wide claims (tenants some customer has, customers whose create may have made a tenant nobody knows of);
// and the in-process version, for stores one process owns and for journals that offer neither.
import { createInProcessGate, type FleetGate } from './fleet-gate.js';

/** The fleet-wide record of tenant creates, read fresh by every reconciliation. */
export interface TenantClaims {
  /** Before a create is sent: `customerId` may make a tenant that nobody has yet. */
  pending(customerId: string): Promise<void>;
  /**
   * `customerId`'s create is accounted for: its tenant (when it has one) is claimed and never a candidate for
   * another customer, and the customer is no longer pending. A tenant claimed earlier keeps its first claimant.
   */
  settle(customerId: string, tenantId?: string): Promise<void>;
  /** Which of `tenantIds` some customer claims, and every customer still pending. */
  read(tenantIds: readonly string[]): Promise<{ claimed: Set<string>; pending: Set<string> }>;
}

/**
 * A store's coordination of tenant creates across every process that shares it (`JournalStore.coordination`):
 * what makes reconciling a lost create as exact in a fleet of workers as in one process.
 */
export interface FleetCoordination {
  gate: FleetGate;
  claims: TenantClaims;
}

/** Coordination within one process: for the memory and file stores, and the ledger of a journal without any. */
export function createInProcessCoordination(): FleetCoordination {
  const claimed = new Map<string, string>();
  const pending = new Set<string>();
  return {
    gate: createInProcessGate(),
    claims: {
      async pending(customerId) {
        pending.add(customerId);
      },
      async settle(customerId, tenantId) {
        pending.delete(customerId);
        if (tenantId !== undefined && !claimed.has(tenantId)) claimed.set(tenantId, customerId);
      },
      async read(tenantIds) {
        return { claimed: new Set(tenantIds.filter((id) => claimed.has(id))), pending: new Set(pending) };
      },
    },
  };
}
