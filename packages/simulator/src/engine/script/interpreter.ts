/**
 * Runs a load script: statement by statement, `$(variable)` expansion first, then parse, then
 * execute against the tables loaded so far. The result is the app's `LoadedData`, or the first
 * error with its line and statement; data sources (files, SQL databases) come from the caller.
 */
import { ColumnBuilder, ColumnTable, type Cell, type LoadedData } from '../table.js';
import { ScriptError, StatementError } from './errors.js';
import { compile, evaluateConstant, parseExpression, variableText, type RowState } from './expression.js';
import type { FunctionScope } from './functions.js';
import { Lexer } from './lexer.js';
import { parseStatement, type LoadClause, type Source, type Statement, type TablePrefix } from './parser.js';
import { readDelimited } from './delimited.js';
import { splitStatements } from './statements.js';
import { DEFAULT_LONG_MONTH_NAMES, DEFAULT_MONTH_NAMES, toNumber, toText, truthy, type Formats } from './values.js';

/** Rows with their field names: what a source yields and a LOAD passes on. */
export interface RowSet {
  readonly fields: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

/** An open data connection (`LIB CONNECT TO`), closed by `DISCONNECT` or at the end of the script. */
export interface OpenConnection {
  /** How the reload log names the connection (default: as the script wrote it). */
  readonly description?: string;
  /** Runs one SQL statement; dates come back shown through `formats`. */
  query(sql: string, formats: Formats): Promise<RowSet>;
  close(): Promise<void>;
}

/** Where FROM and SQL read. Each throws a `StatementError` with a code when it fails. */
export interface DataSources {
  /** The bytes of `lib://<connection>/<path>` (the whole path as written). */
  readFile(path: string): Promise<Uint8Array>;
  /** Opens `LIB CONNECT TO <target>` (as written, possibly `Space:name`). */
  connect(target: string): Promise<OpenConnection>;
}

export interface RunOptions {
  /** Variables set before the script runs (a reload's `variables`). */
  readonly variables?: Readonly<Record<string, string>>;
  readonly sources?: DataSources;
}

export type RunResult =
  | { readonly success: true; readonly data: LoadedData; readonly log: readonly string[] }
  | { readonly success: false; readonly error: ScriptError; readonly log: readonly string[] };

/** A table being loaded, by column (a symbol table and row indexes per field, as the model keeps it). */
interface Table {
  name: string;
  fields: string[];
  columns: ColumnBuilder[];
  rowCount: number;
  access: boolean;
}

const NO_SOURCES: DataSources = {
  readFile: () => Promise.reject(new StatementError('No file storage is available', 'FILE_NOT_FOUND')),
  connect: () => Promise.reject(new StatementError('No data connections are available', 'CONNECTION_NOT_FOUND')),
};

const EXPANSION = /\$\(((?:[^()]|\([^()]*\))*)\)/g;

export async function runScript(script: string, options: RunOptions = {}): Promise<RunResult> {
  const run = new Run(options);
  try {
    await run.execute(script);
    return { success: true, data: run.data(), log: run.log };
  } catch (error) {
    if (error instanceof ScriptError) {
      run.log.push(`Error: ${error.message}`, 'Execution failed');
      return { success: false, error, log: run.log };
    }
    throw error;
  } finally {
    await run.closeAll();
  }
}

class Run {
  readonly log: string[] = [];
  readonly #tables: Table[] = [];
  readonly #mappings = new Map<string, Map<string, Cell>>();
  readonly #variables = new Map<string, string>();
  readonly #sources: DataSources;
  readonly #connections: OpenConnection[] = [];
  #connection: OpenConnection | undefined;
  #access = false;
  #sawAccess = false;
  #lastTable: Table | undefined;
  #exited = false;

  constructor(options: RunOptions) {
    this.#sources = options.sources ?? NO_SOURCES;
    for (const [name, value] of Object.entries(options.variables ?? {})) this.#variables.set(name, value);
  }

  get #formats(): Formats {
    const v = (name: string): string | undefined => this.#variables.get(name);
    const list = (value: string | undefined, fallback: string): string[] => (value ?? fallback).split(';');
    return {
      dateFormat: v('DateFormat') ?? 'YYYY-MM-DD',
      timestampFormat: v('TimestampFormat') ?? 'YYYY-MM-DD hh:mm:ss',
      monthNames: list(v('MonthNames'), DEFAULT_MONTH_NAMES),
      longMonthNames: list(v('LongMonthNames'), DEFAULT_LONG_MONTH_NAMES),
    };
  }

  #scopeNow(): FunctionScope {
    return { formats: this.#formats, mapping: (name) => this.#mappings.get(name.toLowerCase()) };
  }

