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
  throw createValidationError(options.label, issuesOf(result.error, options.path ?? []));
}

/**
 * Parses every item of `values` with `schema` (as `z.array(schema)` would, without needing zod itself), or
 * throws one `QlikValidationError` naming every bad field of every item (`customers[3].alias: ...`).
 */
export function parseEach<Schema extends z.ZodType>(
  schema: Schema,
  values: unknown,
  options: { label: string; path?: ReadonlyArray<string | number> },
): Array<z.output<Schema>> {
  const prefix = options.path ?? [];
  if (!Array.isArray(values))
    throw createValidationError(options.label, [{ path: [...prefix], message: 'must be an array' }]);
  const parsed: Array<z.output<Schema>> = [];
  const issues: ValidationIssue[] = [];
  values.forEach((value: unknown, index) => {
    const result = schema.safeParse(value);
    if (result.success) parsed.push(result.data);
    else issues.push(...issuesOf(result.error, [...prefix, index]));
  });
  if (issues.length > 0) throw createValidationError(options.label, issues);
  return parsed;
}

function issuesOf(error: z.ZodError, prefix: ReadonlyArray<string | number>): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))],
    message: issue.message,
  }));
}

/** A `QlikValidationError` whose message lists every issue as `path: message`, array indexes in brackets. */
export function createValidationError(label: string, issues: ValidationIssue[]): QlikValidationError {
  return new QlikValidationError(`Invalid ${label}`, issues);
}

/** `['customers', 3, 'alias']` → `customers[3].alias`. */
export const formatPath = formatIssuePath;
