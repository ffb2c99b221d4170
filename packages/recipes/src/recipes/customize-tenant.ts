import { QlikValidationError } from '@qlik-oem/core';
import type { QlikCloud } from '@qlik-oem/qlik-cloud';
import { defineRecipe } from '../recipe.js';
import { lazySchema, loadValidators } from '../validation/load.js';
import type { Secret } from '../validation/secret.js';
import {
  applyRecipe,
  planRecipe,
  type ApplyOptions,
  type ApplyResult,
  type PlanOptions,
  type PlanResult,
} from '../runner.js';
import { defineStep, type StepContext, type StepDefinition } from '../step.js';
import {
  activateBrand,
  brandFiles,
  createBrand,
  describeBrand,
  diffBrand,
  findBrand,
  uploadBrandFile,
  type BrandUpdate,
} from './customize-tenant-brand.js';
import {
  findBundle,
  listBundles,
  planBundles,
  writeBundle,
  type BundleChange,
  type BundleKind,
} from './customize-tenant-bundles.js';
import {
  createWebIntegration,
  findWebIntegration,
  listCspOrigins,
  planCspOrigins,
  sameOrigins,
  updateWebIntegrationOrigins,
  writeCspOrigin,
  type CspChange,
} from './customize-tenant-embedding.js';
import {
  createImpersonationClient,
  describeUpdate,
  diffImpersonationClient,
  findImpersonationClient,
  replaceClientSecret,
  rotateClientSecret,
  updateImpersonationClient,
  type ImpersonationClientSecretStore,
  type ImpersonationClientUpdate,
  type RotatedClientSecret,
} from './customize-tenant-impersonation.js';
import type { CustomizeTenantInput, CustomizeTenantInputRaw, TenantCustomization } from './customize-tenant-input.js';

/** The input schema, loaded on first validation (zod stays off the import path). */
const loadCustomizeTenantInput = lazySchema('customizeTenantInputSchema');

/** Gives the facade of a tenant host: a `ProvisioningEnvironment`, or a single tenant's `createQlikCloud(...)` facade. */
export type TenantAccess = QlikCloud | { tenant(host: string): QlikCloud };

/** The tenant to customize and what to make true on it. */
export interface CustomizeTenantTarget {
  tenantHost: string;
  customization: TenantCustomization;
}

export interface CustomizeTenantStepsOptions<Input, Prior> {
  access: TenantAccess;
  /**
   * Where the tenant host and the (validated, `tenantCustomizationSchema`) customization come from, e.g.
   * `(ctx) => ({ tenantHost: ctx.outputs.tenant.host, customization: ctx.input.customization })` in a fleet
   * recipe. It may read earlier steps' outputs.
   */
  target: (context: StepContext<Input, Prior>) => CustomizeTenantTarget;
  /**
   * Keeps the secret of an impersonation client the step creates, before the step is done (so a run killed
   * later loses no secret). Without it the secret is only in the step's outputs.
   */
  storeClientSecret?: ImpersonationClientSecretStore;
}

function facadeFor(access: TenantAccess, host: string): QlikCloud {
  if ('tenant' in access && typeof access.tenant === 'function') return access.tenant(host);
  const facade = access as QlikCloud;
  if (facade.host !== host) {
    throw new QlikValidationError(`customizeTenant: the facade is for ${facade.host}, not for the tenant ${host}`, [
      { path: ['tenantHost'], message: 'does not match the facade' },
    ]);
  }
  return facade;
}

