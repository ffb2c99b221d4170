/**
 * The one registry of what the simulator does beyond Qlik's specs: statuses a spec leaves out, bodies it
 * does not describe, and services that have no spec. Each entry names its source (a qlik.dev or
 * help.qlik.com page, a Qlik example or support article) or says "unverified". Strict mode accepts
 * exactly these deviations and validates their bodies and headers against the schemas here.
 */

import {
  HDS_DEPLOYMENT_LIST_MODES,
  HDS_DEPLOYMENT_NAMES_MODES,
  REDISTRIBUTION_PUBLISH_TIME_MODES,
  TOKEN_REQUEST_BUCKETS,
  RELOAD_TASKS_API_MODES,
  defaultBehaviour,
  type SimBehaviour,
} from '../state/behaviour.js';

/** A JSON Schema (draft 7 keywords; validated with ajv). */
export type JsonSchema = Record<string, unknown>;

/**
 * A body as it travels: its media type (`''`: no Content-Type header) and schema (a text body is validated
 * as a JSON string; the bytes of an operation that takes bytes are not parsed, and `{}` accepts them).
 */
export interface BodySpec {
  mediaType: 'application/json' | 'application/x-www-form-urlencoded' | 'text/plain' | '';
  schema: JsonSchema;
}

export interface BeyondSpecEntry {
  /** A stable name: tests drive every entry by it. */
  id: string;
  /**
   * Who answers: Qlik Cloud's REST routes (paths are spec templates), a QSEoW host's private hds API
   * (paths after the virtual proxy prefix), or its QRS (paths after `/qrs`, as in the QRS spec).
   */
  service: 'qlik-cloud' | 'qseow-hds' | 'qseow-qrs';
  /** The HTTP method, or `*` for every method. */
  method: string;
  /** A path template, `*` for every path, or a prefix ending in `*`. */
  path: string;
  /** The status answered. */
  status: number;
  /** The spec declares the status, without a body: the entry allows the body it answers with. */
  declaredWithoutBody?: true;
  /** Applies only to requests for a `*.qlikcloud.com` host where no tenant lives. */
  hostWithoutTenant?: true;
  /** A request body the spec does not describe, accepted when it matches one of these. */
  request?: readonly BodySpec[];
  /** The bodies the answer may carry (any one of them); absent: no body. */
  response?: readonly BodySpec[];
  /** Response headers the answer carries (lower case). */
  headers?: readonly string[];
  /** What Qlik does, in one sentence. */
  what: string;
  /** Where that is written, or `unverified`. */
  source: `https://${string}` | 'unverified';
}

/**
 * Behaviour beyond the specs that is not an answer's status or body: how requests are read, how answers
 * are written, what the engine and the background jobs do. Each names its source or says "unverified";
 * the code that implements it names the entry's id.
 */
export interface BeyondSpecBehaviour {
  id: string;
  /** Where the simulator does it. */
  area: 'http' | 'auth' | 'content' | 'engine' | 'reloads' | 'quota' | 'scheduling' | 'organization' | 'automations';
  what: string;
  source: `https://${string}` | 'unverified';
}

const text: BodySpec = { mediaType: 'text/plain', schema: { type: 'string', minLength: 1 } };

/**
 * Qlik's error envelope, `{ errors: [item, ...] }` with at least one item: the item's required keys and
 * their schemas, and what else the envelope may carry beside `errors` (`traceId`).
 */
function errorsEnvelope(
  item: { required: readonly string[]; properties: Record<string, JsonSchema> },
  beside: Record<string, JsonSchema> = {},
): JsonSchema {
  return {
    type: 'object',
    required: ['errors'],
    properties: {
      errors: { type: 'array', minItems: 1, items: { type: 'object', ...item } },
      ...beside,
    },
  };
}

