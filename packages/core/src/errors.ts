// The SDK's error taxonomy, one file per family under errors/; this module is their single import point.
// Each family's exports all belong here, so they are re-exported whole; base.ts also holds the brand
// internals (BRAND, kindOf), so only its public names are.
export { QlikError, type QlikErrorKind, type QlikErrorOptions } from './errors/base.js';
export * from './errors/body.js';
export * from './errors/guards.js';
export * from './errors/http.js';
export * from './errors/page-limit.js';
export * from './errors/request.js';
export * from './errors/validation.js';
export * from './errors/wait-timeout.js';
