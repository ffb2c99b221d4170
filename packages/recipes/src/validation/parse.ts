import { QlikValidationError, type ValidationIssue } from '@qlik-oem/core';
import type { z } from 'zod';

/** `['customers', 3, 'alias']` → `customers[3].alias`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out || '(input)';
}

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
  const error = new QlikValidationError(`Invalid ${label}`, issues);
  // Core joins paths with dots; name array elements the way people write them.
  const detail = issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
  const message = `Invalid ${label}: ${detail}`;
  if (error.stack) error.stack = error.stack.replace(error.message, message);
  error.message = message;
  return error;
}
