import { QlikValidationError, isQlikNotFoundError, waitUntil } from '@qlik-oem/core';
import { collectAll, paginate, unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { findSpaceByExactName, type SpaceSummary } from './finders.js';
import { loadQseowDeps } from './qseow-deps.js';
import type { MultiCloudCustomer } from './setup-multi-cloud-input.js';
import type { WaitClock } from './setup-multi-cloud-site.js';

// Tenant-side reads of the multi-cloud recipe. Distributed apps are looked up through the items
// listing (`resourceType=app&resourceId=`): it answers 200 with no data while the app has not
// landed, whereas `GET /apps/{id}` answers an (undocumented) 404.

export const MULTI_CLOUD_PROTOCOL = 'qsefw-local-bearer-token';

/** A distributed app as the tenant shows it. */
export interface TenantAppState {
  appId: string;
  publishTime?: string;
  /**
   * When the tenant last wrote the app: the later of its publish time and its item's `resourceUpdatedAt`. Whether a
   * re-distribution without new data moves the publish time is not documented; it writes the app either way.
   */
  writtenTime?: string;
  spaceId?: string;
}

const later = (a: string | undefined, b: string | undefined): string | undefined =>
  a === undefined ? b : b === undefined ? a : (Date.parse(b) || 0) > (Date.parse(a) || 0) ? b : a;

/** The app with this (QSEoW) id in the tenant, or undefined while it has not landed. */
export async function findDistributedApp(
  qc: QlikCloud,
  appId: string,
  signal?: AbortSignal,
): Promise<TenantAppState | undefined> {
  const page = unwrap(
    await qc.items.GET('/api/v1/items', {
      params: { query: { resourceType: 'app', resourceId: appId, limit: 10 } },
      ...(signal ? { signal } : {}),
    }),
  );
  const item = (page.data ?? []).find((candidate) => candidate.resourceId === appId);
  if (!item) return undefined;
  const attributes = (item.resourceAttributes ?? {}) as { publishTime?: unknown; spaceId?: unknown };
  const publishTime = typeof attributes.publishTime === 'string' ? attributes.publishTime : undefined;
  const updated = typeof item.resourceUpdatedAt === 'string' ? item.resourceUpdatedAt : undefined;
  const writtenTime = later(publishTime, updated);
  const spaceId =
    typeof item.spaceId === 'string' && item.spaceId !== ''
      ? item.spaceId
      : typeof attributes.spaceId === 'string'
        ? attributes.spaceId
        : undefined;
  return {
    appId,
    ...(publishTime !== undefined ? { publishTime } : {}),
    ...(writtenTime !== undefined ? { writtenTime } : {}),
    ...(spaceId ? { spaceId } : {}),
  };
}

export interface WaitForLandingOptions {
  deploymentName: string;
  /** The app's `writtenTime` before the distribution was forced: landing means it changed (or the app appeared). */
  writtenBefore: string | undefined;
  timeoutMs: number;
  pollIntervalMs: number;
  clock: WaitClock;
  signal?: AbortSignal;
}

/**
 * Polls until a (re)distribution of the app has landed: it appeared, or it was written since. Comparing the
 * tenant's own timestamps keeps this independent of the QSEoW server's clock. Times out with distribution's
 * `AppDistributionTimeoutError`, which names the deployment.
 */
export async function waitForDistributionLanding(
  qc: QlikCloud,
  appId: string,
  options: WaitForLandingOptions,
): Promise<TenantAppState> {
  return waitUntil(
    async () => {
      const found = await findDistributedApp(qc, appId, options.signal);
      const landed = found && (options.writtenBefore === undefined || found.writtenTime !== options.writtenBefore);
      return landed ? found : undefined;
    },
    {
      timeoutMs: options.timeoutMs,
      pollIntervalMs: options.pollIntervalMs,
      clock: options.clock,
      ...(options.signal ? { signal: options.signal } : {}),
      onTimeout: async () => {
        const { distribution } = await loadQseowDeps();
        return new distribution.AppDistributionTimeoutError(appId, qc.host, options.deploymentName, options.timeoutMs);
      },
    },
  );
}

export interface MultiCloudIdp {
  id: string;
  description?: string;
  active: boolean;
  /**
   * The deployment token it trusts (`options.base64Encoded`), when the tenant shows it (unverified that Qlik
   * does): how an IdP made by hand, e.g. with Qlik's Postman multi-cloud flow, is recognised.
   */
  token?: string;
}

/** The tenant's multi-cloud (`qsefw-local-bearer-token`) identity providers. */
export async function listMultiCloudIdps(qc: QlikCloud, signal?: AbortSignal): Promise<MultiCloudIdp[]> {
  const all = await collectAll(
    paginate(
      qc.identityProviders,
      '/api/v1/identity-providers',
      { params: { query: { limit: 100 } } },
      signal ? { signal } : {},
    ),
    { limit: 1_000 },
  );
  return all
    .map(
      (idp) =>
        idp as unknown as {
          id?: unknown;
          protocol?: unknown;
          description?: unknown;
          active?: unknown;
          options?: { base64Encoded?: unknown };
        },
    )
    .filter((idp) => idp.protocol === MULTI_CLOUD_PROTOCOL && typeof idp.id === 'string')
    .map((idp) => ({
      id: idp.id as string,
      ...(typeof idp.description === 'string' ? { description: idp.description } : {}),
      active: idp.active !== false,
      ...(typeof idp.options?.base64Encoded === 'string' ? { token: idp.options.base64Encoded } : {}),
    }));
}

const IDP_MARKER_PREFIX = 'qlik-oem multi-cloud';

/**
 * The IdP's token cannot be read back, so the IdP carries the deployment it trusts in its description:
 * `qlik-oem multi-cloud <deploymentId> from <qseowHost>` (at most 128 characters, the API's limit).
 */
export function idpMarker(qseowHost: string, deploymentId: string): string {
  return `${IDP_MARKER_PREFIX} ${deploymentId} from ${qseowHost}`.slice(0, 128);
}

/** An IdP this recipe created for another deployment of the same QSEoW site: its token is stale. */
export function isStaleIdp(idp: MultiCloudIdp, qseowHost: string, currentMarker: string): boolean {
  const description = idp.description ?? '';
  if (!description.startsWith(`${IDP_MARKER_PREFIX} `)) return false;
  const sameSite = description.endsWith(` from ${qseowHost}`);
  return sameSite && (description !== currentMarker || !idp.active);
}

/** The target space by id or exact name; it must exist and be managed (distributed apps are for consumers). */
export async function findManagedSpace(
  qc: QlikCloud,
  input: MultiCloudCustomer,
  signal: AbortSignal,
): Promise<SpaceSummary> {
  const label = input.managedSpaceId ?? input.managedSpace!;
  let space: SpaceSummary | undefined;
  if (input.managedSpaceId) {
    try {
      const found = unwrap(
        await qc.spaces.GET('/api/v1/spaces/{spaceId}', {
          params: { path: { spaceId: input.managedSpaceId } },
          signal,
        }),
      );
      space = { id: found.id, name: found.name, type: found.type ?? '' };
    } catch (error) {
      if (!isQlikNotFoundError(error)) throw error;
    }
  } else {
    space = await findSpaceByExactName(qc, input.managedSpace!, signal);
  }
  const field = input.managedSpaceId ? 'managedSpaceId' : 'managedSpace';
  if (!space) {
    throw new QlikValidationError(`Space "${label}" does not exist in ${input.tenantHost}`, [
      { path: [field], message: 'must name an existing managed space of the tenant (onboardTenant creates it)' },
    ]);
  }
  if (space.type !== 'managed') {
    throw new QlikValidationError(`Space "${space.name}" is not a managed space`, [
      { path: [field], message: `is a ${space.type} space; distributed apps go to a managed space` },
    ]);
  }
  return space;
}
