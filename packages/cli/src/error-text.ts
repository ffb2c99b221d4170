// One line of text for a thrown value, whatever was thrown: what plans, results and --json print.
import { inspect } from 'node:util';
import { redactText } from '@qlik-oem/core';

/** An Error's message; a thrown string or number as written; anything else inspected, with credentials redacted. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error === undefined) return '';
  if (typeof error === 'object' || typeof error === 'function' || typeof error === 'symbol')
    return redactText(inspect(error, { depth: 2, breakLength: Infinity }));
  return typeof error === 'string' ? error : `${error as number | boolean | bigint}`;
}
