import { z } from 'zod';

/**
 * The multi-cloud (QSEoW distribution) identity provider body. No published spec has it: only the
 * `IDPProtocol` enum names `qsefw-local-bearer-token`. The shape is the one Qlik's multi-cloud setup uses
 * (the QMC "Qlik Cloud format" token pasted as `base64Encoded`).
 * Loaded on demand (zod is most of this package's import cost, and few callers need this).
 */
export const multiCloudIdentityProviderBodySchema = z
  .object({
    provider: z.literal('qlik'),
    protocol: z.literal('qsefw-local-bearer-token'),
    interactive: z.literal(false),
    description: z.string().max(1024).optional(),
    /** The deployment's local bearer token configuration, exactly as QSEoW returns it (`elastictokenconfig?qcsFormat=True`). */
    base64Encoded: z.string().trim().min(1, 'must be the non-empty token text from the QSEoW deployment'),
    /** The tenant the deployment distributes to; Qlik expects exactly one. */
    tenantIds: z.tuple([z.string().trim().min(1, 'must be the tenant id')]),
  })
  .strict();
