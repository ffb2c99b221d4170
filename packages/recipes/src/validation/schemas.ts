import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { QLIK_CLOUD_REGIONS, REGION_MESSAGE, tenantHostnameProblem } from './regions.js';
import { Secret } from './secret.js';
import { BoundedCache } from '../bounded-cache.js';

// Messages say what is wrong and what is expected, and never repeat the value: some of these fields
// hold credentials, and validation errors end up in logs.

/** A trimmed, non-empty string of at most `max` characters (names, labels, descriptions). */
export const text = (max = 256) =>
  z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

export { QLIK_CLOUD_REGIONS, type QlikCloudRegion } from './regions.js';

export const regionSchema = z.enum(QLIK_CLOUD_REGIONS, {
  error: REGION_MESSAGE,
});

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DNS_LABEL_MESSAGE = 'must be a DNS label (lowercase letters, digits, hyphens)';

/** A DNS label: what a tenant alias (the first part of its hostname) must be. */
export const dnsLabelSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters (a DNS label)')
  .regex(DNS_LABEL, DNS_LABEL_MESSAGE);

/**
 * Labels that name Qlik's own hosts rather than a tenant: `register.<region>.qlikcloud.com` creates
 * tenants, `console.qlikcloud.com` is the organization console. The others are names a public service
 * keeps for itself (unverified for Qlik: refusing them costs a partner nothing, taking one would
 * leave a tenant nobody can name).
 */
export const RESERVED_TENANT_ALIASES: readonly string[] = [
  'register',
  'console',
  'api',
  'www',
  'admin',
  'auth',
  'login',
  'help',
  'status',
];

/** A tenant alias, e.g. `acme` for `acme.eu.qlikcloud.com`. */
export const tenantAliasSchema = dnsLabelSchema.refine((alias) => !RESERVED_TENANT_ALIASES.includes(alias), {
  error: (issue) => `"${String(issue.input)}" is reserved (it names a Qlik host, not a tenant); choose another alias`,
});

/** A Qlik Cloud tenant host, `<tenant>.<region>.qlikcloud.com`, lower-cased. No scheme, no path. */
export const tenantHostnameSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .toLowerCase()
  .superRefine((host, ctx) => {
    const problem = tenantHostnameProblem(host);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Where the signed license key comes from: the host of the partner's source tenant. */
export const licenseSourceSchema = tenantHostnameSchema;

/** PEM texts `createPublicKey` parsed: every customer of a fleet is validated with the partner's same key. */
const parsedPems = new BoundedCache<string, true>(64);

/**
 * A PEM public key (or X.509 certificate) for a JWT identity provider, checked with `createPublicKey`.
 * A private key is rejected: it must never leave the partner's signing service.
 */
export const publicKeyPemSchema = z.string({ error: 'must be a PEM string' }).superRefine((pem, ctx) => {
  const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
  if (pem.trim() === '') return fail('must not be empty');
  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(pem)) {
    return fail('is a private key; pass the public key instead (e.g. `openssl pkey -in key.pem -pubout`)');
  }
  if (!/-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/.test(pem)) {
    return fail('must be a PEM public key ("-----BEGIN PUBLIC KEY-----") or certificate');
  }
  if (parsedPems.get(pem)) return;
  try {
    createPublicKey(pem);
  } catch {
    return fail('is not a valid PEM public key (it could not be parsed)');
  }
  parsedPems.set(pem, true);
});

const SPACE_NAME_FORBIDDEN = /["*?<>/|\\:]/;

/** A space name as Qlik accepts it (spaces spec): 1–256 characters, none of `" * ? < > / | \ :`. */
export const spaceNameSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .refine((name) => name.trim() !== '', 'must not be blank')
  .refine((name) => !SPACE_NAME_FORBIDDEN.test(name), 'must not contain any of " * ? < > / | \\ :');

/** A group name: 1–256 characters. */
export const groupNameSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .refine((name) => name.trim() !== '', 'must not be blank');

/** The partner's id for a customer: keys journals, events and errors. */
export const customerIdSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-", starting with a letter or digit');

/** A secret string; parsed into a `Secret` so it cannot be logged by accident. */
export const secretSchema = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .transform((value) => new Secret(value));

/** Settings for a per-customer data connection (Qlik data-connections API). */
export const dataConnectionSchema = z.object({
  /** Connection name (`qName`), e.g. `acme-sales`. */
  name: text(),
  /** Connector id (`datasourceID`), e.g. `postgres`, `File_AmazonS3ConnectorV2`. */
  datasourceId: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty'),
  /** Connection string (`qConnectStatement`). */
  connectionString: z.string({ error: 'must be a string' }).refine((value) => value.trim() !== '', 'must not be empty'),
  /** Connection type (`qType`); defaults to the connector id. */
  type: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').optional(),
  username: z.string({ error: 'must be a string' }).optional(),
  password: secretSchema.optional(),
});

export type DataConnectionSettings = z.output<typeof dataConnectionSchema>;
