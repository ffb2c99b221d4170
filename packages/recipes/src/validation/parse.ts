import { QlikValidationError, formatIssuePath, type ValidationIssue } from '@qlik-oem/core';
import type { z } from 'zod';

/**
 * Parses `value` with `schema`, or throws a `QlikValidationError` whose message names every bad field
 * and why (`customers[3].alias: must be a DNS label (...)`). Values are never echoed.
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  options: { label: string; path?: ReadonlyArray<string | number> },
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const prefix = options.path ?? [];
  throw createValidationError(
    options.label,
    result.error.issues.map((issue) => ({
      path: [...prefix, ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))],
      message: issue.message,
    })),
  );
}

/** A `QlikValidationError` whose message lists every issue as `path: message`, array indexes in brackets. */
export function createValidationError(label: string, issues: ValidationIssue[]): QlikValidationError {
  return new QlikValidationError(`Invalid ${label}`, issues);
}

/** `['customers', 3, 'alias']` → `customers[3].alias`. */
export const formatPath = formatIssuePath;