/** Qlik's error bodies: `{ errors: [{ code, title, ... }] }` (status a string or a number by API), or the flat one. */
const qlikErrors: BodySpec = {
  mediaType: 'application/json',
  schema: {
    anyOf: [
      errorsEnvelope(
        {
          required: ['code', 'title'],
          properties: {
            code: { type: ['string', 'integer'] },
            title: { type: 'string' },
            detail: { type: 'string' },
            status: { type: ['string', 'integer'] },
          },
        },
        { traceId: { type: 'string' } },
      ),
      {
        type: 'object',
        required: ['code', 'title', 'status'],
        properties: { code: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' } },
      },
    ],
  },
};

/** The body of Qlik's 429 (qlik.dev rate limiting). */
const rateLimitBody: BodySpec = {
  mediaType: 'application/json',
  schema: errorsEnvelope({
    required: ['code', 'title', 'detail'],
    properties: { code: { const: 'HTTP-429' }, title: { type: 'string' }, detail: { type: 'string' } },
  }),
};

const MULTI_CLOUD_EXAMPLE = 'https://github.com/BaptisteDurand/QlikCloud-MultiTenantMultiCloud';

const hdsDeployment: JsonSchema = {
  type: 'object',
  required: ['id', 'name', 'audience', 'serviceUrl', 'localBearerToken'],
  properties: {
    id: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    audience: { const: 'qlik.api' },
    serviceUrl: { type: 'string', pattern: '^https://' },
    localBearerToken: { type: 'boolean' },
    createdDate: { type: 'string' },
  },
};

export const BEYOND_SPEC: readonly BeyondSpecEntry[] = [
  // ---- Any Qlik Cloud operation: the platform answers before the service does -------------------------
  {
    id: 'any-401',
    service: 'qlik-cloud',
    method: '*',
    path: '*',
    status: 401,
    response: [qlikErrors, text],
    what: 'A missing, expired or foreign token is refused with 401 on every operation, declared or not.',
    source: 'unverified',
  },
  {
    id: 'any-403-access-control',
    service: 'qlik-cloud',
    method: '*',
    path: '*',
    status: 403,
    response: [qlikErrors, text],
    what: 'Access control (tenant roles, OAuth scopes, space roles) refuses with 403 on any operation.',
    source: 'https://qlik.dev/manage/access-control/',
  },
  {
    id: 'any-429',
    service: 'qlik-cloud',
    method: '*',
    path: '*',
    status: 429,
    response: [rateLimitBody],
    headers: ['retry-after'],
    what: 'Every operation is rate limited per tier, user and tenant; a 429 says how long to wait.',
    source: 'https://qlik.dev/apis/rest/rate-limiting',
  },
  {
    id: 'any-500',
    service: 'qlik-cloud',
    method: '*',
    path: '*',
    status: 500,
    response: [qlikErrors],
    what: 'An internal error may end any operation (injected faults).',
    source: 'unverified',
  },
  {
    id: 'any-503',
    service: 'qlik-cloud',
    method: '*',
    path: '*',
    status: 503,
    response: [qlikErrors],
    headers: ['retry-after'],
    what: 'A service may be unavailable for a moment on any operation (injected faults).',
    source: 'unverified',
  },

  {
    id: 'host-without-tenant-404',
    service: 'qlik-cloud',
    method: '*',
    path: '*',
    status: 404,
    hostWithoutTenant: true,
    response: [qlikErrors],
    what: 'A *.qlikcloud.com host name where no tenant lives answers 404 on every path (a free alias is told apart from a taken one so).',
    source: 'unverified',
  },

  // ---- Qlik Cloud: statuses the specs leave out ------------------------------------------------------
  {
    id: 'apps-import-400',
    service: 'qlik-cloud',
    method: 'POST',
    path: '/api/v1/apps/import',
    status: 400,
    response: [text],
    what: 'Bytes that are not an app (or a bad mode/appId combination) are refused with 400.',
    source: 'unverified',
  },
  ...[403, 404].map((status): BeyondSpecEntry => ({
    id: `apps-text-${status}`,
    service: 'qlik-cloud',
    method: '*',
    path: '/api/v1/apps*',
    status,
    declaredWithoutBody: true,
    response: [text],
    what: `Where the apps spec declares a ${status} without a body (import, export, owner), the answer says why in plain text.`,
    source: 'unverified',
  })),
  {
    id: 'apps-get-404',
    service: 'qlik-cloud',
    method: 'GET',
    path: '/api/v1/apps/{appId}',
    status: 404,
    response: [text],
    what: 'An app id that does not exist answers 404.',
    source: 'unverified',
  },
  ...(['POST', 'PUT'] as const).flatMap((method) =>
    [400, 404].map((status): BeyondSpecEntry => ({
      id: `apps-publish-${method.toLowerCase()}-${status}`,
      service: 'qlik-cloud',
      method,
      path: '/api/v1/apps/{appId}/publish',
      status,
      response: [text],
      what:
        status === 404
          ? 'Publishing an app, or into a target, that does not exist answers 404.'
          : 'Publishing into a space that is not managed, or without a spaceId/targetId, answers 400.',
      source: 'unverified',
    })),
  ),
  ...[400, 404].map((status): BeyondSpecEntry => ({
    id: `apps-space-${status}`,
    service: 'qlik-cloud',
    method: 'PUT',
    path: '/api/v1/apps/{appId}/space',
    status,
    response: [text],
    what:
      status === 404
        ? 'Moving an app that does not exist, or into a space that does not exist, answers 404.'
        : 'Moving an app without a spaceId answers 400.',
    source: 'unverified',
  })),
  {
    id: 'space-assignments-400',
    service: 'qlik-cloud',
    method: 'POST',
    path: '/api/v1/spaces/{spaceId}/assignments',
    status: 400,
    response: [qlikErrors],
    what: 'An assignment with an unknown type or a role the space type does not have answers 400.',
    source: 'unverified',
  },
  {
    id: 'reload-tasks-post-410',
    service: 'qlik-cloud',
    method: 'POST',
    path: '/api/v1/reload-tasks',
    status: 410,
    response: [qlikErrors],
    what: 'Creating a reload task is refused with 410 TASKS-011 once the API is deprecated.',
    source: 'https://qlik.dev/changelog/271-reload-tasks-migrated-task-error-response/',
  },
  {
    id: 'reload-tasks-any-410',
    service: 'qlik-cloud',
    method: '*',
    path: '/api/v1/reload-tasks*',
    status: 410,
    response: [qlikErrors],
    what: 'After the removal (reloadTasksApi "removed"), every reload-tasks operation answers 410.',
    source: 'unverified',
  },

  {
    id: 'login-jwt-missing-claim-400',
    service: 'qlik-cloud',
    method: 'POST',
    path: '/login/jwt-session',
    status: 400,
    response: [
      {
        mediaType: 'application/json',
        schema: errorsEnvelope(
          {
            required: ['code', 'title', 'detail', 'status'],
            properties: {
              code: { const: 'INTERNAL-TOKEN-1' },
              title: { const: 'Invalid token request' },
              detail: { type: 'string', pattern: '^JWT_LOGIN_VALIDATIONS Missing required claim: ' },
              status: { const: '400' },
            },
          },
          { traceId: { type: 'string' } },
        ),
      },
    ],
    what: 'A sign-in JWT without a required claim (iss, aud, sub, subType, jti, iat, nbf, exp) is refused with 400 INTERNAL-TOKEN-1 "Invalid token request", naming the claim.',
    source:
      'https://community.qlik.com/t5/Official-Support-Articles/Qlik-Cloud-Example-of-JWT-token-format/ta-p/2435784',
  },
  {
    id: 'apps-import-quota-429',
    service: 'qlik-cloud',
    method: 'POST',
    path: '/api/v1/apps/import',
    status: 429,
    response: [text],
    what: "An import past the tenant's daily app-import quota is refused (importQuotaAnswer 429; 403 is the other option).",
    source: 'unverified',
  },

  // ---- Qlik Cloud: request bodies the specs do not describe ------------------------------------------
  {
    id: 'oauth-token-client-secret-basic',
    service: 'qlik-cloud',
    method: 'POST',
    path: '/oauth/token',
    status: 200,
    request: (['application/json', 'application/x-www-form-urlencoded'] as const).map((mediaType) => ({
      mediaType,
      schema: {
        type: 'object',
        required: ['grant_type'],
        properties: { grant_type: { type: 'string', minLength: 1 } },
        not: { required: ['client_secret'] },
      },
    })),
    what: 'client_secret_basic: the client id and secret come in an Authorization: Basic header, the body holds only the grant (the spec requires them in the body).',
    source: 'https://datatracker.ietf.org/doc/html/rfc6749#section-2.3.1',
  },
  {
    id: 'apps-import-any-label',
    service: 'qlik-cloud',
    method: 'POST',
    path: '/api/v1/apps/import',
    status: 200,
    request: (['application/json', 'application/x-www-form-urlencoded', 'text/plain', ''] as const).map(
      (mediaType) => ({ mediaType, schema: {} }),
    ),
    what: 'An app import is read as the bytes of the app whatever it is labelled (curl --data-binary sends application/x-www-form-urlencoded, a fetch of bytes sends none, openapi-fetch application/json); the spec declares application/octet-stream.',
    source: 'unverified',
  },
  {
    id: 'identity-providers-multi-cloud',
    service: 'qlik-cloud',
    method: 'POST',
    path: '/api/v1/identity-providers',
    status: 201,
    request: [
      {
        mediaType: 'application/json',
        schema: {
          type: 'object',
          required: ['provider', 'protocol', 'base64Encoded'],
          properties: {
            provider: { const: 'qlik' },
            protocol: { const: 'qsefw-local-bearer-token' },
            interactive: { const: false },
            description: { type: 'string' },
            base64Encoded: { type: 'string', minLength: 1 },
            tenantIds: { type: 'array', items: { type: 'string' } },
          },
          additionalProperties: false,
        },
      },
    ],
    what: 'The multi-cloud IdP takes the QSEoW deployment token as base64Encoded (protocol qsefw-local-bearer-token).',
    source: MULTI_CLOUD_EXAMPLE,
  },
  {
    id: 'web-integrations-origins-array',
    service: 'qlik-cloud',
    method: 'PATCH',
    path: '/api/v1/web-integrations/{id}',
    status: 204,
    request: [
      {
        mediaType: 'application/json',
        schema: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['op', 'path', 'value'],
            properties: {
              op: { const: 'replace' },
              path: { enum: ['/name', '/validOrigins'] },
              value: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
            },
          },
        },
      },
    ],
    what: 'validOrigins is replaced with an array of origins (the spec types the patch value as a string).',
    source: 'unverified',
  },

  // ---- QSEoW: the private hds API behind a virtual proxy ---------------------------------------------
  {
    id: 'hds-create-deployment',
    service: 'qseow-hds',
    method: 'POST',
    path: '/api/hds/v1/Deployments',
    status: 201,
    request: [
      {
        mediaType: 'application/json',
        schema: {
          type: 'object',
          required: ['name', 'audience', 'serviceUrl', 'localBearerToken'],
          properties: {
            name: { type: 'string', minLength: 1 },
            audience: { const: 'qlik.api' },
            serviceUrl: { type: 'string' },
            localBearerToken: { type: 'boolean' },
          },
        },
      },
    ],
    response: [{ mediaType: 'application/json', schema: hdsDeployment }],
    what: 'A multi-cloud deployment is created with a JWT through a virtual proxy; the answer carries its id.',
    source: MULTI_CLOUD_EXAMPLE,
  },
  {
    id: 'hds-deployment-token',
    service: 'qseow-hds',
    method: 'GET',
    path: '/api/hds/v1/Deployments/{id}/elastictokenconfig',
    status: 200,
    response: [text],
    what: 'The deployment token (Qlik Cloud format) is plain text, pasted unchanged into the multi-cloud IdP.',
    source: MULTI_CLOUD_EXAMPLE,
  },
  {
    id: 'hds-list-deployments',
    service: 'qseow-hds',
    method: 'GET',
    path: '/api/hds/v1/Deployments',
    status: 200,
    response: [
      { mediaType: 'application/json', schema: { type: 'array', items: hdsDeployment } },
      {
        mediaType: 'application/json',
        schema: {
          type: 'object',
          required: ['data', 'links'],
          properties: {
            data: { type: 'array', items: hdsDeployment },
            links: {
              type: 'object',
              required: ['self'],
              properties: {
                self: { type: 'object', required: ['href'], properties: { href: { type: 'string' } } },
                next: { type: 'object', required: ['href'], properties: { href: { type: 'string' } } },
              },
            },
          },
        },
      },
    ],
    what: 'The deployments are listed as one JSON array, or in pages ({ data, links.next }), or not at all (404): switch hdsDeploymentList.',
    source: 'unverified',
  },
  {
    id: 'hds-delete-deployment',
    service: 'qseow-hds',
    method: 'DELETE',
    path: '/api/hds/v1/Deployments/{id}',
    status: 204,
    what: 'A deployment is deleted.',
    source: 'unverified',
  },
  ...[400, 404, 409].map((status): BeyondSpecEntry => ({
    id: `hds-${status}`,
    service: 'qseow-hds',
    method: '*',
    path: '/api/hds/v1/*',
    status,
    response: [text],
    what: 'hds refuses a bad body (400), an unknown deployment or call (404) or a duplicate name (409, unless switch hdsDeploymentNames is "duplicates") in plain text.',
    source: 'unverified',
  })),

  // ---- QSEoW: QRS answers that differ from the QRS spec ----------------------------------------------
  {
    id: 'qrs-count-value',
    service: 'qseow-qrs',
    method: 'GET',
    path: '/*/count',
    status: 200,
    response: [
      {
        mediaType: 'application/json',
        schema: { type: 'object', required: ['value'], properties: { value: { type: 'integer', minimum: 0 } } },
      },
    ],
    what: '`/<type>/count` answers { "value": n } (the QRS spec says a bare integer).',
    source: 'unverified',
  },
  {
    id: 'qrs-table-rows',
    service: 'qseow-qrs',
    method: 'POST',
    path: '/*/table',
    status: 201,
    response: [
      {
        mediaType: 'application/json',
        schema: {
          type: 'object',
          required: ['columnNames', 'rows'],
          properties: {
            columnNames: { type: 'array', items: { type: 'string' } },
            rows: { type: 'array', items: { type: 'array' } },
          },
        },
      },
    ],
    what: 'Table rows hold the plain property values (the QRS spec types each cell as an object); take=0 returns every remaining row.',
    source: 'unverified',
  },
];

