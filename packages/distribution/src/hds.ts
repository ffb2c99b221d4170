import { QlikValidationError, errorFromResponse } from '@qlik-oem/core';
import type { QrsClient } from '@qlik-oem/qrs';
import { z } from 'zod';
import { DistributionApiDriftError } from './errors.js';

/**
 * A deployment as the hds API returns it. Only `id` is known to be in the response (Qlik's example reads just that);
 * the other fields are checked when present, and unknown fields pass through.
 */
export interface Deployment {
  id: string;
  name?: string;
  audience?: string;
  serviceUrl?: string;
  localBearerToken?: boolean;
  [field: string]: unknown;
}

// Every response is parsed with it (the API is private and can drift). Not exported: zod's types would become
// part of this package's contract.
const deploymentSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1).optional(),
  audience: z.string().optional(),
  serviceUrl: z.string().optional(),
  localBearerToken: z.boolean().optional(),
}) satisfies z.ZodType<Deployment>;

/** The local bearer token is plain text (not JSON): one non-empty line, not an HTML login page. */
const tokenSchema = z
  .string()
  .trim()
  .min(1, 'empty token')
  .refine((t) => !t.startsWith('<'), 'an HTML page instead of a token (is the virtual proxy redirecting to a login?)')
  .refine((t) => !/\s/.test(t), 'whitespace inside the token');

const HDS_BASE = '/api/hds/v1';

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}

async function send(qrs: QrsClient, method: string, path: string, body?: unknown): Promise<Response> {
  return sendTo(qrs, method, `${qrs.siteUrl}${HDS_BASE}${path}`, body);
}

