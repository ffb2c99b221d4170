/**
 * Parses one statement (after `$(variable)` expansion) into what the interpreter runs. Anything
 * outside the supported subset is an "Unsupported statement" error rather than being skipped.
 */
import { StatementError } from './errors.js';
import { parseExpression, type Expression } from './expression.js';
import { Lexer, unexpected } from './lexer.js';

export interface FieldSpec {
  readonly expression: Expression;
  /** `AS` name, or the expression as written (a plain field keeps its name). */
  readonly name: string;
}

/** One LOAD's own part: its fields and filter. Preceding LOADs stack these over one source. */
export interface LoadClause {
  readonly distinct: boolean;
  /** `*` is the input's fields, in order. */
  readonly fields: readonly (FieldSpec | '*')[];
  readonly where: Expression | undefined;
  readonly orderBy: readonly { field: string; descending: boolean }[];
}

export interface FileFormat {
  /** `embedded labels` (default), `no labels` or `explicit labels`. */
  readonly labels: 'embedded' | 'none';
  readonly delimiter: string;
  /** False with `no quotes`. */
  readonly quotes: boolean;
  readonly headerLines: number;
  readonly encoding: 'utf8' | 'latin1';
}

export type Source =
  | { readonly kind: 'inline'; readonly data: string; readonly format: FileFormat }
  | { readonly kind: 'resident'; readonly table: string }
  | { readonly kind: 'file'; readonly path: string; readonly format: FileFormat }
  | { readonly kind: 'autogenerate'; readonly count: Expression }
  | { readonly kind: 'sql'; readonly sql: string };

export interface TablePrefix {
  readonly label: string | undefined;
  /** `CONCATENATE` (true: to the last table) or `CONCATENATE (name)`. */
  readonly concatenate: string | true | undefined;
  readonly noConcatenate: boolean;
  readonly mapping: boolean;
}

export type Statement =
  | {
      readonly kind: 'load';
      readonly prefix: TablePrefix;
      readonly clause: LoadClause;
      readonly source: Source | undefined;
    }
  | { readonly kind: 'sql'; readonly prefix: TablePrefix; readonly sql: string }
  | { readonly kind: 'let'; readonly name: string; readonly value: Expression }
  | { readonly kind: 'set'; readonly name: string; readonly value: string }
  | { readonly kind: 'drop-tables'; readonly tables: readonly string[] }
  | { readonly kind: 'drop-fields'; readonly fields: readonly string[]; readonly from: readonly string[] }
  | { readonly kind: 'rename-table'; readonly pairs: readonly [string, string][] }
  | { readonly kind: 'rename-field'; readonly pairs: readonly [string, string][] }
  | { readonly kind: 'trace'; readonly text: string }
  | { readonly kind: 'exit' }
  | { readonly kind: 'section'; readonly section: 'access' | 'application' }
  | { readonly kind: 'connect'; readonly target: string }
  | { readonly kind: 'disconnect' };

const unsupported = (): StatementError => new StatementError('Unsupported statement', 'UNSUPPORTED_STATEMENT');

const LABEL = /^\s*(?:\[([^\]]+)\]|"([^"]+)"|([A-Za-z_%@\u00C0-\uFFFF][\w.#%@\u00C0-\uFFFF]*))\s*:(?![/\\])/;

