// Reads and writes of apps in a customer's spaces: list by name, find the published copy, attributes, AUTOREPLACE.
import { QlikError } from '@qlik-oem/core';
import { importApp, unwrap, type AppsApi, type QlikCloud } from '@qlik-oem/qlik-cloud';

type NxApp = AppsApi.components['schemas']['NxApp'];

/** An ISO time as clock ms; NaN when absent (every comparison with NaN is false). */
export const time = (iso: string | undefined): number => (iso === undefined ? Number.NaN : Date.parse(iso));

interface AppItem {
  resourceId?: string;
  name?: string;
  resourceAttributes?: Record<string, unknown>;
}

export async function listAppItems(
  qc: QlikCloud,
  spaceId: string,
  query: { name?: string; resourceId?: string },
  signal: AbortSignal,
): Promise<AppItem[]> {
  const items: AppItem[] = [];
  let next: string | undefined;
  // Bounded: 50 pages of 100 apps in one space.
  for (let page = 0; page < 50; page += 1) {
    const result = unwrap(
      await qc.items.GET('/api/v1/items', {
        params: { query: { resourceType: 'app', spaceId, limit: 100, ...query, ...(next ? { next } : {}) } },
        signal,
      }),
    );
    items.push(...((result.data ?? []) as AppItem[]));
    const href = result.links?.next?.href;
    next = href ? (new URL(href, qc.baseUrl).searchParams.get('next') ?? undefined) : undefined;
    if (!next) return items;
  }
  throw new QlikError(`More than 5000 apps in space ${spaceId}`);
}

/** The id of the app in `spaceId` with that exact name (or resource id); an error when the name is ambiguous. */
export async function findAppInSpace(
  qc: QlikCloud,
  spaceId: string,
  by: { name: string } | { resourceId: string },
  signal: AbortSignal,
): Promise<string | undefined> {
  const items = await listAppItems(qc, spaceId, by, signal);
  const matches = items.filter((item) => ('name' in by ? item.name === by.name : item.resourceId === by.resourceId));
  if (matches.length > 1) {
    throw new QlikError(
      `${matches.length} apps named "${'name' in by ? by.name : by.resourceId}" in space ${spaceId} (${matches.map((m) => m.resourceId).join(', ')}); rename or delete the extra ones`,
    );
  }
  return matches[0]?.resourceId;
}

/**
 * The published app in the managed space whose `originAppId` is the shared app. Failing that, an app
 * of the same name published from a shared-space app that no longer exists (someone deleted the
 * development copy, and the next run imported a new one) is adopted, so that its id and its users'
 * sheets survive instead of a second copy being published next to it.
 */
export async function findPublishedCopy(
  qc: QlikCloud,
  spaces: { sharedSpaceId: string; managedSpaceId: string },
  sharedAppId: string,
  appName: string,
  signal: AbortSignal,
): Promise<{ publishedAppId: string; adopted: boolean } | undefined> {
  const published = await listAppItems(qc, spaces.managedSpaceId, {}, signal);
  const own = published.find((item) => item.resourceAttributes?.originAppId === sharedAppId)?.resourceId;
  if (own) return { publishedAppId: own, adopted: false };
  const sameName = published.filter(
    (item) => item.name === appName && typeof item.resourceAttributes?.originAppId === 'string',
  );
  if (sameName.length === 0) return undefined;
  const sharedIds = new Set((await listAppItems(qc, spaces.sharedSpaceId, {}, signal)).map((item) => item.resourceId));
  const orphans = sameName.filter((item) => !sharedIds.has(item.resourceAttributes!.originAppId as string));
  return orphans.length === 1 && orphans[0]!.resourceId
    ? { publishedAppId: orphans[0]!.resourceId, adopted: true }
    : undefined;
}

export async function getAppAttributes(
  qc: QlikCloud,
  appId: string,
  signal: AbortSignal,
): Promise<NonNullable<NxApp['attributes']>> {
  const app = unwrap(await qc.apps.GET('/api/v1/apps/{appId}', { params: { path: { appId } }, signal }));
  if (!app.attributes) throw new QlikError(`App ${appId} has no attributes`);
  return app.attributes;
}

/** Replaces the shared app's content with the template's, keeping its id (`mode=AUTOREPLACE`). */
export async function replaceAppContent(
  qc: QlikCloud,
  appId: string,
  bytes: Uint8Array,
  spaceId: string,
  name: string,
  signal: AbortSignal,
): Promise<void> {
  const replaced = await importApp(qc, { bytes, appId, mode: 'AUTOREPLACE', spaceId, name, signal });
  // AUTOREPLACE is undocumented for external use: make sure it replaced this app, not some other one.
  const replacedId = replaced?.attributes?.id;
  if (replacedId !== appId) {
    throw new QlikError(
      `Importing with mode=AUTOREPLACE over app ${appId} changed app ${replacedId ?? '(no id)'} instead; use template.upgrade: 'reimport' on this tenant`,
    );
  }
}
