import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { customerIdSchema, tenantHostnameSchema, text } from '../validation/schemas.js';
import { CSP_DIRECTIVES, CustomizationFile } from './customize-tenant-values.js';

// The input schemas of customizeTenant, loaded on first validation.

export type { CspDirective } from './customize-tenant-values.js';

type FileCheck = (bytes: Uint8Array) => string | undefined;

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);
const PNG = [0x89, 0x50, 0x4e, 0x47];
const JPEG = [0xff, 0xd8, 0xff];
const ICO = [0x00, 0x00, 0x01, 0x00];
const ZIP = [0x50, 0x4b, 0x03, 0x04];

const isZip: FileCheck = (bytes) => (startsWith(bytes, ZIP) ? undefined : 'must be a zip archive');
const isLogo: FileCheck = (bytes) =>
  startsWith(bytes, PNG) || startsWith(bytes, JPEG) ? undefined : 'must be a PNG or JPEG image';
const isIcon: FileCheck = (bytes) => (startsWith(bytes, ICO) ? undefined : 'must be an ICO file');
const isJson: FileCheck = (bytes) => {
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return undefined;
  } catch {
    return 'must be a JSON file';
  }
};

/** A path to a file, or `{ name, bytes }`; read and checked (exists, non-empty, right kind) during validation. */
function fileSchema(check: FileCheck) {
  const fromBytes = z.object({
    name: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty'),
    bytes: z.instanceof(Uint8Array, { error: 'must be a Uint8Array' }),
  });
  return z
    .union([z.string({ error: 'must be a file path or { name, bytes }' }).min(1, 'must not be empty'), fromBytes], {
      error: 'must be a file path or { name, bytes }',
    })
    .transform((source, ctx) => {
      let file: CustomizationFile;
      if (typeof source === 'string') {
        let isFile: boolean;
        try {
          isFile = statSync(source).isFile();
        } catch {
          ctx.addIssue({ code: 'custom', message: 'file does not exist or cannot be read' });
          return z.NEVER;
        }
        if (!isFile) {
          ctx.addIssue({ code: 'custom', message: 'is not a file' });
          return z.NEVER;
        }
        file = new CustomizationFile(basename(source), new Uint8Array(readFileSync(source)));
      } else {
        file = new CustomizationFile(source.name, source.bytes);
      }
      const problem = file.size === 0 ? 'file is empty' : check(file.bytes);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return file;
    });
}

/** An https origin such as `https://app.partner.example` (no path, query or credentials); normalised to `URL#origin`. */
export const httpsOriginSchema = z.string({ error: 'must be a string' }).transform((value, ctx) => {
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  const bare =
    url &&
    url.pathname === '/' &&
    !url.search &&
    !url.hash &&
    !url.username &&
    !url.password &&
    !value.trim().endsWith('/');
  if (!url || url.protocol !== 'https:' || !bare) {
    ctx.addIssue({ code: 'custom', message: 'must be an https origin such as https://app.example.com (no path)' });
    return z.NEVER;
  }
  return url.origin;
});

const cspOriginSchema = z.object({
  /** Found by this name first (then by origin). */
  name: text(512),
  /** A host or origin, e.g. `app.partner.example` or `https://cdn.partner.example` (at most 256 characters, no spaces). */
  origin: text().regex(/^[^\s/]+(?::\/\/[^\s/]+)?\/?$/, 'must be a host or an origin, without a path or spaces'),
  /** The directives this origin is allowed in, e.g. `['frameAncestors']` to let the partner's product frame Qlik. */
  directives: z
    .array(z.enum(CSP_DIRECTIVES, { error: `must be one of ${CSP_DIRECTIVES.join(', ')}` }))
    .min(1, 'needs at least one directive'),
  description: text(1024).optional(),
});

const bundleSchema = z.object({
  /** The extension's or theme's name (found by `name` or `qextFilename`). */
  name: text(),
  /** The zip archive. */
  file: fileSchema(isZip),
});