export const BEYOND_SPEC_BEHAVIOURS: readonly BeyondSpecBehaviour[] = [
  {
    id: 'auth-admin-classic-passes-user',
    area: 'auth',
    what: '`admin_classic` alone also passes user operations (the wider of the two scopes); fine-grained scopes (`apps:read`, ...) are not modelled and pass nothing.',
    source: 'unverified',
  },
  {
    id: 'auth-access-control-403',
    area: 'auth',
    what: "Access control answers 403 on any operation, before the service, in the API's error dialect (plain text where the apps spec declares bodiless errors); its code and detail are the simulator's.",
    source: 'unverified',
  },
  {
    id: 'auth-hidden-is-403',
    area: 'auth',
    what: 'A space or app the caller may not see answers 403, not 404.',
    source: 'unverified',
  },
  {
    id: 'auth-staged-app-admins',
    area: 'auth',
    what: 'Tenant and analytics admins may reach a distributed app that is still staged (no owner, no space).',
    source: 'unverified',
  },
  {
    id: 'auth-managed-space-simplest-reading',
    area: 'auth',
    what: 'In a managed space duplicate, reload and edit follow export (owner, facilitator); importing or creating an app there follows publish; data spaces hold no apps; the administrator rules of shared spaces also hold in managed spaces.',
    source: 'unverified',
  },
  {
    id: 'auth-impersonation-unknown-user',
    area: 'auth',
    what: 'The user-impersonation grant for a user that does not exist is refused with 400 OAUTH-6 invalid_grant.',
    source: 'unverified',
  },
  {
    id: 'reloads-choreographer-initiator',
    area: 'reloads',
    what: "A reload started by a scheduling task reports the type `choreographer` (the scheduling service's codes are CHO-..., and reloads.json names it as an initiator).",
    source: 'unverified',
  },
  {
    id: 'reloads-removed-api-410',
    area: 'reloads',
    what: 'Once the Reload Tasks API is removed (reloadTasksApi "removed", the default), every operation answers 410 TASKS-011 as the deprecated POST does; "removed-404" is the other plausible answer, offered as a switch.',
    source: 'unverified',
  },
  {
    id: 'scheduling-error-context',
    area: 'scheduling',
    what: "Scheduling-task errors carry Qlik's CHO-... code in `context` (where Qlik puts it is not documented); a missing app is 403 CHO-003, a bad document 400 CHO-001, a bad schedule 400 CHO-017, a missing task 404 CHO-004.",
    source: 'unverified',
  },
  {
    id: 'scheduling-no-cron',
    area: 'scheduling',
    what: 'cron schedules are refused rather than evaluated (the simulator fires RRULE and ISO 8601 interval schedules only).',
    source: 'unverified',
  },
  {
    id: 'quota-app-imports-per-day',
    area: 'quota',
    what: 'The daily app-import allowance has the quota id `app_imports_per_day`, counts per UTC day, and past it an import is refused with importQuotaAnswer (403 or 429, both offered) and code QUOTA-EXCEEDED.',
    source: 'unverified',
  },
  {
    id: 'quota-read-by-any-user',
    area: 'quota',
    what: "Any user of the tenant may read its quotas (the spec says only 'the tenant (provided in JWT)').",
    source: 'unverified',
  },
  {
    id: 'automations-any-user',
    area: 'automations',
    what: 'Any user of the tenant may use the automations API for their own automations (listing every one is for admins).',
    source: 'unverified',
  },
  {
    id: 'automations-runs-simulated',
    area: 'automations',
    what: 'Workspaces are not executed: a run is `running` for a few seconds of simulated time, then `finished`; a run of a disabled automation is refused with 400.',
    source: 'unverified',
  },
  {
    id: 'organization-filter-operators',
    area: 'organization',
    what: "The Organization API's tenant filter takes comparisons on createdAt/updatedAt and filters by countryCode beyond the operators qlik.dev lists.",
    source: 'unverified',
  },
  {
    id: 'engine-evaluate-error-text',
    area: 'engine',
    what: 'An expression the engine cannot evaluate gives the text "Error: <why>" from Evaluate/EvaluateEx.',
    source: 'unverified',
  },
  {
    id: 'engine-cloud-user-no-directory',
    area: 'engine',
    what: 'The engine names a Qlik Cloud user without a user directory (QSEoW answers `UserDirectory=<dir>; UserId=<id>`).',
    source: 'unverified',
  },
  {
    id: 'engine-section-access-admin-unreduced',
    area: 'engine',
    what: 'Under section access an ADMIN row without a valid reduction value opens the app unreduced rather than denied.',
    source: 'unverified',
  },
  {
    id: 'engine-connect-string-synonyms',
    area: 'engine',
    what: 'In a connection string `password` and `pwd` (and the other key pairs) are synonyms, beyond host, port and database.',
    source: 'unverified',
  },
  {
    id: 'engine-app-not-found-4204',
    area: 'engine',
    what: 'An unknown app on the engine WebSocket: the socket opens and closes with 4204 "App not found" (4203 for no permission), the close codes @qlik/api\'s websocket-errors.ts handles.',
    source: 'https://github.com/qlik-oss/qlik-api-ts',
  },
  {
    id: 'http-rate-limit-token-request-bucket',
    area: 'http',
    what: "Which rate-limit bucket a client-credentials token request (`POST /oauth/token`, tier 2 in oauth.json) counts in. qlik.dev's Rate limiting page (apis/rest/rate-limiting) says only that published APIs are limited per tier, per user, per tenant (plus a tenant-wide limit and, for some endpoints, limits on error answers); it does not say which user an unauthenticated token request counts for, and nothing on qlik.dev gives /oauth/token a limit of its own. So it is the simulator option `tokenRequestBucket`, and a fleet's pacing is tested under each value: `client` (the default) counts it in its host's tier-2 bucket under the client's id, the user its token then acts as (on `register.<region>.qlikcloud.com` a regional client's token request takes one of the 500 places per 5 minutes its tenant creates have); `anonymous` counts it in one bucket per host and tier shared by all unauthenticated requests; `none` counts it nowhere.",
    source: 'unverified',
  },
  {
    id: 'http-double-slash-path',
    area: 'http',
    what: 'A request target is a path on the Host: `//api/v1/users` is that path (no route, 404), never a host named `api`; slashes are not merged.',
    source: 'unverified',
  },
  {
    id: 'http-header-name-case',
    area: 'http',
    what: "Response header names go out in canonical form (`Location`, `Content-Type`, `Retry-After`), as Go's net/http, which Qlik Cloud's services are written in, writes them over HTTP/1.1.",
    source: 'unverified',
  },
  {
    id: 'http-relative-location',
    area: 'http',
    what: 'Location headers are relative references (`/api/v1/users/{id}`, `/api/v1/temp-contents/{id}`), which HTTP allows (RFC 9110 §10.2.2); users.json types the 301 Location as an absolute URL, and which form Qlik sends is not documented.',
    source: 'unverified',
  },
  {
    id: 'login-jwt-refused-401',
    area: 'auth',
    what: 'A sign-in JWT with every claim but refused (expired or not yet valid, wrong audience, an issuer or kid no active JWT IdP has, a bad signature, HS/none algorithms, exp - nbf over an hour, a reused jti, subType not "user") answers the declared 401 with code LOGIN-1 and a detail naming the problem; Qlik documents neither code nor wording.',
    source: 'unverified',
  },
  {
    id: 'api-keys-for-oneself',
    area: 'auth',
    what: "A user API key is created for the requesting user only (another sub is a 403), a key past max_keys_per_user or max_api_key_expiry is a 400, and a key acts with its user's roles; SCIM (externalClient) keys are not simulated.",
    source: 'unverified',
  },
  {
    id: 'api-keys-disabled-by-default',
    area: 'auth',
    what: "API keys are disabled in a new tenant, so creating one is refused with 403 until they are enabled; the Administration activity center's switch has no public API, so a state file's tenant `apiKeys: { enabled: true }` stands for it (the 403's code and detail are unverified).",
    source:
      'https://help.qlik.com/en-US/cloud-services/Subsystems/Hub/Content/Sense_Hub/Admin/mc-generate-api-keys.htm',
  },
  {
    id: 'engine-open-without-data',
    area: 'engine',
    what: 'An app opened with OpenDoc qNoData has its objects but no data (empty hypercubes, lists and field lists; GetAppLayout says qIsOpenedWithoutData); a reload in that session loads data and the session then sees it (the .NET SDK says the script "can be edited and reloaded", not what the session sees afterwards: unverified).',
    source: 'https://help.qlik.com/en-us/sense/1.1/apis/net%20sdk/html/M_Qlik_Engine_IHub_OpenApp.htm',
  },
  {
    id: 'brands-active-redirect',
    area: 'content',
    what: "GET /brands/active answers the spec's 301 (declared without headers) with `Location: /api/v1/brands/{id}` of the active brand, so a client that follows redirects reads that brand; the spec names no target.",
    source: 'unverified',
  },
  {
    id: 'content-bundle-named-by-qext',
    area: 'content',
    what: 'An extension or theme takes its qextFilename from the .qext file inside the zip (its name, version, type and description from that manifest unless the data part gives them); a zip without a .qext is refused with 422.',
    source: 'https://help.qlik.com/en-US/cloud-services/Subsystems/Hub/Content/Sense_Hub/Admin/mc-extensions.htm',
  },
];

