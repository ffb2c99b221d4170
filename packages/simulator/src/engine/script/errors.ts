/** The one error a reload fails with: what went wrong, on which line, in which statement. */
export class ScriptError extends Error {
  override readonly name = 'ScriptError';
  constructor(
    readonly reason: string,
    /** 1-based line of the statement in the script. */
    readonly line: number,
    /** The statement as written (after `$(variable)` expansion). */
    readonly statement: string,
    /** The Qlik-style error code a REST reload reports. */
    readonly code: ScriptErrorCode = 'SCRIPT_ERROR',
  ) {
    super(`${reason} (line ${line}): ${statement}`);
  }
}

export type ScriptErrorCode =
  | 'SCRIPT_ERROR'
  | 'SYNTAX_ERROR'
  | 'UNSUPPORTED_STATEMENT'
  | 'TABLE_NOT_FOUND'
  | 'FIELD_NOT_FOUND'
  | 'FILE_NOT_FOUND'
  | 'CONNECTION_NOT_FOUND'
  | 'CONNECTION_FAILED'
  | 'SQL_ERROR';

/** Thrown inside a statement; the interpreter adds the line and statement. */
export class StatementError extends Error {
  constructor(
    message: string,
    readonly code: ScriptErrorCode = 'SCRIPT_ERROR',
  ) {
    super(message);
  }
}
