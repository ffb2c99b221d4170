import { QlikValidationError, isQlikNotFoundError } from '@qlik-oem/core';
import { createMultiCloudIdentityProvider, unwrap } from '@qlik-oem/qlik-cloud';
import { runFleet, type FleetOptions, type FleetResult } from '../fleet.js';
import { defineRecipe, type AnyStep, type Recipe } from '../recipe.js';
import { applyRecipe, type ApplyOptions, type ApplyResult } from '../runner.js';
import type { Inspection, StepContext } from '../step.js';
import { lazySchema, loadValidators } from '../validation/load.js';
import { Secret } from '../validation/secret.js';
import type { ProvisioningEnvironment } from './context.js';
import { loadOnce } from '../load-once.js';
import { loadQseowDeps } from './qseow-deps.js';
import type { MultiCloudCustomer, MultiCloudCustomerInput } from './setup-multi-cloud-input.js';
import {
  CLOCK_SKEW_MS,
  findPolicyDifferences,
  hasRoutingValue,
  lastChange,
  listingUnavailable,
  routingPropertyName,
} from './setup-multi-cloud-qseow.js';
import { resolveQseowSite, type QseowSite, type QseowSiteOptions } from './setup-multi-cloud-site.js';
import {
  findDistributedApp,
  findManagedSpace,
  idpMarker,
  isStaleIdp,
  listMultiCloudIdps,
  waitForDistributionLanding,
} from './setup-multi-cloud-tenant.js';
import { wireText } from '../wire-text.js';

/** The input schema, loaded on first validation (zod stays off the import path). */
const loadMultiCloudCustomer = lazySchema('multiCloudCustomerSchema');

export type { MultiCloudCustomer, MultiCloudCustomerInput };

/** The deployment created first (hds lists `createdDate`, unverified; without it, the listing's order). */
function oldestDeployment<D extends { id: string }>(deployments: readonly D[]): D {
  const created = (d: D) => Date.parse(wireText((d as { createdDate?: unknown }).createdDate)) || Infinity;
  return deployments.reduce((oldest, d) => (created(d) < created(oldest) ? d : oldest));
}

/** What the idp step found: the IdP to keep (if any) and the ones that hold a replaced deployment's token. */
interface IdpPlan {
  keep?: string;
  stale: string[];
}

/**
 * The `setupMultiCloud` recipe over a provisioning environment (the customer tenants' facades) and a QSEoW site:
 * `deployment` → `token` → `idp` → `routing` → `distribute` → `placeApp`, each reading before it writes.
 */
export function setupMultiCloudRecipe(env: ProvisioningEnvironment, site: QseowSite | QseowSiteOptions) {
  return multiCloudRecipe(
    env,
    loadOnce(() => resolveQseowSite(site)),
  );
}

