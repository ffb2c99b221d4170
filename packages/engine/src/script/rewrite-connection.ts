import { QlikValidationError } from '@qlik-oem/core';
import { findConnectionReferences, type ConnectionNameQuote } from './connection-references.js';

export interface RewriteConnectionOptions {
  /**
   * The connection name to replace, as written in the script without quotes (e.g. `"Template data"` or
   * `"DevSpace:Template data"`). Compared case-insensitively, as Qlik does. When omitted, every
   * `LIB CONNECT TO` statement is pointed at `to`.
   */
  readonly from?: string;
  /** The new connection name, e.g. `"Customer 42"` or `"ProdSpace:Customer 42"`. */
  readonly to: string;
  /**
   * Also rewrite the connection name of quoted `lib://<name>/...` paths (`FROM [lib://Template data/x.qvd]`).
   * Default false: only `LIB CONNECT TO` statements.
   */
  readonly libPaths?: boolean;
}

/**
 * Points the `LIB CONNECT TO` statements of a Qlik load script (and, with `libPaths`, its quoted
 * `lib://<name>/...` paths) at another data connection.
 *
 * Only the connection name tokens change: quoting style (`'x'`, `"x"`, `[x]`), whitespace, comments
 * (`//`, `/* *\/`, `REM ...;`) and every other statement are kept byte for byte. Pure and idempotent.
 */
export function rewriteConnection(script: string, options: RewriteConnectionOptions): string {
  validate(script, options);
  const from = options.from?.toLowerCase();
  let result = '';
  let copiedUpTo = 0;
  for (const reference of findConnectionReferences(script)) {
    if (reference.kind === 'lib-path' && !options.libPaths) continue;
    if (from !== undefined && reference.name.toLowerCase() !== from) continue;
    const replacement =
      reference.kind === 'lib-path'
        ? escapeInside(options.to, reference.quote)
        : quoteName(options.to, reference.quote);
    result += script.slice(copiedUpTo, reference.start) + replacement;
    copiedUpTo = reference.end;
  }
  return result + script.slice(copiedUpTo);
}

/** Writes `name` in the same quoting style as the token it replaces, escaping as Qlik expects. */
export function quoteName(name: string, quote: ConnectionNameQuote): string {
  switch (quote) {
    case 'single':
      return `'${name.replaceAll("'", "''")}'`;
    case 'double':
      return `"${name.replaceAll('"', '""')}"`;
    case 'bracket':
      return `[${name.replaceAll(']', ']]')}]`;
    case 'bare':
      return /^[^\s;'"[\]`]+$/.test(name) ? name : `'${name.replaceAll("'", "''")}'`;
  }
}

/** Escapes `name` for use inside a string quoted with `quote` (no quotes added). */
function escapeInside(name: string, quote: ConnectionNameQuote): string {
  if (quote === 'single') return name.replaceAll("'", "''");
  if (quote === 'double') return name.replaceAll('"', '""');
  if (quote === 'bracket') return name.replaceAll(']', ']]');
  return name;
}

function validate(script: string, options: RewriteConnectionOptions): void {
  if (typeof script !== 'string') {
    throw new QlikValidationError('rewriteConnection: script must be a string');
  }
  if (typeof options?.to !== 'string' || options.to.trim() === '') {
    throw new QlikValidationError('rewriteConnection: `to` must be a non-empty connection name');
  }
  if (/[\r\n]/.test(options.to)) {
    throw new QlikValidationError('rewriteConnection: `to` must not contain line breaks');
  }
  if (options.libPaths && options.to.includes('/')) {
    throw new QlikValidationError('rewriteConnection: `to` must not contain / when rewriting lib:// paths');
  }
  if (options.from !== undefined && (typeof options.from !== 'string' || options.from === '')) {
    throw new QlikValidationError('rewriteConnection: `from`, when given, must be a non-empty string');
  }
}