export interface WebIntegrationOutputs {
  /** The id the embed code (`qlik-embed`, `data-web-integration-id`) needs; null when none was asked for. */
  webIntegrationId: string | null;
}
export interface CspOriginsOutputs {
  cspOriginIds: Record<string, string>;
}
export interface BrandOutputs {
  brandId: string | null;
}
export interface ExtensionsOutputs {
  extensionIds: Record<string, string>;
}
export interface ThemesOutputs {
  themeIds: Record<string, string>;
}
export interface ImpersonationClientOutputs {
  /** The OAuth client the partner's backend impersonates end users with; null when none was asked for. */
  clientId: string | null;
  /**
   * Its secret, only from the run that created the client (Qlik answers it once): keep it in the partner's
   * secret store. Later runs, and the journal, have null / `[REDACTED]`; `replaceClientSecret` makes a new one.
   */
  clientSecret: Secret | null;
}

/** The changes a multi-item step makes: all creates count as a create (with the names as marker). */
function multiInspection<Change extends { kind: string; spec: { name: string } }, Out>(
  changes: Change[],
  none: Out,
  what: string,
):
  | { action: 'none'; reason: string; outputs: Out }
  | { action: 'create'; reason: string; marker: string; current: Change[] }
  | { action: 'update'; reason: string; current: Change[] } {
  if (changes.length === 0) return { action: 'none', reason: `${what} are as specified`, outputs: none };
  const names = changes.map((c) => c.spec.name).join(', ');
  if (changes.every((c) => c.kind === 'create'))
    return { action: 'create', reason: `${what} to create: ${names}`, marker: names, current: changes };
  return { action: 'update', reason: `${what} to create or update: ${names}`, current: changes };
}

function bundleStep<Name extends 'extensions' | 'themes', Input, Prior, Out>(
  name: Name,
  kind: BundleKind,
  options: CustomizeTenantStepsOptions<Input, Prior>,
  outputs: (ids: Record<string, string>) => Out,
): StepDefinition<Name, Input, Prior, Out, BundleChange[]> {
  return defineStep<Name, Input, Prior, Out, BundleChange[]>({
    name,
    async inspect(ctx) {
      const { tenantHost, customization } = options.target(ctx);
      const wanted = customization[kind];
      if (wanted.length === 0) return { action: 'none', reason: `no ${kind} asked for`, outputs: outputs({}) };
      const qc = facadeFor(options.access, tenantHost);
      const { changes, ids } = await planBundles(qc, kind, await listBundles(qc, kind, ctx.signal), wanted, ctx.signal);
      return multiInspection(changes, outputs(ids), kind);
    },
    async apply(ctx, inspection) {
      const { tenantHost, customization } = options.target(ctx);
      const qc = facadeFor(options.access, tenantHost);
      const changes = inspection.current ?? [];
      // Ids of the archives that needed no write come from the list; the written ones from the writes.
      const existing = await listBundles(qc, kind, ctx.signal);
      const ids: Record<string, string> = {};
      for (const spec of customization[kind]) {
        const found = findBundle(existing, spec.name);
        if (found) ids[spec.name] = found.id;
      }
      for (const change of changes) ids[change.spec.name] = await writeBundle(qc, kind, change, ctx.signal);
      return outputs(ids);
    },
  });
}

/**
 * The steps of `customizeTenant`, to compose into another recipe (e.g. a fleet's onboarding):
 * `webIntegration`, `cspOrigins`, `brand`, `extensions`, `themes`, `impersonationClient`. Each finds its resources by name first and
 * writes only what is missing or different.
 */