  async execute(script: string): Promise<void> {
    const raw = splitStatements(script);
    const pending: { statement: Extract<Statement, { kind: 'load' }>; line: number; text: string }[] = [];
    for (const { text: written, line } of raw) {
      if (this.#exited) break;
      let text = written;
      try {
        text = this.#expand(written);
        if (text.trim() === '') continue;
        const statement = parseStatement(text);
        if (statement.kind === 'load' && statement.source === undefined) {
          pending.push({ statement, line, text });
          continue;
        }
        if (pending.length > 0 && statement.kind !== 'load' && statement.kind !== 'sql') {
          throw new StatementError('A preceding LOAD must be followed by a LOAD or SELECT', 'SYNTAX_ERROR');
        }
        const chain = pending.splice(0);
        await this.#run(statement, chain);
      } catch (error) {
        if (error instanceof ScriptError) throw error;
        if (error instanceof StatementError) throw new ScriptError(error.message, line, text, error.code);
        throw new ScriptError(error instanceof Error ? error.message : String(error), line, text);
      }
    }
    const dangling = pending[0];
    if (dangling) throw new ScriptError('A preceding LOAD has no source', dangling.line, dangling.text, 'SYNTAX_ERROR');
  }

  /** `$(name)` is the variable's text (nothing when unset); `$(=expr)` the expression's value. */
  #expand(text: string): string {
    return text.replace(EXPANSION, (_match, inner: string) => {
      if (inner.startsWith('=')) {
        const lexer = new Lexer(inner.slice(1));
        const value = parseExpression(lexer);
        lexer.expectEnd();
        return variableText(evaluateConstant(value, this.#scopeNow()));
      }
      return this.#variables.get(inner.trim()) ?? '';
    });
  }

  async #run(
    statement: Statement,
    chain: { statement: Extract<Statement, { kind: 'load' }>; line: number; text: string }[],
  ): Promise<void> {
    switch (statement.kind) {
      case 'load':
      case 'sql': {
        const top = chain[0]?.statement ?? statement;
        const input = await this.#read(
          statement.kind === 'load' ? statement.source! : { kind: 'sql', sql: statement.sql },
        );
        const sourceName = this.#sourceName(
          statement.kind === 'load' ? statement.source! : { kind: 'sql', sql: statement.sql },
        );
        let rows = statement.kind === 'load' ? this.#apply(statement.clause, input) : input;
        for (const link of [...chain].reverse()) {
          try {
            rows = this.#apply(link.statement.clause, rows);
          } catch (error) {
            if (error instanceof StatementError) throw new ScriptError(error.message, link.line, link.text, error.code);
            throw error;
          }
        }
        const prefix = top.kind === 'load' || top.kind === 'sql' ? top.prefix : statement.prefix;
        this.#store(prefix, rows, sourceName);
        return;
      }
      case 'let':
        this.#variables.set(statement.name, variableText(evaluateConstant(statement.value, this.#scopeNow())));
        return;
      case 'set':
        this.#variables.set(statement.name, statement.value);
        return;
      case 'drop-tables':
        for (const name of statement.tables) {
          const index = this.#tables.findIndex((t) => t.name === name);
          if (index === -1) throw new StatementError(`Table '${name}' not found`, 'TABLE_NOT_FOUND');
          const [dropped] = this.#tables.splice(index, 1);
          if (dropped === this.#lastTable) this.#lastTable = undefined;
        }
        return;
      case 'drop-fields':
        this.#dropFields(statement.fields, statement.from);
        return;
      case 'rename-table':
        for (const [from, to] of statement.pairs) {
          const table = this.#table(from);
          if (this.#tables.some((t) => t.name === to)) throw new StatementError(`Table '${to}' already exists`);
          table.name = to;
        }
        return;
      case 'rename-field':
        for (const [from, to] of statement.pairs) {
          const holders = this.#tables.filter((t) => t.fields.includes(from));
          if (holders.length === 0) throw new StatementError(`Field '${from}' not found`, 'FIELD_NOT_FOUND');
          for (const table of holders) {
            if (table.fields.includes(to))
              throw new StatementError(`Field '${to}' already exists in table '${table.name}'`);
            table.fields[table.fields.indexOf(from)] = to;
          }
        }
        return;
      case 'trace':
        this.log.push(statement.text);
        return;
      case 'exit':
        this.#exited = true;
        return;
      case 'section':
        this.#access = statement.section === 'access';
        if (this.#access) this.#sawAccess = true;
        return;
      case 'connect': {
        await this.#disconnect();
        this.#connection = await this.#sources.connect(statement.target);
        this.#connections.push(this.#connection);
        this.log.push(`Connecting to ${this.#connection.description ?? `'${statement.target}'`}`, 'Connected.');
        return;
      }
      case 'disconnect':
        await this.#disconnect();
        return;
    }
  }

  async #read(source: Source): Promise<RowSet> {
    switch (source.kind) {
      case 'inline':
        return readDelimited(new TextEncoder().encode(source.data), source.format, true);
      case 'resident': {
        const { fields, columns, rowCount } = this.#table(source.table);
        const rows: Cell[][] = new Array<Cell[]>(rowCount);
        for (let row = 0; row < rowCount; row++) rows[row] = columns.map((column) => column.cell(row));
        return { fields: [...fields], rows };
      }
      case 'file':
        return readDelimited(await this.#sources.readFile(source.path), source.format, false);
      case 'autogenerate': {
        const count = toNumber(evaluateConstant(source.count, this.#scopeNow()));
        if (!Number.isInteger(count) || count < 0)
          throw new StatementError('AUTOGENERATE needs a whole number of rows');
        return { fields: [], rows: Array.from({ length: count }, () => []) };
      }
      case 'sql': {
        if (!this.#connection)
          throw new StatementError('SQL needs an open connection: LIB CONNECT TO comes first', 'CONNECTION_NOT_FOUND');
        return this.#connection.query(source.sql, this.#formats);
      }
    }
  }

  /** The name Qlik gives an unlabelled table: the file's or SQL table's name, else a generic one. */
  #sourceName(source: Source): string {
    if (source.kind === 'file') return (source.path.split('/').pop() ?? source.path).replace(/\.[^.]*$/, '');
    if (source.kind === 'resident') return source.table;
    if (source.kind === 'sql') {
      const match = /\bfrom\s+(?:"?[\w$]+"?\.)?"?([\w$]+)"?/i.exec(source.sql);
      return match?.[1] ?? 'SQL';
    }
    return source.kind === 'inline' ? 'INLINE' : 'AUTOGENERATE';
  }

  /** One LOAD over its input: WHERE on the input rows, then the field expressions, DISTINCT, ORDER BY. */
  #apply(clause: LoadClause, input: RowSet): RowSet {
    const index = new Map(input.fields.map((name, i) => [name, i] as const));
    const scope = this.#scopeNow();
    const fieldIndex = (name: string): number | undefined => index.get(name);
    const where = clause.where ? compile(clause.where, fieldIndex, scope) : undefined;
    const names: string[] = [];
    const columns: ((row: readonly Cell[], state: RowState) => Cell)[] = [];
    for (const spec of clause.fields) {
      if (spec === '*') {
        input.fields.forEach((name, i) => {
          names.push(name);
          columns.push((row) => row[i] ?? null);
        });
      } else {
        names.push(spec.name);
        columns.push(compile(spec.expression, fieldIndex, scope));
      }
    }
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate !== undefined) throw new StatementError(`Field names must be unique within table: '${duplicate}'`);
    let rows = input.rows;
    if (clause.orderBy.length > 0) {
      const keys = clause.orderBy.map(({ field, descending }) => {
        const at = index.get(field);
        if (at === undefined) throw new StatementError(`Field '${field}' not found`, 'FIELD_NOT_FOUND');
        return { at, sign: descending ? -1 : 1 };
      });
      rows = [...rows].sort((a, b) => {
        for (const { at, sign } of keys) {
          const c = compareCells(a[at] ?? null, b[at] ?? null);
          if (c !== 0) return c * sign;
        }
        return 0;
      });
    }
    const out: Cell[][] = [];
    const seen = clause.distinct ? new Set<string>() : undefined;
    const state: RowState = { recNo: 0, rowNo: 0 };
    for (const row of rows) {
      state.recNo += 1;
      if (where && !truthy(where(row, state))) continue;
      state.rowNo = out.length + 1;
      const next = columns.map((column) => column(row, state));
      if (seen) {
        const key = JSON.stringify(next);
        if (seen.has(key)) continue;
        seen.add(key);
      }
      out.push(next);
    }
    return { fields: names, rows: out };
  }

  /** Puts loaded rows where Qlik would: a mapping, a concatenation, or a new table. */
  #store(prefix: TablePrefix, loaded: RowSet, sourceName: string): void {
    let { fields, rows } = loaded;
    if (this.#access) {
      // Section access: field names and values are upper-cased (help.qlik.com, "Managing data security with section access").
      fields = fields.map((f) => f.toUpperCase());
      rows = rows.map((row) => row.map((cell) => (typeof cell === 'string' ? cell.toUpperCase() : cell)));
    }
    if (prefix.mapping) {
      if (fields.length < 2) throw new StatementError('A mapping table needs two fields');
      const map = new Map<string, Cell>();
      for (const row of rows) {
        const key = toText(row[0] ?? null);
        if (!map.has(key)) map.set(key, row[1] ?? null);
      }
      this.#mappings.set((prefix.label ?? sourceName).toLowerCase(), map);
      this.log.push(`${prefix.label ?? sourceName} << ${sourceName}`, `${rows.length} Lines fetched`);
      return;
    }
    let target: Table | undefined;
    if (prefix.concatenate !== undefined) {
      target = prefix.concatenate === true ? this.#lastTable : this.#table(prefix.concatenate);
      if (!target) throw new StatementError('CONCATENATE has no table to add to', 'TABLE_NOT_FOUND');
    } else if (!prefix.noConcatenate) {
      const key = [...fields].sort().join('\u0000');
      target = this.#tables.find((t) => t.access === this.#access && [...t.fields].sort().join('\u0000') === key);
    }
    if (target) {
      const into = target;
      for (const field of fields) {
        if (into.fields.includes(field)) continue;
        const column = new ColumnBuilder(into.rowCount + rows.length);
        column.pushNulls(into.rowCount);
        into.fields.push(field);
        into.columns.push(column);
      }
      appendRows(
        into.columns,
        into.fields.map((field) => fields.indexOf(field)),
        rows,
      );
      into.rowCount += rows.length;
    } else {
      // A statement without a result set (SQL that changes data) leaves no table.
      if (fields.length === 0) return;
      const columns = fields.map(() => new ColumnBuilder(rows.length));
      appendRows(
        columns,
        fields.map((_, at) => at),
        rows,
      );
      target = {
        name: this.#uniqueName(prefix.label ?? sourceName),
        fields: [...fields],
        columns,
        rowCount: rows.length,
        access: this.#access,
      };
      this.#tables.push(target);
      // CONCATENATE without a name adds to "the last previously created table" (help.qlik.com, Concatenating tables).
      this.#lastTable = target;
    }
    this.log.push(`${target.name} << ${sourceName}`, `${rows.length} Lines fetched`);
  }

  #uniqueName(name: string): string {
    if (!this.#tables.some((t) => t.name === name)) return name;
    for (let n = 1; ; n += 1) if (!this.#tables.some((t) => t.name === `${name}-${n}`)) return `${name}-${n}`;
  }

  #table(name: string): Table {
    const table = this.#tables.find((t) => t.name === name);
    if (!table) throw new StatementError(`Table '${name}' not found`, 'TABLE_NOT_FOUND');
    return table;
  }

  #dropFields(fields: readonly string[], from: readonly string[]): void {
    const tables = from.length > 0 ? from.map((name) => this.#table(name)) : this.#tables;
    for (const field of fields) {
      const holders = tables.filter((t) => t.fields.includes(field));
      if (holders.length === 0) throw new StatementError(`Field '${field}' not found`, 'FIELD_NOT_FOUND');
      for (const table of holders) {
        const at = table.fields.indexOf(field);
        table.fields.splice(at, 1);
        table.columns.splice(at, 1);
      }
    }
    // A table left without fields is no longer part of the model.
    for (let i = this.#tables.length - 1; i >= 0; i -= 1)
      if (this.#tables[i]!.fields.length === 0) this.#tables.splice(i, 1);
  }

  async #disconnect(): Promise<void> {
    const open = this.#connection;
    this.#connection = undefined;
    if (open) {
      this.#connections.splice(this.#connections.indexOf(open), 1);
      await open.close();
    }
  }

  async closeAll(): Promise<void> {
    const open = this.#connections.splice(0);
    this.#connection = undefined;
    await Promise.allSettled(open.map((c) => c.close()));
  }

  data(): LoadedData {
    const freeze = (t: Table): ColumnTable =>
      new ColumnTable(
        t.name,
        t.fields,
        t.columns.map((column) => column.finish()),
      );
    const tables = this.#tables.filter((t) => !t.access).map(freeze);
    if (!this.#sawAccess) return { tables };
    return { tables, sectionAccess: this.#tables.filter((t) => t.access).map(freeze) };
  }
}

/** Appends rows to columns: column `c` takes each row's cell at `from[c]` (null where it is -1). */
function appendRows(
  columns: readonly ColumnBuilder[],
  from: readonly number[],
  rows: readonly (readonly Cell[])[],
): void {
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c]!;
    const at = from[c]!;
    if (at < 0) column.pushNulls(rows.length);
    else for (const row of rows) column.push(row[at] ?? null);
  }
}

function compareCells(a: Cell, b: Cell): number {
  const x = toNumber(a);
  const y = toNumber(b);
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  if (!Number.isNaN(x)) return -1;
  if (!Number.isNaN(y)) return 1;
  return toText(a).localeCompare(toText(b));
}
