// The hydrateFromTemplate input schema, its options, outputs and the environment it runs in.
import type { Clock } from '@qlik-oem/core';
import { z } from 'zod';
import { customerIdSchema, secretSchema, tenantHostnameSchema, text } from '../../validation/schemas.js';
import type { ProvisioningEnvironment } from '../context.js';
import { reloadScheduleSchema } from './reload-schedule-input.js';
import type { TemplateExportCache } from '../template-export.js';

const id = text();
/**
 * The customer's data connection: either the classic fields (`datasourceId` + `connectionString`),
 * or a ready create body for `POST /api/v1/data-connections` (`createBody`, e.g. an S3 connection
 * body), to which `qName` and `space` are added.
 */
export const hydrateDataConnectionSchema = z
  .object({
    /** Connection name (`qName`), unique in the shared space. */
    name: text(),
    datasourceId: text().optional(),
    connectionString: z
      .string({ error: 'must be a string' })
      .refine((value) => value.trim() !== '', 'must not be empty')
      .optional(),
    /** `qType`; defaults to the connector id. */
    type: text().optional(),
    username: z.string({ error: 'must be a string' }).optional(),
    password: secretSchema.optional(),
    createBody: z
      .record(z.string(), z.unknown(), { error: 'must be an object (a data-connections create body)' })
      .optional(),
    /**
     * Send the credentials again although nothing else changed (Qlik never returns them, so a new
     * password cannot be noticed). Set it for the run that rotates them; every such run writes.
     */
    rotateCredentials: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .superRefine((value, ctx) => {
    if (value.createBody !== undefined) {
      for (const key of ['datasourceId', 'connectionString', 'type', 'username', 'password'] as const) {
        if (value[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'must not be set together with createBody' });
      }
      return;
    }
    if (value.datasourceId === undefined)
      ctx.addIssue({ code: 'custom', path: ['datasourceId'], message: 'is required (or pass createBody)' });
    if (value.connectionString === undefined)
      ctx.addIssue({ code: 'custom', path: ['connectionString'], message: 'is required (or pass createBody)' });
  });

export const hydrateFromTemplateInputSchema = z.object({
  customerId: customerIdSchema,
  /** The customer's tenant, e.g. `acme.eu.qlikcloud.com` (onboardTenant's output). */
  tenantHost: tenantHostnameSchema,
  /** The customer's shared (development) space: the imported app and the data connection live here. */
  sharedSpaceId: id,
  /** The customer's managed (production) space: the app is published here. */
  managedSpaceId: id,
  template: z.object({
    /** The template app on the source tenant. */
    appId: id,
    /** Name of the customer's app (shared and published). Default: the template's name. */
    appName: text().optional(),
    /**
     * How a newer template reaches the shared app. `replace` (default): import over the same app
     * (`mode=AUTOREPLACE`), keeping its id. `reimport`: delete the shared app and import a new one;
     * the publish step then republishes over the published app whose origin is gone. Use `reimport`
     * where a tenant refuses AUTOREPLACE (Qlik's spec calls that mode internal).
     */
    upgrade: z.enum(['replace', 'reimport'], { error: 'must be "replace" or "reimport"' }).default('replace'),
  }),
  dataConnection: hydrateDataConnectionSchema,
  /** How the template's script is pointed at the customer's connection. */
  scriptConnection: z
    .object({
      /** The connection name the template's script uses; default: every `LIB CONNECT TO` is rewritten. */
      from: text().optional(),
      /** Also rewrite quoted `lib://<name>/...` paths. Default false. */
      libPaths: z.boolean({ error: 'must be true or false' }).default(false),
      /**
       * Write `'<shared space name>:<connection>'`, so the published copy in the managed space (and
       * its scheduled reloads) still finds the connection. Default true.
       */
      qualifyWithSpace: z.boolean({ error: 'must be true or false' }).default(true),
    })
    .default({ libPaths: false, qualifyWithSpace: true }),
  /** A reload schedule for the published app; `null` deletes the one the SDK made; omitted: left alone. */
  reloadSchedule: reloadScheduleSchema.nullable().optional(),
});

// Kept apart from the object schema so that `hydrateFromTemplateInputSchema.omit(...)` still works (zod refuses
// to omit from a refined object).
export const recipeInputSchema = hydrateFromTemplateInputSchema.refine(
  (input) => input.sharedSpaceId !== input.managedSpaceId,
  {
    path: ['managedSpaceId'],
    message:
      'must differ from sharedSpaceId (the app is developed in the shared space and published to the managed one)',
  },
);

export type HydrateFromTemplateInput = z.input<typeof hydrateFromTemplateInputSchema>;
export type HydrateFromTemplateParsedInput = z.output<typeof hydrateFromTemplateInputSchema>;

export interface HydrateFromTemplateOptions {
  /** Share one cache across a fleet run so each template is exported once. Default: one per recipe. */
  templates?: TemplateExportCache;
  /** Reload waits: first poll pause, longest pause, and when to give up (clock ms). */
  reload?: { pollIntervalMs?: number; maxPollIntervalMs?: number; timeoutMs?: number };
}

/** The ids `hydrateFromTemplate` produced or found. */
export interface HydrateFromTemplateOutputs {
  sharedAppId: string;
  publishedAppId: string;
  connectionId: string;
  /** The reload that made the app current; null when Qlik no longer lists it. */
  reloadId: string | null;
  scheduleId: string | null;
}

/** The environment parts hydrate needs (a `ProvisioningEnvironment` has them all). */
export type HydrateEnvironment = Pick<ProvisioningEnvironment, 'source' | 'tenant' | 'engine'> & {
  readonly clock?: Clock;
};
