import { createHash, timingSafeEqual } from 'node:crypto';
import { inspect } from 'node:util';
import type { SimClock } from '../clock.js';
import { defaultBehaviour, type AuthorizationMode, type SimBehaviour } from './behaviour.js';
import { AccessTokenSigner } from './access-token.js';
import { createDefaultRoles } from './default-roles.js';
import { IdGenerator } from './ids.js';
import { LicenseSigner, type LicensePayload } from './license-keys.js';
import type { Principal } from './principal.js';
import type { RoleRef, UserRecord } from './records.js';
import {
  CONSOLE_HOST,
  REGION_DATACENTERS,
  isQlikCloudHost,
  regionOfRegistrationHost,
  registrationHost,
} from './regions.js';
import { hostnamesGeneration, TenantState, type TenantSeed } from './tenant.js';

/** An OAuth client; its secret is kept apart (see SimState.addOAuthClient) so it never shows in inspect output. */
export interface OAuthClientRecord {
  clientId: string;
  name: string;
  /** A regional client works on register.<region> and on every tenant of the region. */
  region?: string;
  /** A tenant client works only on this tenant (by id). */
  tenantId?: string;
  /** An organization-level client works only on console.qlikcloud.com (the Organization API). */
  organization?: boolean;
  /** Scopes the client may be granted; a token request may ask for a subset. */
  scopes: string[];
  /**
   * Grants the client may use (oauth-clients.json `allowedGrantTypes`); default `client_credentials`.
   * `urn:qlik:oauth:user-impersonation` lets it get tokens that act as a tenant's users.
   */
  allowedGrantTypes?: string[];
  /** Set for clients created through the oauth-clients API (oauth-clients.json `OAuthClientBase`). */
  api?: OAuthClientApiFields;
}

/** What the oauth-clients API keeps about a client beyond what the token endpoint needs. */
export interface OAuthClientApiFields {
  appType: 'web' | 'native' | 'spa' | 'anonymous-embed';
  description?: string;
  redirectUris: string[];
  allowedOrigins: string[];
  /** `connectionConfig.consentMethod`; Qlik's default is `required` (unverified). */
  consentMethod: 'required' | 'trusted';
  ownerId: string;
  createdAt: string;
  updatedAt: string;
}

/** One secret of a client, as the oauth-clients API lists it (the value stays in SimState's private map). */
export interface ClientSecretInfo {
  hint: string;
  createdAt: string;
  createdBy: string;
}

export interface CreateTenantInput {
  region: string;
  name?: string;
  hostnames?: string[];
  license: LicensePayload & { licenseKey?: string };
  createdByUser?: string;
  seed?: TenantSeed;
  datacenter?: string;
}

export type TenantListener = (tenant: TenantState) => void;

const TOKEN_TTL_MS = 6 * 60 * 60 * 1000;