export function parseStatement(text: string): Statement {
  const lexer = new Lexer(text);
  const labelMatch = LABEL.exec(text);
  let label: string | undefined;
  if (labelMatch && !/^(lib|sql)$/i.test(labelMatch[3] ?? '')) {
    label = labelMatch[1] ?? labelMatch[2] ?? labelMatch[3];
    lexer.skipTo(labelMatch[0].length);
  }
  let concatenate: string | true | undefined;
  let noConcatenate = false;
  let mapping = false;
  for (;;) {
    if (lexer.acceptWord('concatenate')) {
      concatenate = true;
      if (lexer.acceptOp('(')) {
        concatenate = readName(lexer);
        lexer.expectOp(')');
      }
    } else if (lexer.acceptWord('noconcatenate')) noConcatenate = true;
    else if (lexer.acceptWord('mapping')) mapping = true;
    else break;
  }
  const prefix: TablePrefix = { label, concatenate, noConcatenate, mapping };
  const prefixed = label !== undefined || concatenate !== undefined || noConcatenate || mapping;
  const keyword = lexer.peek();
  const word = keyword.kind === 'word' ? keyword.value.toLowerCase() : '';
  if (word === 'load') {
    lexer.next();
    return parseLoad(lexer, prefix);
  }
  if (word === 'sql' || word === 'select') {
    if (word === 'sql') lexer.next();
    return { kind: 'sql', prefix, sql: lexer.rest() };
  }
  if (prefixed) throw unexpected(keyword, 'LOAD');
  lexer.next();
  switch (word) {
    case 'let':
    case 'set': {
      const name = readName(lexer);
      lexer.expectOp('=');
      if (word === 'set') return { kind: 'set', name, value: unquote(lexer.rest()) };
      const value = parseExpression(lexer);
      lexer.expectEnd();
      return { kind: 'let', name, value };
    }
    case 'drop': {
      if (lexer.acceptWord('table') || lexer.acceptWord('tables'))
        return { kind: 'drop-tables', tables: readNames(lexer, true) };
      if (lexer.acceptWord('field') || lexer.acceptWord('fields')) {
        const fields = readNames(lexer, false);
        const from = lexer.acceptWord('from') ? readNames(lexer, true) : [];
        return { kind: 'drop-fields', fields, from };
      }
      throw unsupported();
    }
    case 'rename': {
      const kind = lexer.acceptWord('table') || lexer.acceptWord('tables') ? 'rename-table' : undefined;
      const fieldKind = kind
        ? undefined
        : lexer.acceptWord('field') || lexer.acceptWord('fields')
          ? 'rename-field'
          : undefined;
      const which = kind ?? fieldKind;
      if (!which) throw unsupported();
      const pairs: [string, string][] = [];
      do {
        const from = readName(lexer);
        lexer.expectWord('to');
        pairs.push([from, readName(lexer)]);
      } while (lexer.acceptOp(','));
      lexer.expectEnd();
      return { kind: which, pairs };
    }
    case 'trace':
      return { kind: 'trace', text: lexer.rest() };
    case 'exit':
      lexer.expectWord('script');
      lexer.expectEnd();
      return { kind: 'exit' };
    case 'section': {
      const section = lexer.acceptWord('access')
        ? 'access'
        : lexer.acceptWord('application')
          ? 'application'
          : undefined;
      if (!section) throw unexpected(lexer.peek(), 'ACCESS');
      lexer.expectEnd();
      return { kind: 'section', section };
    }
    case 'lib': {
      lexer.expectWord('connect');
      lexer.expectWord('to');
      const target = lexer.peek().kind === 'word' ? lexer.rest() : readName(lexer);
      lexer.expectEnd();
      return { kind: 'connect', target };
    }
    case 'disconnect':
      lexer.expectEnd();
      return { kind: 'disconnect' };
    default:
      throw unsupported();
  }
}

