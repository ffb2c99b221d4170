import { QlikValidationError } from '@qlik-oem/core';
import type { IdentityProvidersClient } from './generated/entries/identity-providers.js';

/** The body of `POST /api/v1/identity-providers` for a multi-cloud deployment (not in any published spec). */
export interface MultiCloudIdentityProviderBody {
  provider: 'qlik';
  protocol: 'qsefw-local-bearer-token';
  interactive: false;
  description?: string;
  /** The QSEoW deployment's token configuration text (`GET /api/hds/v1/Deployments/{id}/elastictokenconfig?qcsFormat=True`). */
  base64Encoded: string;
  tenantIds: [string];
}

/** What a caller supplies; the constant fields (`provider`, `protocol`, `interactive`) are filled in. */
export interface MultiCloudIdentityProviderInput {
  base64Encoded: string;
  tenantId: string;
  description?: string;
}

export type { IdentityProvidersClient };

// The zod schema of the body, loaded on first use (importing this package does not load zod). Not exported:
// zod's types would become part of this package's contract, and every partner's type-check would read them.
async function loadMultiCloudIdentityProviderBodySchema() {
  return (await import('./multi-cloud-idp-schema.js')).multiCloudIdentityProviderBodySchema;
}

/** Builds and validates the body; throws QlikValidationError (naming the field, never the token) on bad input. */
export async function multiCloudIdentityProviderBody(
  input: MultiCloudIdentityProviderInput,
): Promise<MultiCloudIdentityProviderBody> {
  const candidate = {
    provider: 'qlik',
    protocol: 'qsefw-local-bearer-token',
    interactive: false,
    ...(input?.description === undefined ? {} : { description: input.description }),
    base64Encoded: input?.base64Encoded,
    tenantIds: [input?.tenantId],
  };
  const parsed = (await loadMultiCloudIdentityProviderBodySchema()).safeParse(candidate);
  if (!parsed.success) {
    throw new QlikValidationError(
      'Invalid multi-cloud identity provider',
      parsed.error.issues.map((issue) => ({
        // The caller passes `tenantId`; report it under that name.
        path:
          issue.path[0] === 'tenantIds'
            ? ['tenantId']
            : issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}

/**
 * Creates the `qsefw-local-bearer-token` identity provider that lets a QSEoW deployment distribute apps to
 * the tenant (`qc.identityProviders`). Returns openapi-fetch's `{ data, error, response }` (201 with the IdP).
 */
export async function createMultiCloudIdentityProvider(
  client: IdentityProvidersClient,
  input: MultiCloudIdentityProviderInput,
  init?: { signal?: AbortSignal },
) {
  const body = await multiCloudIdentityProviderBody(input);
  return client.POST('/api/v1/identity-providers', {
    // The spec's IDPPostSchema does not include this protocol, so the validated body is passed as-is.
    body: body as unknown as NonNullable<Parameters<IdentityProvidersClient['POST']>[1]>['body'],
    ...(init?.signal ? { signal: init.signal } : {}),
  });
}
