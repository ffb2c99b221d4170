import { inspect } from 'node:util';
import type { GroupRecord, IdentityProviderRecord, LicenseState, RoleRecord, UserRecord } from './records.js';

export type TenantStatus = 'active' | 'disabled' | 'deleted' | 'user-access-disabled';

/** Extra, free-form description of a tenant from the state file (spaces, apps ...), read by content modules. */
export interface TenantSeed {
  [key: string]: unknown;
}

export interface TenantInit {
  id: string;
  name: string;
  hostnames: string[];
  region: string;
  datacenter: string;
  created: string;
  /** The subscription of the tenant's license (what the Organization API filters on). */
  subscriptionId: string;
  createdByUser: string;
  license: LicenseState;
  seed?: TenantSeed;
}

/**
 * Counts every change of any tenant's hostnames (a tenant made, an alias set): a host looked up and found on
 * no tenant stays unknown until this changes, so `tenantByHost` need not scan every tenant again for it.
 */
let hostnamesChanged = 0;

/** How many times any tenant's hostnames were set so far (see `hostnamesChanged`). */
export function hostnamesGeneration(): number {
  return hostnamesChanged;
}

/**
 * One tenant. Modules keep their own per-tenant data in typed slots with `ext(key, init)`, so they never
 * need to edit this file: `tenant.ext('spaces', () => new Map<string, Space>())`.
 */
export class TenantState {
  readonly id: string;
  name: string;
  #hostnames: string[] = [];
  readonly region: string;
  readonly datacenter: string;
  status: TenantStatus = 'active';
  statusLastUpdatedAt: string;
  estimatedPurgeDate: string | undefined;
  readonly created: string;
  readonly subscriptionId: string;
  lastUpdated: string;
  readonly createdByUser: string;
  enableAnalyticCreation = false;
  enableAppOpeningFeedback = false;
  autoAssignCreateSharedSpacesRoleToProfessionals = true;
  autoAssignPrivateAnalyticsContentCreatorRoleToProfessionals = true;
  autoAssignDataServicesContributorRoleToProfessionals = true;
  readonly license: LicenseState;
  readonly users = new Map<string, UserRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly roles = new Map<string, RoleRecord>();
  readonly identityProviders = new Map<string, IdentityProviderRecord>();
  groupSettings = { autoCreateGroups: false, syncIdpGroups: false, systemGroups: {} as Record<string, unknown> };
  authSettings = {
    userSessionInactivityTimeoutMinutes: 60,
    maxUserSessionLifespanMinutes: 1440,
    dynamicClientRegistrationEnabled: false,
    dcrAllowedAuthenticationMethods: [] as string[],
  };
  apiKeysConfig = {
    // api-keys.json ApiKeysConfig defaults.
    max_api_key_expiry: 'PT24H',
    max_keys_per_user: 5,
    scim_externalClient_expiry: 'P365D',
    // "By default, API key generation is disabled" (help.qlik.com Admin/mc-generate-api-keys); a state
    // file's `apiKeys.enabled` turns it on (registry: api-keys-disabled-by-default).
    api_keys_enabled: false,
  };
  tenantSettings: Record<string, unknown> = {};
  /** The state file's description of this tenant, if it came from one. */
  readonly seed: TenantSeed | undefined;
  private readonly slots = new Map<string, unknown>();

  constructor(init: TenantInit) {
    this.id = init.id;
    this.name = init.name;
    this.hostnames = [...init.hostnames];
    this.region = init.region;
    this.datacenter = init.datacenter;
    this.created = init.created;
    this.subscriptionId = init.subscriptionId;
    this.lastUpdated = init.created;
    this.statusLastUpdatedAt = init.created;
    this.createdByUser = init.createdByUser;
    this.license = init.license;
    this.seed = init.seed;
    this.estimatedPurgeDate = undefined;
  }

  /** A short summary: the license key and module slots stay out of logs. */
  [inspect.custom](): string {
    return `TenantState { id: ${this.id}, name: ${this.name}, hostnames: [${this.hostnames.join(', ')}], region: ${this.region}, status: ${this.status} }`;
  }

  /**
   * hostnames[0] is the display-name host; the rest are aliases. All route to this tenant. Frozen: a change
   * assigns a new array, so that lookups by host see it.
   */
  get hostnames(): string[] {
    return this.#hostnames;
  }

  set hostnames(hostnames: string[]) {
    this.#hostnames = Object.freeze([...hostnames]) as string[];
    hostnamesChanged++;
  }

  /** The primary hostname (the first entry). */
  get hostname(): string {
    return this.hostnames[0] ?? '';
  }

  /** A per-tenant typed slot owned by a module; created by `init` on first use. */
  ext<T>(key: string, init: () => T): T {
    if (!this.slots.has(key)) this.slots.set(key, init());
    return this.slots.get(key) as T;
  }

  findUserBy(predicate: (u: UserRecord) => boolean): UserRecord | undefined {
    for (const u of this.users.values()) if (predicate(u)) return u;
    return undefined;
  }

  findRoleByName(name: string): RoleRecord | undefined {
    for (const r of this.roles.values()) if (r.name === name) return r;
    return undefined;
  }
}