async function sendTo(qrs: QrsClient, method: string, url: string, body?: unknown): Promise<Response> {
  const response = await qrs.siteFetch(url, {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  if (!response.ok) throw await errorFromResponse(response, { method, url });
  return response;
}

async function parseJson<T>(response: Response, call: string, schema: z.ZodType<T>): Promise<T> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DistributionApiDriftError(
      call,
      `expected JSON, got ${response.headers.get('content-type') ?? 'no content type'}`,
      response.status,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new DistributionApiDriftError(call, describe(parsed.error), response.status);
  return parsed.data;
}

export interface CreateDeploymentInput {
  /** Deployment name; the distribution policy and the routing custom property refer to it. */
  name: string;
  /** The Qlik Cloud tenant host, e.g. `acme.eu.qlikcloud.com` (or `https://acme.eu.qlikcloud.com`). */
  tenantHost: string;
}

function tenantServiceUrl(tenantHost: string): string {
  const host = tenantHost.replace(/^https:\/\//, '').replace(/\/+$/, '');
  if (!/^[A-Za-z0-9.-]+$/.test(host))
    throw new QlikValidationError('Invalid tenantHost', [
      { path: ['tenantHost'], message: 'must be a host name like acme.eu.qlikcloud.com' },
    ]);
  return `https://${host}`;
}

/**
 * Creates a multi-cloud deployment with a local bearer token (`POST /api/hds/v1/Deployments` through the virtual proxy
 * of `qrs`). Private, unsupported API: the body follows Qlik's public Postman collection.
 */
export async function createDeployment(
  qrs: QrsClient,
  input: CreateDeploymentInput,
): Promise<Deployment & { name: string }> {
  if (typeof input.name !== 'string' || input.name.trim() === '')
    throw new QlikValidationError('Invalid deployment', [{ path: ['name'], message: 'is required' }]);
  const serviceUrl = tenantServiceUrl(input.tenantHost);
  const response = await send(qrs, 'POST', '/Deployments', {
    name: input.name,
    audience: 'qlik.api',
    serviceUrl,
    localBearerToken: true,
  });
  const created = await parseJson(response, 'createDeployment', deploymentSchema);
  return { ...created, name: created.name ?? input.name };
}

/**
 * Reads the deployment's local bearer token (`GET .../Deployments/{id}/elastictokenconfig?qcsFormat=True`), in the
 * "Qlik Cloud format" that goes unchanged into the tenant's multi-cloud identity provider. The token is a secret: it
 * is returned, never logged.
 */
export async function getDeploymentToken(qrs: QrsClient, deploymentId: string): Promise<string> {
  if (typeof deploymentId !== 'string' || !/^[A-Za-z0-9-]+$/.test(deploymentId))
    throw new QlikValidationError('Invalid deploymentId', [
      { path: ['deploymentId'], message: 'must be the id createDeployment returned' },
    ]);
  const response = await send(
    qrs,
    'GET',
    `/Deployments/${encodeURIComponent(deploymentId)}/elastictokenconfig?qcsFormat=True`,
  );
  const text = await response.text();
  const parsed = tokenSchema.safeParse(text);
  // The mismatch never quotes the body: it may be (part of) the token.
  if (!parsed.success)
    throw new DistributionApiDriftError(
      'getDeploymentToken',
      parsed.error.issues.map((i) => i.message).join('; '),
      response.status,
    );
  return parsed.data;
}

/** A page of deployments in Qlik Cloud's list shape, should hds list that way. */
const deploymentPageSchema = z.looseObject({
  data: z.array(deploymentSchema),
  links: z.looseObject({ next: z.looseObject({ href: z.string().min(1) }).optional() }).optional(),
});
const deploymentListSchema = z.union([z.array(deploymentSchema), deploymentPageSchema]);

/** More pages than any site has deployments for: a `next` link that never ends is drift, not data. */
const MAX_DEPLOYMENT_PAGES = 1_000;

/**
 * **UNVERIFIED**: lists deployments with `GET /api/hds/v1/Deployments`. No public source shows this call; it is
 * modelled on the create call and may not exist on your QSEoW release (a 404 then surfaces as QlikNotFoundError).
 * Both plausible answers are read: one JSON array, or pages `{ data, links: { next: { href } } }` followed to the
 * end (only within the site's hds API: the request carries the site's credentials).
 */
export async function listDeployments(qrs: QrsClient): Promise<Deployment[]> {
  const base = `${qrs.siteUrl}${HDS_BASE}/`;
  const all: Deployment[] = [];
  let url = `${base}Deployments`;
  for (let pages = 0; pages < MAX_DEPLOYMENT_PAGES; pages++) {
    const listed = await parseJson(await sendTo(qrs, 'GET', url), 'listDeployments', deploymentListSchema);
    if (Array.isArray(listed)) return [...all, ...listed];
    all.push(...listed.data);
    const next = listed.links?.next?.href;
    if (next === undefined) return all;
    url = new URL(next, url).href;
    if (!url.startsWith(base))
      throw new DistributionApiDriftError('listDeployments', `a next link outside ${base}: ${url}`, 200);
  }
  throw new DistributionApiDriftError('listDeployments', `more than ${MAX_DEPLOYMENT_PAGES} pages`, 200);
}

/**
 * **UNVERIFIED** (see `listDeployments`): every deployment with this name, compared without case as QSEoW's rules
 * compare `subject.name`. No source says whether hds keeps names unique: more than one may come back.
 */
export async function findDeploymentsByName(qrs: QrsClient, name: string): Promise<Deployment[]> {
  const wanted = name.toLowerCase();
  return (await listDeployments(qrs)).filter((d) => d.name?.toLowerCase() === wanted);
}

/** **UNVERIFIED** (see `listDeployments`): the first deployment with this name, if any (see `findDeploymentsByName`). */
export async function findDeploymentByName(qrs: QrsClient, name: string): Promise<Deployment | undefined> {
  return (await findDeploymentsByName(qrs, name))[0];
}

/** **UNVERIFIED**: deletes a deployment with `DELETE /api/hds/v1/Deployments/{id}`. No public source shows this call. */
export async function deleteDeployment(qrs: QrsClient, deploymentId: string): Promise<void> {
  if (typeof deploymentId !== 'string' || !/^[A-Za-z0-9-]+$/.test(deploymentId))
    throw new QlikValidationError('Invalid deploymentId', [
      { path: ['deploymentId'], message: 'must be a deployment id' },
    ]);
  const response = await send(qrs, 'DELETE', `/Deployments/${encodeURIComponent(deploymentId)}`);
  await response.body?.cancel();
}