export function customizeTenantSteps<Input, Prior>(options: CustomizeTenantStepsOptions<Input, Prior>) {
  const webIntegration = defineStep<'webIntegration', Input, Prior, WebIntegrationOutputs, { id?: string }>({
    name: 'webIntegration',
    async inspect(ctx) {
      const { tenantHost, customization } = options.target(ctx);
      const spec = customization.webIntegration;
      if (!spec) return { action: 'none', reason: 'no web integration asked for', outputs: { webIntegrationId: null } };
      const found = await findWebIntegration(facadeFor(options.access, tenantHost), spec.name, ctx.signal);
      if (!found) return { action: 'create', reason: `no web integration named "${spec.name}"`, marker: spec.name };
      if (!sameOrigins(found.validOrigins, spec.validOrigins))
        return { action: 'update', reason: 'its valid origins differ', current: { id: found.id } };
      return { action: 'none', reason: 'web integration is as specified', outputs: { webIntegrationId: found.id } };
    },
    async apply(ctx, inspection) {
      const { tenantHost, customization } = options.target(ctx);
      const qc = facadeFor(options.access, tenantHost);
      const spec = customization.webIntegration!;
      if (inspection.action === 'update' && inspection.current.id) {
        await updateWebIntegrationOrigins(qc, inspection.current.id, spec.validOrigins, ctx.signal);
        return { webIntegrationId: inspection.current.id };
      }
      return { webIntegrationId: await createWebIntegration(qc, spec, ctx.signal) };
    },
  });

  const cspOrigins = defineStep<'cspOrigins', Input, Prior, CspOriginsOutputs, CspChange[]>({
    name: 'cspOrigins',
    async inspect(ctx) {
      const { tenantHost, customization } = options.target(ctx);
      if (customization.cspOrigins.length === 0)
        return { action: 'none', reason: 'no CSP origins asked for', outputs: { cspOriginIds: {} } };
      const existing = await listCspOrigins(facadeFor(options.access, tenantHost), ctx.signal);
      const { changes, ids } = planCspOrigins(existing, customization.cspOrigins);
      return multiInspection(changes, { cspOriginIds: ids }, 'CSP origins');
    },
    async apply(ctx, inspection) {
      const { tenantHost, customization } = options.target(ctx);
      const qc = facadeFor(options.access, tenantHost);
      const { ids } = planCspOrigins(await listCspOrigins(qc, ctx.signal), customization.cspOrigins);
      for (const change of inspection.current ?? [])
        ids[change.spec.name] = await writeCspOrigin(qc, change, ctx.signal);
      return { cspOriginIds: ids };
    },
  });

  const brand = defineStep<'brand', Input, Prior, BrandOutputs, BrandUpdate>({
    name: 'brand',
    async inspect(ctx) {
      const { tenantHost, customization } = options.target(ctx);
      const spec = customization.brand;
      if (!spec) return { action: 'none', reason: 'no brand asked for', outputs: { brandId: null } };
      const qc = facadeFor(options.access, tenantHost);
      const found = await findBrand(qc, spec.name, ctx.signal);
      if (!found) return { action: 'create', reason: `no brand named "${spec.name}"`, marker: spec.name };
      const update = await diffBrand(qc, found, spec, ctx.signal);
      if (update.uploads.length === 0 && !update.activate && update.description === undefined)
        return { action: 'none', reason: 'brand files are current and it is active', outputs: { brandId: found.id } };
      const what = [
        update.uploads.length > 0 ? `changed files: ${update.uploads.map((u) => u.id).join(', ')}` : '',
        update.description === undefined ? '' : 'description differs',
        update.activate ? 'not active' : '',
      ]
        .filter(Boolean)
        .join('; ');
      return { action: 'update', reason: what, current: update };
    },
    async apply(ctx, inspection) {
      const { tenantHost, customization } = options.target(ctx);
      const qc = facadeFor(options.access, tenantHost);
      const spec = customization.brand!;
      if (inspection.action === 'create') {
        const brandId = await createBrand(qc, spec, ctx.signal);
        if (spec.activate) await activateBrand(qc, brandId, ctx.signal);
        return { brandId };
      }
      const files = new Map(brandFiles(spec));
      for (const upload of inspection.current.uploads)
        await uploadBrandFile(qc, inspection.current.id, upload.id, files.get(upload.id)!, upload.method, ctx.signal);
      if (inspection.current.description !== undefined)
        await describeBrand(qc, inspection.current.id, inspection.current.description, ctx.signal);
      if (inspection.current.activate) await activateBrand(qc, inspection.current.id, ctx.signal);
      return { brandId: inspection.current.id };
    },
  });

  const extensions = bundleStep('extensions', 'extensions', options, (ids): ExtensionsOutputs => ({
    extensionIds: ids,
  }));
  const themes = bundleStep('themes', 'themes', options, (ids): ThemesOutputs => ({ themeIds: ids }));

  const impersonationClient = defineStep<
    'impersonationClient',
    Input,
    Prior,
    ImpersonationClientOutputs,
    ImpersonationClientUpdate
  >({
    name: 'impersonationClient',
    async inspect(ctx) {
      const { tenantHost, customization } = options.target(ctx);
      const spec = customization.impersonationClient;
      if (!spec)
        return {
          action: 'none',
          reason: 'no impersonation client asked for',
          outputs: { clientId: null, clientSecret: null },
        };
      const qc = facadeFor(options.access, tenantHost);
      const found = await findImpersonationClient(qc, spec.name, ctx.signal);
      if (!found) return { action: 'create', reason: `no OAuth client named "${spec.name}"`, marker: spec.name };
      const update = await diffImpersonationClient(qc, found, spec, ctx.signal);
      if (!update)
        return {
          action: 'none',
          reason: 'impersonation client is as specified',
          outputs: { clientId: found.clientId, clientSecret: null },
        };
      return { action: 'update', reason: describeUpdate(update), current: update };
    },
    async apply(ctx, inspection) {
      const { tenantHost, customization } = options.target(ctx);
      const qc = facadeFor(options.access, tenantHost);
      if (inspection.action === 'update') {
        await updateImpersonationClient(qc, inspection.current, ctx.signal);
        return { clientId: inspection.current.clientId, clientSecret: null };
      }
      const created = await createImpersonationClient(qc, customization.impersonationClient!, ctx.signal);
      if (options.storeClientSecret)
        await options
          .storeClientSecret({ customerId: ctx.customerId, tenantHost, ...created })
          .catch((error: unknown) => {
            throw new Error(
              `The impersonation client ${created.clientId} was made on ${tenantHost}, but its secret could not be stored (Qlik shows it only once): give the client a new secret`,
              { cause: error },
            );
          });
      return created;
    },
  });
  return { webIntegration, cspOrigins, brand, extensions, themes, impersonationClient } as const;
}