const uniqueNames = (label: string) => (items: ReadonlyArray<{ name: string }>, ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.name))
      ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `is used by another ${label}` });
    seen.add(item.name);
  });
};

/** An absolute https URL (a redirect URI of the partner's product), at most 256 characters. */
const httpsUrlSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .max(256, 'must be at most 256 characters')
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'https:' && !url.username && !url.password;
      } catch {
        return false;
      }
    },
    { message: 'must be an https URL such as https://app.example.com/callback' },
  );

/**
 * The tenant's OAuth client for user impersonation: a `web` client allowed the `client_credentials` and
 * `urn:qlik:oauth:user-impersonation` grants, found by its name. Its secret is answered once, when it is made.
 */
const impersonationClientSchema = z.object({
  /** The client's name, by which it is found (and adopted) on later runs. */
  name: text(512),
  description: text(4096).optional(),
  /** The partner product's redirect URIs (at most 5); none for a backend that only impersonates. */
  redirectUris: z.array(httpsUrlSchema).max(5, 'must have at most 5 redirect URIs').default([]),
  /** Scopes of the tokens it may get (default `user_default`, full user access and nothing of an admin's). */
  scopes: z
    .array(text(256).regex(/^\S+$/, 'must be one scope, without spaces'))
    .min(1, 'needs at least one scope')
    .default(['user_default']),
  /** `trusted` skips the consent prompt of interactive sign-ins; unset: left as the tenant has it. */
  consentMethod: z.enum(['required', 'trusted'], { error: 'must be "required" or "trusted"' }).optional(),
});

/** What `customizeTenant` makes true on a tenant. Every part is optional. */
export const tenantCustomizationSchema = z.object({
  /** The web integration (CORS) that lets the partner's product call the tenant; its id goes into the embed code. */
  webIntegration: z
    .object({
      name: text(),
      validOrigins: z.array(httpsOriginSchema).min(1, 'needs at least one origin'),
    })
    .optional(),
  /** Content-Security-Policy origins (e.g. `frameAncestors` for the partner's product). */
  cspOrigins: z.array(cspOriginSchema).superRefine(uniqueNames('CSP origin')).default([]),
  /** The white-label brand, activated. */
  brand: z
    .object({
      name: text(),
      description: z.string({ error: 'must be a string' }).max(1024, 'must be at most 1024 characters').optional(),
      /** PNG or JPEG (Qlik: at most 300 KB). */
      logo: fileSchema(isLogo).optional(),
      /** ICO (Qlik: at most 100 KB). */
      favicon: fileSchema(isIcon).optional(),
      /** JSON style settings (Qlik: at most 100 KB). */
      styles: fileSchema(isJson).optional(),
      /** Make it the tenant's active brand (default true). */
      activate: z.boolean({ error: 'must be true or false' }).default(true),
    })
    .optional(),
  extensions: z.array(bundleSchema).superRefine(uniqueNames('extension')).default([]),
  themes: z.array(bundleSchema).superRefine(uniqueNames('theme')).default([]),
  /** The OAuth client the partner's backend impersonates end users with (embedding with OAuth instead of JWT). */
  impersonationClient: impersonationClientSchema.optional(),
});

export type TenantCustomization = z.output<typeof tenantCustomizationSchema>;
export type TenantCustomizationInput = z.input<typeof tenantCustomizationSchema>;

/** The input of the standalone `customizeTenant` recipe. */
export const customizeTenantInputSchema = tenantCustomizationSchema.extend({
  customerId: customerIdSchema,
  /** The customer's tenant, e.g. `acme.eu.qlikcloud.com`. */
  tenantHost: tenantHostnameSchema,
});

export type CustomizeTenantInput = z.output<typeof customizeTenantInputSchema>;
export type CustomizeTenantInputRaw = z.input<typeof customizeTenantInputSchema>;