/** @internal `setupMultiCloudRecipe` over a site created on first use (its options are validated then). */
export function multiCloudRecipe(env: ProvisioningEnvironment, siteOf: () => Promise<QseowSite>) {
  // `@qlik-oem/qrs` and `@qlik-oem/distribution` load on the first step that talks to QSEoW.
  const qseowFor = async (signal: AbortSignal) => {
    const [deps, client] = await Promise.all([loadQseowDeps(), siteOf().then((site) => site.qrs())]);
    return { qrs: client.with({ signal }), distribution: deps.distribution, qrsModule: deps.qrs };
  };

  return defineRecipe({
    name: 'setupMultiCloud',
    input: loadMultiCloudCustomer,
    customerId: (c) => c.customerId,
  })
    .step({
      name: 'deployment',
      async inspect(ctx) {
        const { qrs, distribution } = await qseowFor(ctx.signal);
        const name = ctx.input.deploymentName;
        const serviceUrl = `https://${ctx.input.tenantHost}`;
        const recorded = ctx.journal.recordedOutputs as { deploymentId?: string } | undefined;
        // The journal first: the deployment this step recorded, if it still answers (one GET, no list to page).
        if (recorded?.deploymentId) {
          try {
            await distribution.getDeploymentToken(qrs, recorded.deploymentId);
            return {
              action: 'none',
              reason: `deployment ${recorded.deploymentId} (from the journal) exists`,
              outputs: { deploymentId: recorded.deploymentId, name },
            };
          } catch (error) {
            if (!isQlikNotFoundError(error)) throw error;
          }
        }
        try {
          // hds may keep names unique or not (unverified): every deployment of this name counts. The policy routes
          // by name, so one that serves another tenant would receive this customer's apps too.
          const found = await distribution.findDeploymentsByName(qrs, name);
          const elsewhere = found.find(
            (d) => d.serviceUrl !== undefined && d.serviceUrl.replace(/\/+$/, '').toLowerCase() !== serviceUrl,
          );
          if (elsewhere) {
            throw new QlikValidationError(`Deployment "${name}" already exists for another tenant`, [
              {
                path: ['deploymentName'],
                message: `is taken by a deployment that serves ${elsewhere.serviceUrl}; choose another name or remove it in the QMC`,
              },
            ]);
          }
          if (found.length === 0) return { action: 'create', reason: `no deployment named "${name}"`, marker: name };
          // Several for this tenant (a site that allows duplicates): the one this recipe recorded, else the oldest.
          const chosen = found.find((d) => d.id === recorded?.deploymentId) ?? oldestDeployment(found);
          return {
            action: 'none',
            reason: `deployment "${name}" exists`,
            outputs: { deploymentId: chosen.id, name },
          };
        } catch (error) {
          if (!listingUnavailable(error, distribution)) throw error;
        }
        // Listing is not available on this QSEoW release, and the journal recorded none that still exists.
        return {
          action: 'create',
          reason: `no recorded deployment "${name}" (hds cannot list deployments here)`,
          marker: name,
        };
      },
      async apply(ctx) {
        const { qrs, distribution } = await qseowFor(ctx.signal);
        const created = await distribution.createDeployment(qrs, {
          name: ctx.input.deploymentName,
          tenantHost: ctx.input.tenantHost,
        });
        return { deploymentId: created.id, name: ctx.input.deploymentName };
      },
    })
    .step({
      // A read: the token is a secret, journaled as [REDACTED], so every run reads it again (one GET).
      name: 'token',
      async inspect(ctx) {
        const { deploymentId } = ctx.outputs.deployment;
        const { qrs, distribution } = await qseowFor(ctx.signal);
        const token = new Secret(await distribution.getDeploymentToken(qrs, deploymentId));
        return { action: 'none', reason: 'read the deployment token', outputs: { token } };
      },
      async apply(ctx) {
        const { qrs, distribution } = await qseowFor(ctx.signal);
        return { token: new Secret(await distribution.getDeploymentToken(qrs, ctx.outputs.deployment.deploymentId)) };
      },
    })
    .step({
      name: 'idp',
      async inspect(ctx): Promise<Inspection<{ idpId: string }, IdpPlan>> {
        const site = await siteOf();
        const { deploymentId } = ctx.outputs.deployment;
        const marker = idpMarker(site.host, deploymentId);
        const idps = await listMultiCloudIdps(env.tenant(ctx.input.tenantHost), ctx.signal);
        const token = ctx.outputs.token.token.reveal();
        // This recipe's own (by its marker), or one made by hand that trusts the same deployment token.
        const current =
          idps.find((idp) => idp.active && idp.description === marker) ??
          idps.find((idp) => idp.active && idp.token !== undefined && idp.token.trim() === token.trim());
        const stale = idps.filter((idp) => isStaleIdp(idp, site.host, marker) && idp !== current).map((idp) => idp.id);
        if (current && stale.length === 0)
          return { action: 'none', reason: 'the tenant trusts this deployment', outputs: { idpId: current.id } };
        if (current)
          return {
            action: 'update',
            reason: 'IdPs of replaced deployments remain',
            marker,
            current: { keep: current.id, stale },
          };
        return {
          action: 'create',
          reason: stale.length
            ? 'the tenant trusts a replaced deployment of this site (its token changed)'
            : 'no multi-cloud IdP for this deployment',
          marker,
          current: { stale },
        };
      },
      async apply(ctx, inspection) {
        const site = await siteOf();
        const qc = env.tenant(ctx.input.tenantHost);
        const init = { signal: ctx.signal };
        const { keep, stale } = inspection.current ?? { stale: [] };
        // Stale ones first: a tenant may accept only one multi-cloud IdP per site.
        for (const id of stale) {
          const result = await qc.identityProviders.DELETE('/api/v1/identity-providers/{id}', {
            params: { path: { id } },
            ...init,
          });
          try {
            unwrap(result);
          } catch (error) {
            if (!isQlikNotFoundError(error)) throw error; // already gone
          }
        }
        if (keep) return { idpId: keep };
        const me = unwrap(await qc.users.GET('/api/v1/users/me', init));
        const token = ctx.outputs.token.token;
        const created = unwrap(
          await createMultiCloudIdentityProvider(
            qc.identityProviders,
            {
              base64Encoded: token.reveal(),
              tenantId: me.tenantId ?? '',
              description: idpMarker(site.host, ctx.outputs.deployment.deploymentId),
            },
            init,
          ),
        ) as { id?: string };
        return { idpId: created.id ?? '' };
      },
    })
    .step({
      name: 'routing',
      async inspect(ctx) {
        const site = await siteOf();
        const { qrs, distribution, qrsModule } = await qseowFor(ctx.signal);
        const name = ctx.input.deploymentName;
        const property = routingPropertyName(site, distribution);
        const definition = await qrsModule.findCustomPropertyDefinition(qrs, property);
        const policy = await findPolicyDifferences(qrs, site);
        const missing: string[] = [];
        if (
          !definition ||
          !(definition.choiceValues ?? []).includes(name) ||
          !(definition.objectTypes ?? []).includes('App')
        )
          missing.push(`custom property @${property}`);
        if (policy.differs) missing.push('distribution policy');
        for (const [index, appId] of ctx.input.appIds.entries()) {
          const app = await qrsModule.getApp(qrs, appId);
          if (!app.published) {
            throw new QlikValidationError(`App ${appId} is not published`, [
              { path: ['appIds', index], message: 'is not published: QSEoW distributes published apps only' },
            ]);
          }
          if (!hasRoutingValue(app, property, name)) missing.push(`app ${appId}`);
        }
        if (missing.length === 0) {
          return {
            action: 'none',
            reason: 'routed',
            outputs: { customPropertyId: definition!.id ?? '', policyId: policy.id ?? '' },
          };
        }
        return { action: 'update', reason: `to route: ${missing.join(', ')}`, current: missing };
      },
      async apply(ctx) {
        const site = await siteOf();
        const { qrs, distribution } = await qseowFor(ctx.signal);
        const name = ctx.input.deploymentName;
        const { customProperty, policy } = await distribution.ensureDeploymentRouting(qrs, name, site.routing);
        // Adds this deployment to the app's values (others kept); a 409 (modifiedDate) is read again and retried.
        for (const appId of ctx.input.appIds) await distribution.routeAppToDeployment(qrs, appId, name, site.routing);
        return { customPropertyId: customProperty.id ?? '', policyId: policy.id ?? '' };
      },
    })
    .step({
      name: 'distribute',
      // Its wait is long already (and each call is retried by the transport): a timeout is reported, not repeated.
      retries: 0,
      async inspect(ctx) {
        // Landing needs the tenant's IdP and the routing: in a plan, this step depends on them.
        void ctx.outputs.idp;
        void ctx.outputs.routing;
        const { qrs, qrsModule } = await qseowFor(ctx.signal);
        const qc = env.tenant(ctx.input.tenantHost);
        const behind: Array<{ appId: string; writtenBefore: string | undefined }> = [];
        const landed: Record<string, string> = {};
        for (const appId of ctx.input.appIds) {
          const source = await qrsModule.getApp(qrs, appId);
          const copy = await findDistributedApp(qc, appId, ctx.signal);
          const copyTime = Date.parse(copy?.writtenTime ?? '');
          // Current: in the tenant, written no earlier than the app's last change on QSEoW (give or take clock skew).
          if (copy && copyTime + CLOCK_SKEW_MS >= lastChange(source)) landed[appId] = copy.publishTime ?? '';
          else behind.push({ appId, writtenBefore: copy?.writtenTime });
        }
        if (behind.length === 0)
          return {
            action: 'none',
            reason: 'every app is in the tenant and current',
            outputs: { publishTimes: landed },
          };
        return {
          action: 'update',
          reason: `not (currently) in the tenant: ${behind.map((b) => b.appId).join(', ')}`,
          current: { behind, landed },
        };
      },
      async apply(ctx, inspection) {
        const site = await siteOf();
        const { qrs, distribution } = await qseowFor(ctx.signal);
        const qc = env.tenant(ctx.input.tenantHost);
        const { behind, landed } = inspection.current as {
          behind: Array<{ appId: string; writtenBefore: string | undefined }>;
          landed: Record<string, string>;
        };
        // GET + PUT of the unchanged app makes QSEoW re-evaluate the policies and distribute it.
        for (const { appId } of behind) await distribution.forceAppDistribution(qrs, appId);
        const publishTimes = { ...landed };
        for (const { appId, writtenBefore } of behind) {
          const arrived = await waitForDistributionLanding(qc, appId, {
            deploymentName: ctx.input.deploymentName,
            writtenBefore,
            timeoutMs: site.distributionTimeoutMs,
            pollIntervalMs: site.pollIntervalMs,
            clock: site.clock,
            signal: ctx.signal,
          });
          publishTimes[appId] = arrived.publishTime ?? '';
        }
        return { publishTimes };
      },
    })
    .step({
      name: 'placeApp',
      async inspect(ctx) {
        void ctx.outputs.distribute; // the apps are in the tenant only once distributed
        const qc = env.tenant(ctx.input.tenantHost);
        const space = await findManagedSpace(qc, ctx.input, ctx.signal);
        const toMove: string[] = [];
        for (const appId of ctx.input.appIds) {
          const app = unwrap(
            await qc.apps.GET('/api/v1/apps/{appId}', { params: { path: { appId } }, signal: ctx.signal }),
          );
          if ((app.attributes as { spaceId?: string } | undefined)?.spaceId !== space.id) toMove.push(appId);
        }
        if (toMove.length === 0)
          return { action: 'none', reason: `in space "${space.name}"`, outputs: { spaceId: space.id } };
        return {
          action: 'update',
          reason: `staged or elsewhere: ${toMove.join(', ')}`,
          current: { spaceId: space.id, toMove },
        };
      },
      async apply(ctx, inspection) {
        const qc = env.tenant(ctx.input.tenantHost);
        const { spaceId, toMove } = inspection.current as { spaceId: string; toMove: string[] };
        for (const appId of toMove) {
          unwrap(
            await qc.apps.PUT('/api/v1/apps/{appId}/space', {
              params: { path: { appId } },
              body: { spaceId },
              signal: ctx.signal,
            }),
          );
        }
        return { spaceId };
      },
    });
}