/** All simulated data: regions, tenants (found by any hostname), OAuth clients and issued tokens. */
export class SimState {
  readonly ids: IdGenerator;
  readonly licenses: LicenseSigner;
  readonly regions = new Set<string>();
  readonly tenants = new Map<string, TenantState>();
  /** Clients by id (add them with addOAuthClient). */
  readonly oauthClients = new Map<string, OAuthClientRecord>();
  /** Hostnames outside Qlik Cloud served by the simulator (e.g. a QSEoW host). */
  readonly extraHosts = new Set<string>();
  /** Switches for time-dependent or unverified behaviour (see behaviour.ts). */
  readonly behaviour: SimBehaviour = defaultBehaviour();
  /**
   * `off` only in tests that prove a case can fail (startSimulator's `authorization` option): every
   * decision of the authorization module (auth/authorize.ts) then allows.
   */
  authorization: AuthorizationMode = 'enforced';
  // Private fields: util.inspect never shows them, so secrets and tokens stay out of logs.
  readonly #tokens = new Map<string, Principal>();
  /** Lower-case hostname -> the tenant last found with it (checked again on every use). */
  readonly #tenantOfHost = new Map<string, TenantState>();
  /** Hosts found on no tenant, with `#hostsStamp()` at the time. */
  readonly #unknownHosts = new Map<string, string>();
  /** Changes when any tenant's hostnames are set (`hostnamesGeneration`) or a tenant is added. */
  #hostsStamp(): string {
    return `${hostnamesGeneration()}/${this.tenants.size}`;
  }
  readonly #secrets = new Map<string, Array<ClientSecretInfo & { value: string }>>();
  readonly #signer = new AccessTokenSigner();
  private readonly tenantListeners: TenantListener[] = [];

  constructor(
    readonly seed: number,
    readonly clock: SimClock,
  ) {
    this.ids = new IdGenerator(seed);
    this.licenses = new LicenseSigner(`qlik-oem-sim-license-${seed}`);
  }

  nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** Called for every tenant, from the state file or created through the API. */
  onTenantCreated(listener: TenantListener): void {
    this.tenantListeners.push(listener);
    for (const tenant of this.tenants.values()) listener(tenant);
  }

  tenantByHost(host: string): TenantState | undefined {
    const wanted = host.toLowerCase();
    // Every request looks its tenant up: a scan of all tenants each time made a 5,000-tenant fleet quadratic.
    // Hostnames are unique across tenants, so a remembered tenant that still has the hostname is the answer
    // the scan would give; one that lost it (an alias replaced) falls back to the scan.
    const remembered = this.#tenantOfHost.get(wanted);
    if (remembered && this.tenants.get(remembered.id) === remembered && hasHostname(remembered, wanted))
      return remembered;
    // A host no tenant had (the registration host, the console, a mistyped one) when no tenant's hostnames
    // changed since: still none has it.
    if (this.#unknownHosts.get(wanted) === this.#hostsStamp()) return undefined;
    for (const t of this.tenants.values()) {
      if (hasHostname(t, wanted)) {
        this.#tenantOfHost.set(wanted, t);
        return t;
      }
    }
    this.#tenantOfHost.delete(wanted);
    this.#unknownHosts.set(wanted, this.#hostsStamp());
    if (this.#unknownHosts.size > 10_000) this.#unknownHosts.clear();
    return undefined;
  }

  tenantById(id: string): TenantState | undefined {
    return this.tenants.get(id);
  }

  /** True when the simulator answers for `host` (a Qlik Cloud host or a declared extra host). */
  servesHost(host: string): boolean {
    const h = host.toLowerCase();
    return isQlikCloudHost(h) || this.extraHosts.has(h);
  }

  isRegistrationHost(host: string): boolean {
    const region = regionOfRegistrationHost(host.toLowerCase());
    return region !== undefined && this.regions.has(region);
  }

  isHostnameTaken(host: string): boolean {
    return (
      this.tenantByHost(host) !== undefined || regionOfRegistrationHost(host) !== undefined || this.extraHosts.has(host)
    );
  }

  /**
   * The subscription a license belongs to. Unverified how Qlik relates the two: the simulator gives each
   * license number one subscription (an ObjectId-like hex id), which the Organization API filters on.
   * Hashed, not drawn from `ids`, so the sequence of every other id stays as it was.
   */
  subscriptionOf(licenseNumber: string): string {
    return createHash('sha256').update(`${this.seed}:${licenseNumber}`).digest('hex').slice(0, 24);
  }

  createTenant(input: CreateTenantInput): TenantState {
    if (!this.regions.has(input.region)) throw new Error(`Unknown region "${input.region}"`);
    const id = this.ids.tenantId();
    const name =
      input.name ??
      `tenant-${id
        .slice(0, 8)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, 'x')}`;
    const hostnames = input.hostnames ?? [`${name}.${input.region}.qlikcloud.com`];
    for (const h of hostnames) if (this.isHostnameTaken(h)) throw new Error(`Hostname "${h}" is already in use`);
    const now = this.nowIso();
    const { licenseKey, ...payload } = input.license;
    const tenant = new TenantState({
      id,
      name,
      hostnames,
      region: input.region,
      datacenter: input.datacenter ?? REGION_DATACENTERS[input.region] ?? input.region,
      created: now,
      subscriptionId: this.subscriptionOf(payload.licenseNumber),
      createdByUser: input.createdByUser ?? 'system',
      license: {
        licenseKey: licenseKey ?? this.licenses.sign(payload),
        licenseNumber: payload.licenseNumber,
        product: payload.product,
        allotments: payload.allotments.map((a) => ({ name: a.name, units: a.units, unitsUsed: 0, overage: 0 })),
        settings: { autoAssignProfessional: false, autoAssignAnalyzer: false },
        assignments: [],
      },
      ...(input.seed ? { seed: input.seed } : {}),
    });
    for (const role of createDefaultRoles(id, this.ids, now)) tenant.roles.set(role.id, role);
    this.tenants.set(id, tenant);
    for (const listener of this.tenantListeners) listener(tenant);
    return tenant;
  }

  addOAuthClient(client: OAuthClientRecord & { clientSecret: string }): OAuthClientRecord {
    const { clientSecret, ...record } = client;
    if (!clientSecret) throw new Error(`OAuth client ${client.clientId} needs a secret`);
    this.#secrets.set(record.clientId, []);
    this.addClientSecret(record.clientId, clientSecret, 'system');
    this.oauthClients.set(record.clientId, record);
    return record;
  }

  /**
   * Adds a secret to a client (a client may hold several, oauth-clients.json: at most 5). The hint is the
   * secret's last 4 characters (unverified which characters Qlik shows).
   */
  addClientSecret(clientId: string, value: string, createdBy: string): ClientSecretInfo {
    const info: ClientSecretInfo = { hint: value.slice(-4), createdAt: this.nowIso(), createdBy };
    const list = this.#secrets.get(clientId) ?? [];
    list.push({ ...info, value });
    this.#secrets.set(clientId, list);
    return info;
  }

  /** The client's secrets without their values. */
  clientSecrets(clientId: string): ClientSecretInfo[] {
    return (this.#secrets.get(clientId) ?? []).map(({ hint, createdAt, createdBy }) => ({
      hint,
      createdAt,
      createdBy,
    }));
  }

  /** Removes one secret by hint; false when the client has none with that hint. */
  removeClientSecret(clientId: string, hint: string): boolean {
    const list = this.#secrets.get(clientId) ?? [];
    const index = list.findIndex((s) => s.hint === hint);
    if (index < 0) return false;
    list.splice(index, 1);
    return true;
  }

  /** Forgets a client and its secrets (tokens already issued stay valid until they expire: unverified). */
  removeOAuthClient(clientId: string): void {
    this.oauthClients.delete(clientId);
    this.#secrets.delete(clientId);
  }

  /** Constant-time check of a client secret against each of the client's secrets. */
  clientSecretMatches(clientId: string, given: string): boolean {
    const b = Buffer.from(given);
    let matched = false;
    for (const { value } of this.#secrets.get(clientId) ?? []) {
      const a = Buffer.from(value);
      if (a.length === b.length && timingSafeEqual(a, b)) matched = true;
    }
    return matched;
  }

  /** The (first) secret of a configured client, for the CLI's start-up banner only. */
  revealClientSecret(clientId: string): string | undefined {
    return this.#secrets.get(clientId)?.[0]?.value;
  }

  [inspect.custom](): string {
    return `SimState { seed: ${this.seed}, regions: [${[...this.regions].join(', ')}], tenants: [${[...this.tenants.values()].map((t) => t.hostname).join(', ')}], oauthClients: [${[...this.oauthClients.keys()].join(', ')}] }`;
  }

  /** Accepts keys this simulator signed (or registered from a state file). */
  verifyLicenseKey(key: string): LicensePayload | undefined {
    const signed = this.licenses.verify(key);
    if (signed) return signed;
    for (const t of this.tenants.values()) {
      if (t.license.licenseKey === key) {
        return {
          licenseNumber: t.license.licenseNumber,
          product: t.license.product,
          allotments: t.license.allotments.map((a) => ({ name: a.name, units: a.units })),
        };
      }
    }
    return undefined;
  }

  addUser(
    tenant: TenantState,
    input: {
      subject: string;
      name?: string;
      email?: string;
      status?: UserRecord['status'];
      roles?: string[];
      clientId?: string;
    },
  ): UserRecord {
    const now = this.nowIso();
    const user: UserRecord = {
      id: this.ids.hex(),
      tenantId: tenant.id,
      subject: input.subject,
      name: input.name ?? input.subject,
      status: input.status ?? 'active',
      createdAt: now,
      lastUpdatedAt: now,
      assignedRoles: (input.roles ?? []).map((r) => this.roleRef(tenant, r)),
      assignedGroups: [],
      ...(input.email !== undefined ? { email: input.email } : {}),
      ...(input.clientId !== undefined ? { clientId: input.clientId } : {}),
    };
    tenant.users.set(user.id, user);
    return user;
  }

  roleRef(tenant: TenantState, nameOrId: string): RoleRef {
    const role = tenant.roles.get(nameOrId) ?? tenant.findRoleByName(nameOrId);
    if (!role) throw new Error(`Unknown role "${nameOrId}"`);
    return { id: role.id, name: role.name, type: role.type, level: role.level };
  }

  /** The bot user an OAuth client acts as in a tenant (M2M clients have the TenantAdmin role). */
  botUser(tenant: TenantState, client: OAuthClientRecord): UserRecord {
    const existing = tenant.findUserBy((u) => u.clientId === client.clientId);
    if (existing) return existing;
    return this.addUser(tenant, {
      subject: `qlikbot\\${client.clientId}`,
      name: client.name,
      roles: ['TenantAdmin'],
      clientId: client.clientId,
    });
  }

  /** A token for `principal`, valid for `ttlMs` of simulated time (an OAuth token's lifetime by default). */
  issueToken(principal: Omit<Principal, 'expiresAt'>, ttlMs = TOKEN_TTL_MS): { token: string; principal: Principal } {
    const now = this.clock.now();
    const full: Principal = { ...principal, expiresAt: now + ttlMs };
    const tenant = principal.tenantId !== undefined ? this.tenants.get(principal.tenantId) : undefined;
    const token = this.#signer.sign({
      sub: principal.userId,
      subType: principal.kind === 'user' ? 'user' : 'client',
      ...(principal.tenantId !== undefined ? { tenantId: principal.tenantId } : {}),
      client_id: principal.clientId,
      scope: principal.scopes.join(' '),
      iss: `https://${tenant?.hostname ?? (principal.kind === 'organization' ? CONSOLE_HOST : registrationHost(principal.region))}`,
      iat: Math.floor(now / 1000),
      exp: Math.floor(full.expiresAt / 1000),
    });
    this.#tokens.set(token, full);
    return { token, principal: full };
  }

  /** The principal of a live token, else undefined (unknown or expired). */
  resolveToken(token: string): Principal | undefined {
    const p = this.#tokens.get(token);
    if (!p) return undefined;
    if (p.expiresAt <= this.clock.now()) {
      this.#tokens.delete(token);
      return undefined;
    }
    return p;
  }

  revokeToken(token: string): void {
    this.#tokens.delete(token);
  }
}

function hasHostname(tenant: TenantState, lowerCaseHost: string): boolean {
  return tenant.hostnames.some((h) => h.toLowerCase() === lowerCaseHost);
}