function parseLoad(lexer: Lexer, prefix: TablePrefix): Statement {
  const distinct = lexer.acceptWord('distinct');
  const fields: (FieldSpec | '*')[] = [];
  do {
    if (lexer.acceptOp('*')) {
      fields.push('*');
      continue;
    }
    const from = lexer.position;
    const expression = parseExpression(lexer);
    const written = lexer.text.slice(from, lexer.consumed).trim();
    const name = lexer.acceptWord('as') ? readName(lexer) : expression.kind === 'field' ? expression.name : written;
    fields.push({ expression, name });
  } while (lexer.acceptOp(','));

  let source: Source | undefined;
  if (lexer.acceptWord('inline')) {
    const token = lexer.next();
    if (token.kind !== 'name' && token.kind !== 'string') throw unexpected(token, '[');
    source = { kind: 'inline', data: token.value, format: readFormat(lexer) };
  } else if (lexer.acceptWord('resident')) {
    source = { kind: 'resident', table: readName(lexer) };
  } else if (lexer.acceptWord('from')) {
    source = { kind: 'file', path: readName(lexer), format: readFormat(lexer) };
  } else if (lexer.acceptWord('autogenerate')) {
    source = { kind: 'autogenerate', count: parseExpression(lexer) };
  }
  const where = lexer.acceptWord('where') ? parseExpression(lexer) : undefined;
  if (lexer.isWord('while') || lexer.isWord('group'))
    throw new StatementError(`Unsupported clause: ${lexer.peek().value.toUpperCase()}`, 'UNSUPPORTED_STATEMENT');
  const orderBy: { field: string; descending: boolean }[] = [];
  if (lexer.acceptWord('order')) {
    lexer.expectWord('by');
    do {
      const field = readName(lexer);
      const descending = lexer.acceptWord('desc');
      if (!descending) lexer.acceptWord('asc');
      orderBy.push({ field, descending });
    } while (lexer.acceptOp(','));
  }
  lexer.expectEnd();
  return { kind: 'load', prefix, clause: { distinct, fields, where, orderBy }, source };
}

/** A table, field or variable name: a word, `[bracketed]`, `"quoted"` or `'quoted'`. */
function readName(lexer: Lexer): string {
  const token = lexer.next();
  if (token.kind === 'word' || token.kind === 'name' || token.kind === 'string' || token.kind === 'number')
    return token.value;
  throw unexpected(token);
}

/** Comma-separated names, up to FROM (for DROP FIELD ... FROM) or the end. */
function readNames(lexer: Lexer, untilEnd: boolean): string[] {
  const names: string[] = [];
  do names.push(readName(lexer));
  while (lexer.acceptOp(','));
  if (untilEnd) lexer.expectEnd();
  return names;
}

function unquote(value: string): string {
  const match = /^(['"])([\s\S]*)\1$/.exec(value);
  return match ? match[2]! : value;
}

const DEFAULT_FORMAT: FileFormat = {
  labels: 'embedded',
  delimiter: ',',
  quotes: true,
  headerLines: 0,
  encoding: 'utf8',
};

/** The file format specification in parentheses after a source: `(txt, utf8, embedded labels, delimiter is ',')`. */
function readFormat(lexer: Lexer): FileFormat {
  if (!lexer.acceptOp('(')) return DEFAULT_FORMAT;
  let format = { ...DEFAULT_FORMAT };
  do {
    const words: string[] = [];
    while (lexer.peek().kind === 'word' || lexer.peek().kind === 'number') words.push(lexer.next().value.toLowerCase());
    const item = words.join(' ');
    if (item === 'delimiter is' || item === 'delimiter') {
      const token = lexer.next();
      const value = token.kind === 'word' ? token.value.toLowerCase() : token.value;
      format = { ...format, delimiter: value === 'tab' || value === '\\t' ? '\t' : value === 'spaces' ? ' ' : value };
    } else if (item === 'txt' || item === 'msq' || item === 'utf8' || item === 'unicode' || item === '') {
      if (item === '' && lexer.peek().kind !== 'op') throw unexpected(lexer.peek());
    } else if (item === 'embedded labels') format = { ...format, labels: 'embedded' };
    else if (item === 'no labels') format = { ...format, labels: 'none' };
    else if (item === 'no quotes') format = { ...format, quotes: false };
    else if (item === 'ansi') format = { ...format, encoding: 'latin1' };
    else if (/^codepage is \d+$/.test(item))
      format = { ...format, encoding: item.endsWith(' 65001') ? 'utf8' : 'latin1' };
    else if (/^header is \d+( lines?)?$/.test(item)) format = { ...format, headerLines: Number(item.split(' ')[2]) };
    else throw new StatementError(`Unsupported file format: ${item}`, 'UNSUPPORTED_STATEMENT');
  } while (lexer.acceptOp(','));
  lexer.expectOp(')');
  return format;
}
