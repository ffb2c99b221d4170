import { filterLiteral, type QrsClient } from '@qlik-oem/qrs';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Turns app names into QSEoW app ids (ids pass through). A name must match exactly one published app: QRS names
 * are not unique, and only published apps are distributed.
 */
export async function resolveAppIds(qrs: QrsClient, customerId: string, apps: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const app of apps) {
    if (GUID.test(app)) {
      ids.push(app);
      continue;
    }
    const { data, error, response } = await qrs.api.GET('/app', {
      params: { query: { filter: `name eq ${filterLiteral(app)} and published eq true` } },
    });
    if (error !== undefined || !response.ok)
      throw new Error(`${customerId}: looking up app "${app}" failed with HTTP ${response.status}`);
    const matches = (data ?? []).filter((candidate) => candidate.name === app);
    if (matches.length !== 1) {
      throw new Error(
        `${customerId}: ${matches.length === 0 ? 'no published app' : `${matches.length} published apps`} named "${app}" on QSEoW; use the app id instead`,
      );
    }
    ids.push(matches[0]!.id!);
  }
  return ids;
}
