/**
 * `@qlik-oem/core/tracing`: the spans the SDK makes, through `@opentelemetry/api` (a peer dependency, loaded only
 * once the application registers an SDK). A subpath of its own so that the root's types do not name
 * OpenTelemetry's: a partner who does not trace never loads them.
 *
 * @module tracing
 */
export { withSpan, type Span } from './tracing.js';
