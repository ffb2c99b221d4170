/** The load-script interpreter: a script in, the app's `LoadedData` (or the failing line) out. */
export { ScriptError, StatementError, type ScriptErrorCode } from './errors.js';
export {
  runScript,
  type DataSources,
  type OpenConnection,
  type RowSet,
  type RunOptions,
  type RunResult,
} from './interpreter.js';
export { databaseProperties, type DatabaseProperties } from './connect-string.js';
export { Databases, type EmbeddedDatabase } from './databases.js';
export { customerOfHost, endUsersOf, ordersSeedSql } from './seed-orders.js';
