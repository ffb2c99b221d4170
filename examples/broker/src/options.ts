import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { QlikValidationError } from '@qlik-oem/core';
import { parseInput, partnerSchema, tenantCustomizationSchema } from '@qlik-oem/recipes/schemas';
import type {
  FleetHydrateConfig,
  JournalStore,
  PartnerConfig,
  PartnerConfigInput,
  ProvisionFleetOptions,
  ProvisioningEnvironment,
  TenantCustomizationInput,
} from '@qlik-oem/recipes';
import type { FastifyServerOptions } from 'fastify';
import { createMemoryImpersonationSecrets, type ImpersonationSecrets } from './impersonation.js';
import { parseMasterData, type MasterData } from './master-data.js';

/** Everything the broker needs; `buildBroker(options)` validates it before it serves anything. */
export interface BrokerOptions {
  /** Where tenants are provisioned: `createProvisioningEnvironment(...)` (real Qlik Cloud or the simulator). */
  env: ProvisioningEnvironment;
  /** The partner configuration every customer gets (groups, spaces, settings, and the JWT IdP's public key). */
  partner: PartnerConfigInput;
  /**
   * The partner's private signing key: the pair of `partner.jwt.publicKeyPem`. End users' JWTs are signed
   * with it (`signUserJwt`); checked against the public key at start.
   */
  signingKey: string | KeyObject;
  /** Each customer's provisioning journal: the source of truth for `GET /customers/:id`. */
  journal: JournalStore;
  /** Hydrate every onboarded tenant from the template app. Omit to onboard only. */
  hydrate?: FleetHydrateConfig;
  /**
   * Embedding and white-label for every tenant (`customizeTenant`), e.g. a web integration and CSP origins for
   * the partner's product. Its web integration id is handed to the browser with each embed session.
   */
  customization?: TenantCustomizationInput;
  /** Reload waits of the hydrate steps. */
  reload?: ProvisionFleetOptions['reload'];
  /** Step retries of the recipes. */
  retry?: ProvisionFleetOptions['retry'];
  /** The `fetch` for the embed-session check against the tenant (e.g. the simulator's `sim.nodeFetch`). Default: global fetch. */
  fetch?: typeof fetch;
  /** Clock for the JWTs' `iat`/`exp` in epoch ms (e.g. the simulator's `sim.clock.now`). Default: `Date.now`. */
  jwtClock?: () => number;
  /** Lifetime of an end user's JWT in seconds (default 120: the browser exchanges it right away). */
  jwtLifetimeSeconds?: number;
  /** Fastify's logger option (default off). Request logs carry no bodies or headers, so no JWTs. */
  logger?: FastifyServerOptions['logger'];
  /** The partner's customers and their end users, for the operator and product pages (`GET /`, `GET /app`). */
  masterData?: MasterData;
  /**
   * Where each tenant's impersonation client secret is kept (`customization.impersonationClient`). Default: memory
   * (a restarted broker gives each client a new secret on its first token request).
   */
  impersonationSecrets?: ImpersonationSecrets;
}

/** The options after validation. */
export interface BrokerConfig {
  env: ProvisioningEnvironment;
  partnerInput: PartnerConfigInput;
  partner: PartnerConfig;
  signingKey: KeyObject;
  journal: JournalStore;
  hydrate: FleetHydrateConfig | undefined;
  customization: TenantCustomizationInput | undefined;
  reload: ProvisionFleetOptions['reload'];
  retry: ProvisionFleetOptions['retry'];
  fetch: typeof fetch | undefined;
  jwtClock: () => number;
  jwtLifetimeSeconds: number;
  masterData: MasterData | undefined;
  impersonationSecrets: ImpersonationSecrets;
}

/** Validates the broker's options; a `QlikValidationError` names the bad option (never a key). */
export function resolveBrokerOptions(options: BrokerOptions): BrokerConfig {
  const partner = parseInput(partnerSchema, options.partner, { label: 'broker options', path: ['partner'] });
  if (options.customization !== undefined) {
    parseInput(tenantCustomizationSchema, options.customization, { label: 'broker options', path: ['customization'] });
  }
  const signingKey = signingKeyMatching(options.signingKey, partner.jwt.publicKeyPem);
  const lifetime = options.jwtLifetimeSeconds ?? 120;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > 3600) {
    throw new QlikValidationError('Invalid broker options', [
      { path: ['jwtLifetimeSeconds'], message: 'must be a whole number of seconds from 1 to 3600' },
    ]);
  }
  return {
    env: options.env,
    partnerInput: options.partner,
    partner,
    signingKey,
    journal: options.journal,
    hydrate: options.hydrate,
    customization: options.customization,
    reload: options.reload,
    retry: options.retry,
    fetch: options.fetch,
    jwtClock: options.jwtClock ?? Date.now,
    jwtLifetimeSeconds: lifetime,
    masterData: options.masterData === undefined ? undefined : parseMasterData(options.masterData),
    impersonationSecrets: options.impersonationSecrets ?? createMemoryImpersonationSecrets(),
  };
}

// A key that does not match the IdP's public key would sign JWTs every tenant refuses: fail at start instead.
function signingKeyMatching(key: string | KeyObject, publicKeyPem: string): KeyObject {
  const invalid = (message: string) =>
    new QlikValidationError('Invalid broker options', [{ path: ['signingKey'], message }]);
  let privateKey: KeyObject;
  try {
    privateKey = typeof key === 'string' ? createPrivateKey(key) : key;
  } catch {
    throw invalid('must be a PEM private key (PKCS#8, PKCS#1 or SEC1)');
  }
  if (privateKey.type !== 'private') throw invalid('must be a private key');
  const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const registered = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  if (!derived.equals(registered))
    throw invalid('is not the pair of partner.jwt.publicKeyPem (tenants would refuse its JWTs)');
  return privateKey;
}