/**
 * The six steps for a composed recipe (e.g. provisionFleet after onboarding): `toInput` builds this customer's
 * multi-cloud input from the composed context (e.g. `tenantHost` and `managedSpaceId` from onboarding outputs), or
 * returns undefined for a customer without multi-cloud, whose steps then do nothing. The step names
 * (`deployment`, `token`, `idp`, `routing`, `distribute`, `placeApp`) must not clash with the other steps'.
 */
export function setupMultiCloudSteps<Input, Prior>(
  env: ProvisioningEnvironment,
  site: QseowSite | QseowSiteOptions | (() => Promise<QseowSite>),
  toInput: (context: StepContext<Input, Prior>) => MultiCloudCustomerInput | undefined,
): AnyStep[] {
  const view = async (
    ctx: StepContext<Input, Prior>,
  ): Promise<StepContext<MultiCloudCustomer, unknown> | undefined> => {
    const raw = toInput(ctx);
    if (raw === undefined) return undefined;
    const { multiCloudCustomerSchema, parseInput } = await loadValidators();
    const input = parseInput(multiCloudCustomerSchema, raw, { label: 'multi-cloud input', path: ['multiCloud'] });
    return { ...ctx, input };
  };
  const siteOf = typeof site === 'function' ? site : loadOnce(() => resolveQseowSite(site));
  return multiCloudRecipe(env, siteOf).steps.map((step): AnyStep => ({
    name: step.name,
    ...(step.retries !== undefined ? { retries: step.retries } : {}),
    async inspect(ctx: StepContext<Input, Prior>) {
      const context = await view(ctx);
      if (!context) return { action: 'none', reason: 'not a multi-cloud customer', outputs: {} };
      return step.inspect(context);
    },
    async apply(ctx: StepContext<Input, Prior>, inspection: never): Promise<unknown> {
      return (await step.apply((await view(ctx))!, inspection)) as unknown;
    },
  }));
}

