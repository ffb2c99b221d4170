// QlikValidationError: bad input found before any network call, with the path of every issue.
import { QlikError, type QlikErrorOptions } from './base.js';

export interface ValidationIssue {
  /** Where the bad value is, e.g. `['retry', 'maxAttempts']`. */
  path: ReadonlyArray<string | number>;
  message: string;
}

/** `['customers', 3, 'alias']` → `customers[3].alias`, the way people name a field. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out || '(root)';
}

/** Bad input, detected before any network call. */
export class QlikValidationError extends QlikError {
  override name = 'QlikValidationError';
  readonly issues: readonly ValidationIssue[];
  constructor(message: string, issues: ValidationIssue[] = [], options?: QlikErrorOptions) {
    const detail = issues.map((i) => `${formatIssuePath(i.path)}: ${i.message}`).join('; ');
    super(detail ? `${message}: ${detail}` : message, options, 'validation');
    this.issues = issues;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}
