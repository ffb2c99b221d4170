// The options schema of s3DataConnection, loaded on first validation.
import { z } from 'zod';
import { text } from '../validation/schemas.js';
import { Secret } from '../validation/secret.js';

const BUCKET = /^(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9](?:[a-z0-9.-]{1,61})[a-z0-9]$/;

/** The options of `s3DataConnection`. */
export const s3DataConnectionOptionsSchema = z.object({
  name: text(),
  bucket: z
    .string({ error: 'must be a string' })
    .regex(BUCKET, 'must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)')
    .refine((bucket) => !bucket.includes('..'), 'must not contain ".."'),
  region: z
    .string({ error: 'must be a string' })
    .regex(/^[a-z]{2}(?:-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1'),
  accessKeyId: z
    .string({ error: 'must be a string' })
    .regex(/^[A-Z0-9]{16,128}$/, 'must be an AWS access key id (16-128 uppercase letters and digits)'),
  secretAccessKey: z.union([z.instanceof(Secret), z.string().min(1)], {
    error: 'must be a non-empty string or a Secret',
  }),
  prefix: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty when given')
    .refine(
      (prefix) => !prefix.startsWith('/') && !prefix.split('/').some((part) => part === '..'),
      'must be a relative folder (no leading "/" or "..")',
    )
    .transform((prefix) => prefix.replace(/\/+$/, ''))
    .optional(),
});
