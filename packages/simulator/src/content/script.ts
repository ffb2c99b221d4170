/**
 * A small scanner for the data connections a Qlik load script refers to.
 *
 * The REST reload service and the QIX engine server both use it, so that a reload fails the same way
 * whichever way it was started. It understands the forms Qlik Cloud accepts:
 *
 *   LIB CONNECT TO 'name';      LIB CONNECT TO "name";      LIB CONNECT TO [name];
 *   LIB CONNECT TO name;        LIB CONNECT TO 'Space:name';
 *   ... FROM [lib://name/path] / 'lib://Space:name/path'
 *
 * Comments (`// …`, `/* … *\/`, `REM …;`, as the engine's `scanScript` finds them) are ignored, so
 * commented-out connections do not count.
 * Dollar-sign expansions (`$(vConn)`) are resolved from `SET`/`LET` statements earlier in the script
 * and from the reload's variables (which win, as they are set before the script runs); an unknown
 * variable expands to nothing, as in Qlik.
 */
import { scanScript } from '../engine/script/lexical.js';

/** One reference to a data connection in a script. */
export interface ConnectionReference {
  /** The connection name, without the space qualifier. */
  readonly name: string;
  /** The space name when the reference is space-qualified (`'Space:name'`), else undefined. */
  readonly spaceName: string | undefined;
  /** 1-based line number of the reference. */
  readonly line: number;
  /** `lib-connect` for `LIB CONNECT TO`, `lib-path` for a `lib://` file path. */
  readonly kind: 'lib-connect' | 'lib-path';
  /** The reference as written (quotes included), for log lines. */
  readonly text: string;
}

/** Connections every space has without anyone creating them (Qlik Cloud's built-in file storage). */
export const BUILT_IN_CONNECTIONS: readonly string[] = ['DataFiles'];

/** Replaces comments by spaces of the same length, keeping line breaks, so offsets and lines stay true. */
export function blankComments(script: string): string {
  let out = '';
  scanScript(script, {
    quoted: (text) => (out += text),
    comment: (text) => (out += text.replace(/[^\n]/g, ' ')),
    char: (ch) => (out += ch),
  });
  return out;
}

const LIB_CONNECT = /\blib\s+connect\s+to\s+(?:'([^']*)'|"([^"]*)"|\[([^\]]*)\]|([^\s;]+))/gi;
const LIB_PATH = /lib:\/\/([^/'"\]\n;]+)/gi;

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/** `Space:name` → its parts; a name without a space qualifier has `spaceName` undefined. */
export function splitQualified(target: string): { name: string; spaceName: string | undefined } {
  const colon = target.indexOf(':');
  if (colon <= 0) return { name: target.trim(), spaceName: undefined };
  return { name: target.slice(colon + 1).trim(), spaceName: target.slice(0, colon).trim() };
}

const ASSIGNMENT = /\b(set|let)\s+([A-Za-z_][\w.]*)\s*=\s*('([^']*)'|"([^"]*)"|([^;]*));/gi;
const EXPANSION = /\$\(([A-Za-z_][\w.]*)\)/g;

/**
 * Resolves `$(name)` expansions, line by line, from earlier `SET`/`LET` assignments and `variables`.
 * Line breaks are kept, so line numbers stay true.
 */
export function expandVariables(script: string, variables: Readonly<Record<string, string>> = {}): string {
  const values = new Map<string, string>();
  const lookup = (name: string): string => variables[name] ?? values.get(name.toLowerCase()) ?? '';
  // Assignments are read from the comment-free text (same lines), so a commented-out SET does not count.
  const live = blankComments(script).split('\n');
  return script
    .split('\n')
    .map((line, index) => {
      const expanded = line.replace(EXPANSION, (_m, name: string) => lookup(name));
      const code = (live[index] ?? '').replace(EXPANSION, (_m, name: string) => lookup(name));
      for (const match of code.matchAll(ASSIGNMENT)) {
        const value = match[4] ?? match[5] ?? (match[6] ?? '').trim();
        if (match[2]) values.set(match[2].toLowerCase(), value);
      }
      return expanded;
    })
    .join('\n');
}

/** Every connection reference in the script, in order of appearance (after `$(variable)` expansion). */
export function findConnectionReferences(
  script: string,
  variables: Readonly<Record<string, string>> = {},
): ConnectionReference[] {
  const text = blankComments(expandVariables(script, variables));
  const found: { offset: number; ref: ConnectionReference }[] = [];
  for (const match of text.matchAll(LIB_CONNECT)) {
    const target = match[1] ?? match[2] ?? match[3] ?? match[4] ?? '';
    // An empty target (e.g. an unset `$(variable)`) is kept: the reload must fail on it.
    const { name, spaceName } = splitQualified(target);
    const offset = match.index ?? 0;
    found.push({ offset, ref: { name, spaceName, line: lineOf(text, offset), kind: 'lib-connect', text: match[0] } });
  }
  for (const match of text.matchAll(LIB_PATH)) {
    const { name, spaceName } = splitQualified(match[1] ?? '');
    if (name === '') continue;
    const offset = match.index ?? 0;
    found.push({ offset, ref: { name, spaceName, line: lineOf(text, offset), kind: 'lib-path', text: match[0] } });
  }
  return found.sort((a, b) => a.offset - b.offset).map((f) => f.ref);
}

/** True for the connections Qlik provides in every space (`DataFiles`). */
export function isBuiltInConnection(name: string): boolean {
  return BUILT_IN_CONNECTIONS.some((builtIn) => builtIn.toLowerCase() === name.toLowerCase());
}