export type SetupMultiCloudRecipe = ReturnType<typeof setupMultiCloudRecipe>;
/** Outputs by step: `deployment.deploymentId`, `token.token` (a `Secret`), `idp.idpId`, `routing`, `distribute.publishTimes`, `placeApp.spaceId`. */
export type SetupMultiCloudOutputs =
  SetupMultiCloudRecipe extends Recipe<MultiCloudCustomer, infer O, MultiCloudCustomerInput> ? O : never;

/**
 * Connects one customer's tenant to the partner's QSEoW site and brings the apps over: deployment, token, tenant IdP,
 * routing, forced distribution (waiting for the app to land), and the first move into the managed space.
 */
export async function setupMultiCloud(
  env: ProvisioningEnvironment,
  site: QseowSite | QseowSiteOptions,
  customer: MultiCloudCustomerInput,
  options: ApplyOptions = {},
): Promise<ApplyResult<SetupMultiCloudOutputs>> {
  return applyRecipe(setupMultiCloudRecipe(env, await resolveQseowSite(site)), customer, options);
}

/** `setupMultiCloud` for many customers (one journal and worker per customer; see `runFleet`). */
export async function setupMultiCloudFleet(
  env: ProvisioningEnvironment,
  site: QseowSite | QseowSiteOptions,
  customers: readonly MultiCloudCustomerInput[],
  options: FleetOptions = {},
): Promise<FleetResult<SetupMultiCloudOutputs>> {
  return runFleet(setupMultiCloudRecipe(env, await resolveQseowSite(site)), customers, options);
}
