/**
 * `@qlik-oem/core/advanced`: the building blocks of the transport, for code that builds its own piece of it:
 * a rate limiter over shared storage (`bucketWindow` is the window arithmetic every limiter must agree on),
 * a queue's retry delays on the transport's backoff (`backoffMs`), a request that must follow an
 * `AbortSignal` (`raceAbort`), reading Qlik's error bodies and `Retry-After` headers by hand, or a synchronous
 * SHA-256 that runs in every runtime (`sha256Hex`, for fingerprints and content hashes).
 * A partner calling Qlik needs none of it: `@qlik-oem/core` has the transport, errors, pacing and waits.
 *
 * @module advanced
 */
export { bucketWindow } from './limiter.js';
export { backoffMs, type ResolvedRetry } from './retry-policy.js';
export { raceAbort } from './signals.js';
export { parseErrorBody, parseRetryAfter } from './errors.js';
export { isSafeHeader, isSecretQueryParam } from './redact.js';
export { sha256Hex } from './sha256.js';
