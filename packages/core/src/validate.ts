import type { ValidationIssue } from './errors.js';

/** Records an issue unless `value` is undefined or a positive (finite) number. */
export function positive(value: unknown, path: string[], issues: ValidationIssue[], integer = false): void {
  if (value === undefined) return;
  const ok = typeof value === 'number' && Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value));
  if (!ok) issues.push({ path, message: `must be a positive ${integer ? 'integer' : 'number'}` });
}