/** The `customizeTenant` recipe for one tenant: `applyRecipe(createCustomizeTenantRecipe(access), input)`. */
export function createCustomizeTenantRecipe(access: TenantAccess) {
  const steps = customizeTenantSteps<CustomizeTenantInput, unknown>({
    access,
    target: (ctx) => ({ tenantHost: ctx.input.tenantHost, customization: ctx.input }),
  });
  return defineRecipe({
    name: 'customizeTenant',
    input: loadCustomizeTenantInput,
    customerId: (input) => input.customerId,
  })
    .step(steps.webIntegration)
    .step(steps.cspOrigins)
    .step(steps.brand)
    .step(steps.extensions)
    .step(steps.themes)
    .step(steps.impersonationClient);
}

export type CustomizeTenantOutputs = {
  webIntegration: WebIntegrationOutputs;
  cspOrigins: CspOriginsOutputs;
  brand: BrandOutputs;
  extensions: ExtensionsOutputs;
  themes: ThemesOutputs;
  impersonationClient: ImpersonationClientOutputs;
};

/**
 * Makes a tenant look and embed like the partner's product: web integration, CSP origins, an active brand,
 * extensions, themes, and the OAuth client the partner's backend impersonates end users with (its secret is in
 * `outputs.impersonationClient.clientSecret` of the run that created it, and nowhere else). Validates the input first (files are read and checked), then writes only what is
 * missing or different; a second run writes nothing (`status: 'unchanged'`).
 */
export function customizeTenant(
  access: TenantAccess,
  input: CustomizeTenantInputRaw,
  options?: ApplyOptions,
): Promise<ApplyResult<CustomizeTenantOutputs>> {
  return applyRecipe(createCustomizeTenantRecipe(access), input, options);
}

