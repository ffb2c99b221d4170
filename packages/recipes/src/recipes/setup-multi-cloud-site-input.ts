// The schema of the QSEoW site options, loaded on first validation.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { Secret } from '../validation/secret.js';
import { signingAlgorithm } from './setup-multi-cloud-site.js';

const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const CLAIM = /^[A-Za-z_][A-Za-z0-9_]*$/;

const signingKeySchema = z
  .union([z.string(), z.instanceof(Secret)], { error: 'must be a PEM private key (string or Secret)' })
  .transform((value, ctx) => {
    const pem = typeof value === 'string' ? value : value.reveal();
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem))
      return fail('must be a PEM private key ("-----BEGIN PRIVATE KEY-----")');
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch {
      return fail('is not a valid PEM private key (it could not be parsed)');
    }
    if (!signingAlgorithm(key))
      return fail('must be an RSA or P-256 (EC) key: the virtual proxy verifies RS256 or ES256');
    return key;
  });

export const siteSchema = z.object({
  host: z
    .string({ error: 'must be a string' })
    .trim()
    .regex(HOST, 'must be a host name without scheme, port or path, e.g. qlik.partner.com'),
  port: z.number({ error: 'must be a number' }).int('must be an integer').min(1).max(65535).optional(),
  virtualProxyPrefix: z
    .string({ error: 'must be a string' })
    .transform((p) => p.replace(/^\/+|\/+$/g, ''))
    .pipe(z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be one path segment, e.g. "jwt" (the JWT virtual proxy)')),
  jwt: z.object(
    {
      signingKey: signingKeySchema,
      userId: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty'),
      userDirectory: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty'),
      userIdClaim: z.string().regex(CLAIM, 'must be a claim name').optional(),
      userDirectoryClaim: z.string().regex(CLAIM, 'must be a claim name').optional(),
      lifetimeSeconds: z.number().int().min(30, 'must be at least 30').max(3600, 'must be at most 3600').optional(),
    },
    { error: 'is required: { signingKey, userId, userDirectory }' },
  ),
  ca: z.string().optional(),
  distributionTimeoutMs: z.number().positive('must be positive').finite().optional(),
  pollIntervalMs: z.number().positive('must be positive').finite().optional(),
});

export type ParsedSiteOptions = z.output<typeof siteSchema>;