/**
 * A behaviour nobody outside Qlik knows for certain, offered as a switch of `sim.state.behaviour` with every
 * plausible option; the SDK's tests run against each option, so the SDK is right whichever is true.
 */
export interface BehaviourSwitch<K extends keyof SimBehaviour = keyof SimBehaviour> {
  key: K;
  options: readonly SimBehaviour[K][];
  default: SimBehaviour[K];
  /** What is unknown, in one sentence. */
  what: string;
  /** Where the known part is written, or `unverified`. */
  source: `https://${string}` | 'unverified';
}

const defaults = defaultBehaviour();
const behaviourSwitch = <K extends keyof SimBehaviour>(
  key: K,
  options: readonly SimBehaviour[K][],
  what: string,
  source: BehaviourSwitch['source'] = 'unverified',
): BehaviourSwitch => ({ key, options, default: defaults[key], what, source });

export const BEHAVIOUR_SWITCHES: readonly BehaviourSwitch[] = [
  behaviourSwitch(
    'reloadTasksApi',
    RELOAD_TASKS_API_MODES,
    'How the retired Reload Tasks API answers after its removal (410 TASKS-011 or 404); only the deprecated POST is documented.',
    'https://qlik.dev/changelog/271-reload-tasks-migrated-task-error-response/',
  ),
  behaviourSwitch(
    'importQuotaAnswer',
    [403, 429],
    "The status of an app import past the tenant's daily allowance (the allowance is documented, the answer is not).",
  ),
  behaviourSwitch(
    'hdsDeploymentList',
    HDS_DEPLOYMENT_LIST_MODES,
    'Whether QSEoW hds lists multi-cloud deployments at all, and if so in one array or in pages.',
  ),
  behaviourSwitch(
    'hdsDeploymentNames',
    HDS_DEPLOYMENT_NAMES_MODES,
    'Whether hds refuses a second deployment with a name already taken (409) or creates it.',
  ),
  behaviourSwitch(
    'redistributionPublishTime',
    REDISTRIBUTION_PUBLISH_TIME_MODES,
    "Whether a re-distribution that brings no new data (only QSEoW metadata changed) moves the tenant copy's publishTime.",
  ),
  behaviourSwitch(
    'tokenRequestBucket',
    TOKEN_REQUEST_BUCKETS,
    "Which rate-limit bucket a token request (POST /oauth/token) counts in: the client's own, one shared by unauthenticated requests, or none (qlik.dev's rate-limiting page says per tier, per user, per tenant, not which user a token request is).",
  ),
];
