/**
 * Switches for behaviour that changes with time or is not known for certain. Each one is mutable at
 * run time (`sim.state.behaviour`), so a test can provision a tenant as it was in 2025 and then look
 * at it as it is today.
 */

/**
 * How the Reload Tasks API (`/api/v1/reload-tasks`) answers.
 * - `available`: as in 2025, before the deprecation (what tenants provisioned back then were built with).
 * - `deprecated`: reads, updates and deletes work; `POST` answers `410` `TASKS-011` (qlik.dev changelog 271).
 * - `removed` (default): every operation answers `410` `TASKS-011`. Qlik announced the removal on or after
 *   2026-09-29 (changelog 231) but documents no answer for the removed API: unverified beyond `POST`.
 * - `removed-404`: every operation answers `404`, as for a route that does not exist (the other plausible answer).
 */
export type ReloadTasksApiMode = 'available' | 'deprecated' | 'removed' | 'removed-404';

/**
 * How an app import over the tenant's daily allowance is refused. Qlik documents the allowance
 * (help.qlik.com's capacity pages: 300 Starter/Standard, 2,000 Premium, 10,000 Enterprise) but not the
 * answer: both statuses are plausible, so both are offered (unverified).
 */
export type ImportQuotaAnswer = 403 | 429;

/**
 * How the private hds API of a QSEoW site lists multi-cloud deployments (`GET /api/hds/v1/Deployments`). No public
 * source shows this call at all (unverified), so each plausible answer is offered:
 * - `array` (default): one JSON array of every deployment.
 * - `paged`: Qlik Cloud's list shape, `{ data, links: { self, next } }`, at most `limit` (default 10) per page,
 *   `next` an absolute URL with a `next` cursor.
 * - `absent`: the call does not exist on this release (`404`, plain text).
 */
export type HdsDeploymentListMode = 'array' | 'paged' | 'absent';

/**
 * Whether hds refuses a second deployment with a name already taken (unverified either way):
 * `unique` (default) answers `409`; `duplicates` creates another deployment with that name.
 */
export type HdsDeploymentNamesMode = 'unique' | 'duplicates';

/**
 * What a re-distribution that changes only metadata (QSEoW's app was updated, its data was not: a custom property,
 * a forced distribution) does to the tenant's copy (unverified):
 * - `moves` (default): the copy's `publishTime` is the time of every distribution.
 * - `kept`: `publishTime` moves only when new data arrives; the app is still written, so its `modifiedDate`
 *   (the item's `updatedAt`) moves.
 */
export type RedistributionPublishTimeMode = 'moves' | 'kept';

/**
 * Which rate-limit bucket a client-credentials token request (`POST /oauth/token`, tier 2 in oauth.json)
 * counts in; qlik.dev does not say (unverified, registry entry http-rate-limit-token-request-bucket):
 * - `client` (default): the host's tier-2 bucket under the client's id, the user its token then acts as (on
 *   `register.<region>.qlikcloud.com`, one of the 500 places per 5 minutes its tenant creates have).
 * - `anonymous`: one bucket per host and tier shared by every unauthenticated request.
 * - `none`: no bucket; token requests are not counted against any user's limit.
 */
export type TokenRequestBucket = 'client' | 'anonymous' | 'none';

/**
 * Whether the authorization module decides (`enforced`, the default) or lets everything through (`off`).
 * Not a Qlik behaviour: `off` is a test-only switch that makes the simulator unsafe, so that a test can
 * show that a case expecting a 403 fails without authorization.
 */
export type AuthorizationMode = 'enforced' | 'off';

export interface SimBehaviour {
  reloadTasksApi: ReloadTasksApiMode;
  /** App imports per tenant per UTC day (default 10,000, Enterprise), and per-host overrides. */
  appImportsPerDay: number;
  appImportsPerDayByHost: Record<string, number>;
  importQuotaAnswer: ImportQuotaAnswer;
  hdsDeploymentList: HdsDeploymentListMode;
  hdsDeploymentNames: HdsDeploymentNamesMode;
  redistributionPublishTime: RedistributionPublishTimeMode;
  tokenRequestBucket: TokenRequestBucket;
}

export const RELOAD_TASKS_API_MODES: readonly ReloadTasksApiMode[] = [
  'available',
  'deprecated',
  'removed',
  'removed-404',
];

export const HDS_DEPLOYMENT_LIST_MODES: readonly HdsDeploymentListMode[] = ['array', 'paged', 'absent'];
export const HDS_DEPLOYMENT_NAMES_MODES: readonly HdsDeploymentNamesMode[] = ['unique', 'duplicates'];
export const REDISTRIBUTION_PUBLISH_TIME_MODES: readonly RedistributionPublishTimeMode[] = ['moves', 'kept'];
export const TOKEN_REQUEST_BUCKETS: readonly TokenRequestBucket[] = ['client', 'anonymous', 'none'];

export function defaultBehaviour(): SimBehaviour {
  return {
    reloadTasksApi: 'removed',
    appImportsPerDay: 10_000,
    appImportsPerDayByHost: {},
    importQuotaAnswer: 403,
    hdsDeploymentList: 'array',
    hdsDeploymentNames: 'unique',
    redistributionPublishTime: 'moves',
    tokenRequestBucket: 'client',
  };
}
