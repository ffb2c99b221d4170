/**
 * A scanner for the `LIB CONNECT TO <name>` statements of a Qlik load script.
 *
 * It walks the script once, skipping `//` and `/* *\/` comments, `REM ...;` statements and string
 * literals, so text that only looks like a statement (inside a comment or a string) is never reported.
 */

/** How a connection name is written after `LIB CONNECT TO`. */
export type ConnectionNameQuote = 'single' | 'double' | 'bracket' | 'bare';

/** A connection named in a script: a `LIB CONNECT TO` statement or a quoted `lib://<name>/...` path. */
export interface ConnectionReference {
  /** `lib-connect` for `LIB CONNECT TO <name>`, `lib-path` for the name in a quoted `lib://<name>/...` path. */
  readonly kind: 'lib-connect' | 'lib-path';
  /** The connection name as Qlik reads it (quotes removed, doubled quotes unescaped). */
  readonly name: string;
  /** The space part of a space-qualified name (`'Space:Conn'` → `Space`), if any. */
  readonly space?: string;
  /** How the name was quoted (for a `lib-path`: how the string around the path is quoted). */
  readonly quote: ConnectionNameQuote;
  /** Offset of the first character of the name token (its opening quote, if any; for a `lib-path`, the name itself). */
  readonly start: number;
  /** Offset just past the name token (past its closing quote, if any). */
  readonly end: number;
}

const LIB_CONNECT_TO = /^LIB\s+CONNECT\s+TO\s+/i;
const IDENTIFIER_CHAR = /[A-Za-z0-9_$.#@]/;

/** Every `LIB CONNECT TO` statement and quoted `lib://` path of `script`, in order. */
export function findConnectionReferences(script: string): ConnectionReference[] {
  const references: ConnectionReference[] = [];
  let index = 0;
  let atStatementStart = true;
  while (index < script.length) {
    const char = script[index];
    const next = script[index + 1];
    if (char === '/' && next === '/') {
      index = endOfLine(script, index);
      continue;
    }
    if (char === '/' && next === '*') {
      const close = script.indexOf('*/', index + 2);
      index = close === -1 ? script.length : close + 2;
      continue;
    }
    if (char === ';') {
      atStatementStart = true;
      index += 1;
      continue;
    }
    if (char === undefined || /\s/.test(char)) {
      index += 1;
      continue;
    }
    if (atStatementStart && isKeywordAt(script, index, 'REM')) {
      // A REM statement is a comment up to the next semicolon.
      const semicolon = script.indexOf(';', index);
      index = semicolon === -1 ? script.length : semicolon + 1;
      continue;
    }
    if (char === "'" || char === '"' || char === '[' || char === '`') {
      atStatementStart = false;
      const end = skipQuoted(script, index);
      if (char !== '`') references.push(...libPathsIn(script, index, end));
      index = end;
      continue;
    }
    if (isKeywordAt(script, index, 'LIB')) {
      const match = LIB_CONNECT_TO.exec(script.slice(index));
      if (match) {
        const nameStart = index + match[0].length;
        const reference = readName(script, nameStart);
        if (reference) {
          references.push(reference);
          index = reference.end;
          atStatementStart = false;
          continue;
        }
      }
    }
    atStatementStart = false;
    index = skipWord(script, index);
  }
  return references;
}

function endOfLine(script: string, from: number): number {
  const newline = script.indexOf('\n', from);
  return newline === -1 ? script.length : newline;
}

function isKeywordAt(script: string, index: number, keyword: string): boolean {
  if (script.slice(index, index + keyword.length).toUpperCase() !== keyword) return false;
  const before = script[index - 1];
  const after = script[index + keyword.length];
  return (
    (before === undefined || !IDENTIFIER_CHAR.test(before)) && (after === undefined || !IDENTIFIER_CHAR.test(after))
  );
}

/** Offset just past a quoted token starting at `start`; a doubled closing quote is an escaped one. */
function skipQuoted(script: string, start: number): number {
  const open = script[start];
  const close = open === '[' ? ']' : open;
  let index = start + 1;
  while (index < script.length) {
    if (script[index] === close) {
      if (script[index + 1] === close) {
        index += 2;
        continue;
      }
      return index + 1;
    }
    index += 1;
  }
  return script.length;
}

/** Skips one run of identifier characters, or a single other character. */
function skipWord(script: string, start: number): number {
  let index = start;
  while (index < script.length && IDENTIFIER_CHAR.test(script[index] ?? '')) index += 1;
  return index === start ? start + 1 : index;
}

function readName(script: string, start: number): ConnectionReference | undefined {
  const open = script[start];
  if (open === "'" || open === '"' || open === '[') {
    const end = skipQuoted(script, start);
    const close = open === '[' ? ']' : open;
    if (script[end - 1] !== close || end - start < 2) return undefined;
    const raw = script.slice(start + 1, end - 1);
    const name = raw.split(close + close).join(close);
    const quote: ConnectionNameQuote = open === "'" ? 'single' : open === '"' ? 'double' : 'bracket';
    return withSpace({ kind: 'lib-connect', name, quote, start, end });
  }
  let end = start;
  while (end < script.length && !/[\s;]/.test(script[end] ?? '')) end += 1;
  if (end === start) return undefined;
  return withSpace({ kind: 'lib-connect', name: script.slice(start, end), quote: 'bare', start, end });
}

const LIB_SCHEME = /lib:\/\//gi;

/** The connection names of the `lib://<name>/...` paths inside the quoted token `script[start, end)`. */
function libPathsIn(script: string, start: number, end: number): ConnectionReference[] {
  const open = script[start];
  const close = open === '[' ? ']' : open;
  const quote: ConnectionNameQuote = open === "'" ? 'single' : open === '"' ? 'double' : 'bracket';
  const inner = script.slice(start + 1, script[end - 1] === close ? end - 1 : end);
  const found: ConnectionReference[] = [];
  for (const match of inner.matchAll(LIB_SCHEME)) {
    const nameStart = (match.index ?? 0) + match[0].length;
    const slash = inner.indexOf('/', nameStart);
    const nameEnd = slash === -1 ? inner.length : slash;
    const raw = inner.slice(nameStart, nameEnd);
    if (raw === '' || /[\r\n]/.test(raw)) continue;
    const name = raw.split(`${close}${close}`).join(close ?? '');
    found.push(withSpace({ kind: 'lib-path', name, quote, start: start + 1 + nameStart, end: start + 1 + nameEnd }));
  }
  return found;
}

function withSpace(reference: Omit<ConnectionReference, 'space'>): ConnectionReference {
  const colon = reference.name.indexOf(':');
  return colon > 0 ? { ...reference, space: reference.name.slice(0, colon) } : reference;
}
