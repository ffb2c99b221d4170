import { QlikValidationError } from '@qlik-oem/core';
import { customerIdSchema, parseInput } from '@qlik-oem/recipes/schemas';
import { z } from 'zod';

/**
 * STAND-IN FOR THE PARTNER'S REAL AUTHENTICATION. A real broker takes the signed-in user from its own session
 * (cookie, OIDC token, ...) and never trusts a header the browser can set. This example reads the user from the
 * `x-demo-user` header (JSON) so that it runs without an identity provider.
 */
export const DEMO_USER_HEADER = 'x-demo-user';

const text = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters');

const demoUserSchema = z.object({
  /** The user's stable id in the partner's product: the JWT `sub`. */
  id: text,
  name: text,
  email: z
    .string({ error: 'must be a string' })
    .trim()
    .toLowerCase()
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address'),
  /** The customer (tenant) this user belongs to in the partner's product. */
  customerId: customerIdSchema,
  /** The user's groups: they must be among the partner's groups. */
  groups: z.array(text).max(100, 'must have at most 100 groups').default([]),
});

export type DemoUser = z.output<typeof demoUserSchema>;

/** The signed-in user, or undefined when no user is signed in. Throws `QlikValidationError` for a malformed header. */
export function demoUserOf(header: string | string[] | undefined): DemoUser | undefined {
  if (header === undefined) return undefined;
  const raw = Array.isArray(header) ? header[0] : header;
  let value: unknown;
  try {
    value = JSON.parse(raw ?? '');
  } catch {
    throw new QlikValidationError(`Invalid ${DEMO_USER_HEADER} header`, [
      { path: [DEMO_USER_HEADER], message: 'must be a JSON object' },
    ]);
  }
  return parseInput(demoUserSchema, value, { label: `${DEMO_USER_HEADER} header`, path: [DEMO_USER_HEADER] });
}
