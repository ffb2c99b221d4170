import { QlikValidationError } from '@qlik-oem/core';
import type { Client } from 'openapi-fetch';
import { z } from 'zod';
import type { QlikCloudApiPaths } from './generated/apis.js';

/**
 * The multi-cloud (QSEoW distribution) identity provider body. No published spec has it: only the
 * `IDPProtocol` enum names `qsefw-local-bearer-token`. The shape is the one Qlik's multi-cloud setup uses
 * (the QMC "Qlik Cloud format" token pasted as `base64Encoded`), see docs/reference notes §8.
 */
export const multiCloudIdentityProviderBodySchema = z
  .object({
    provider: z.literal('qlik'),
    protocol: z.literal('qsefw-local-bearer-token'),
    interactive: z.literal(false),
    description: z.string().max(1024).optional(),
    /** The deployment's local bearer token configuration, exactly as QSEoW returns it (`elastictokenconfig?qcsFormat=True`). */
    base64Encoded: z.string().trim().min(1, 'base64Encoded must be the non-empty token text from the QSEoW deployment'),
    /** The tenant the deployment distributes to; Qlik expects exactly one. */
    tenantIds: z.tuple([z.string().trim().min(1, 'tenantIds[0] must be the tenant id')]),
  })
  .strict();

export type MultiCloudIdentityProviderBody = z.infer<typeof multiCloudIdentityProviderBodySchema>;

/** What a caller supplies; the constant fields (`provider`, `protocol`, `interactive`) are filled in. */
export interface MultiCloudIdentityProviderInput {
  base64Encoded: string;
  tenantId: string;
  description?: string;
}

type IdentityProvidersClient = Client<QlikCloudApiPaths["identityProviders"]>;

/** Builds and validates the body; throws QlikValidationError (naming the field, never the token) on bad input. */
export function multiCloudIdentityProviderBody(input: MultiCloudIdentityProviderInput): MultiCloudIdentityProviderBody {
  const candidate = {
    provider: 'qlik',
    protocol: 'qsefw-local-bearer-token',
    interactive: false,
    ...(input?.description === undefined ? {} : { description: input.description }),
    base64Encoded: input?.base64Encoded,
    tenantIds: [input?.tenantId],
  };
  const parsed = multiCloudIdentityProviderBodySchema.safeParse(candidate);
  if (!parsed.success) {
    throw new QlikValidationError(
      'Invalid multi-cloud identity provider',
      parsed.error.issues.map((issue) => ({
        path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}

/**
 * Creates the `qsefw-local-bearer-token` identity provider that lets a QSEoW deployment distribute apps to
 * the tenant. Returns openapi-fetch's `{ data, error, response }` (201 with the created IdP).
 */
export async function createMultiCloudIdentityProvider(
  client: IdentityProvidersClient,
  input: MultiCloudIdentityProviderInput,
  init?: { signal?: AbortSignal },
) {
  const body = multiCloudIdentityProviderBody(input);
  return client.POST('/api/v1/identity-providers', {
    // The spec's IDPPostSchema does not include this protocol, so the validated body is passed as-is.
    body: body as unknown as NonNullable<Parameters<IdentityProvidersClient['POST']>[1]>['body'],
    ...(init?.signal ? { signal: init.signal } : {}),
  });
}
