/**
 * `@qlik-oem/simulator/advanced`: the simulator's building blocks, for extending it (routes, plugins, spec
 * checks) or testing a piece of it alone: request authentication, Qlik-shaped error bodies, the per-tier rate
 * limiter, the spec catalog and validators, the SCIM filter, id and license-key generation, the CLI's argument
 * parsing. A partner testing against the simulator needs none of it: `@qlik-oem/simulator` has
 * `startSimulator`, its state file, clocks, behaviour switches and the fetch, dispatcher and socket factories.
 * Names that another SDK package also exports are prefixed here (`SimRateLimiter`, `SimRateLimitTier`,
 * `SimQlikErrorItem`, `simRegistrationHost`, `findScriptConnectionReferences`, `ScriptConnectionReference`).
 *
 * @module advanced
 */
export { qlikError, SimHttpError, type QlikErrorBody, type QlikErrorItem as SimQlikErrorItem } from './http/errors.js';
export { resolveRequestAuth, bearerToken, type AuthMode, type AuthResult } from './http/auth.js';
export { RateLimiter as SimRateLimiter, type BucketCounter, type TakeResult } from './limits/rate-limiter.js';
export { tierFromExtension, type RateLimitTier as SimRateLimitTier } from './spec/tiers.js';
export { SpecCatalog, type SpecOperation } from './spec/catalog.js';
export { SpecValidator } from './spec/validator.js';
export { BeyondSpecChecker, type BeyondSpecService, type MessageToCheck } from './spec/beyond-spec-check.js';
export { resolveSpecsDir, verifySpecsDir, readSpecSums } from './spec/spec-dir.js';
export { compileScimFilter } from './apis/scim-filter.js';
export { REGION_DATACENTERS, registrationHost as simRegistrationHost } from './state/regions.js';
export { rateLimited } from './http/dispatcher.js';
export { runCli, parseCliArgs, describeSimulator, CLI_USAGE, CliUsageError, type CliOptions } from './cli-run.js';
export {
  findConnectionReferences as findScriptConnectionReferences,
  expandVariables,
  type ConnectionReference as ScriptConnectionReference,
} from './content/script.js';
export { IdGenerator } from './state/ids.js';
export { LicenseSigner, type LicensePayload } from './state/license-keys.js';
export type { JsonObject } from './spec/catalog.js';
export type { RecordFilter } from './apis/scim-filter.js';
export type { RequestToValidate, ResponseToValidate } from './spec/validator.js';
// The QSEoW sites' QIX backend (the QIX plugin builds it) and the databases its reloads open.
export { QseowQixBackend } from './qix/qseow-backend.js';
export type { Databases, DataConnection, EmbeddedDatabase } from './engine/script/databases.js';
export type { EmbeddedPostgres } from './engine/script/embedded-postgres.js';
export type { DatabaseProperties } from './engine/script/connect-string.js';
export type { OpenConnection, RowSet } from './engine/script/interpreter.js';
export type { Formats } from './engine/script/values.js';