/** Which `customizeTenant` steps would write, without writing anything. */
export function planCustomizeTenant(
  access: TenantAccess,
  input: CustomizeTenantInputRaw,
  options?: PlanOptions,
): Promise<PlanResult> {
  return planRecipe(createCustomizeTenantRecipe(access), input, options);
}

/**
 * A new secret for the tenant's impersonation client, in place of all its others: for a partner who lost the one
 * `customizeTenant` handed out (a run killed before it was stored, a secret store wiped). Holders of an old secret
 * are refused from then on. Bad input is a `QlikValidationError` before any request.
 */
export async function replaceImpersonationClientSecret(
  access: TenantAccess,
  target: { tenantHost: string; clientId: string },
  options: { signal?: AbortSignal } = {},
): Promise<Secret> {
  const label = 'replaceImpersonationClientSecret';
  const { parseInput, tenantHostnameSchema, text } = await loadValidators();
  const tenantHost = parseInput(tenantHostnameSchema, target?.tenantHost, { label, path: ['tenantHost'] });
  const clientId = parseInput(text(512), target?.clientId, { label, path: ['clientId'] });
  return replaceClientSecret(facadeFor(access, tenantHost), clientId, options.signal ?? new AbortController().signal);
}

/**
 * Rotates the tenant's impersonation client secret without a moment in which the partner holds none: a new
 * secret is made and handed to `store`, and only after `store` resolved are the client's other secrets deleted
 * (holders of an old one get `invalid_client` from then on). `keepHint` names the secret the store holds now, so
 * a client at Qlik's limit of 5 secrets loses another one first. Bad input is a `QlikValidationError` before any
 * request; a `store` that throws leaves every old secret in place.
 */
export async function rotateImpersonationClientSecret(
  access: TenantAccess,
  target: { customerId: string; tenantHost: string; clientId: string; keepHint?: string },
  options: { store: ImpersonationClientSecretStore; signal?: AbortSignal },
): Promise<RotatedClientSecret> {
  const label = 'rotateImpersonationClientSecret';
  const { parseInput, tenantHostnameSchema, text } = await loadValidators();
  const customerId = parseInput(text(512), target?.customerId, { label, path: ['customerId'] });
  const tenantHost = parseInput(tenantHostnameSchema, target?.tenantHost, { label, path: ['tenantHost'] });
  const clientId = parseInput(text(512), target?.clientId, { label, path: ['clientId'] });
  const keepHint =
    target?.keepHint === undefined ? undefined : parseInput(text(64), target.keepHint, { label, path: ['keepHint'] });
  if (typeof options?.store !== 'function')
    throw new QlikValidationError(`${label}: options.store must be a function that keeps the new secret`, [
      { path: ['store'], message: 'must be a function' },
    ]);
  return rotateClientSecret(
    facadeFor(access, tenantHost),
    { customerId, clientId, keepHint },
    options.store,
    options.signal ?? new AbortController().signal,
  );
}

/**
 * The id of the tenant's impersonation client of this name (the one `customizeTenant` adopts: the oldest of the
 * name), or undefined when the tenant has none. Reads only.
 */
export async function findImpersonationClientId(
  access: TenantAccess,
  target: { tenantHost: string; clientName: string },
  options: { signal?: AbortSignal } = {},
): Promise<string | undefined> {
  const label = 'findImpersonationClientId';
  const { parseInput, tenantHostnameSchema, text } = await loadValidators();
  const tenantHost = parseInput(tenantHostnameSchema, target?.tenantHost, { label, path: ['tenantHost'] });
  const clientName = parseInput(text(512), target?.clientName, { label, path: ['clientName'] });
  const found = await findImpersonationClient(
    facadeFor(access, tenantHost),
    clientName,
    options.signal ?? new AbortController().signal,
  );
  return found?.clientId;
}
