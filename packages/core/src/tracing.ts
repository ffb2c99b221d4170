// OpenTelemetry spans through @opentelemetry/api: a no-op until the application registers an SDK.
// The API (about 50 CommonJS files, most of core's cold import) is loaded only once something is
// registered with it, so an application without OpenTelemetry never loads it.
import type { Attributes, Span, SpanContext, Tracer } from '@opentelemetry/api';

type OpenTelemetryApi = typeof import('@opentelemetry/api');

// Where every copy of @opentelemetry/api 1.x keeps what the application registered (a tracer provider,
// a context manager, ...): absent, no span would be recorded nor any context propagated.
const REGISTRY = Symbol.for('opentelemetry.js.api.1');

let api: OpenTelemetryApi | undefined;
// A proxy tracer: it follows whatever provider the application registers, before or after the first span.
let tracer: Tracer | undefined;

export type { Span };

const INVALID_CONTEXT: SpanContext = { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 };

// What the API's own tracer hands out while no SDK is registered: records nothing.
const nonRecordingSpan: Span = {
  spanContext: () => INVALID_CONTEXT,
  setAttribute: () => nonRecordingSpan,
  setAttributes: () => nonRecordingSpan,
  addEvent: () => nonRecordingSpan,
  addLink: () => nonRecordingSpan,
  addLinks: () => nonRecordingSpan,
  setStatus: () => nonRecordingSpan,
  updateName: () => nonRecordingSpan,
  end: () => undefined,
  isRecording: () => false,
  recordException: () => undefined,
};

/** Whether spans can be recorded at all: something registered with @opentelemetry/api (or it was loaded). */
export function tracingRegistered(): boolean {
  return api !== undefined || REGISTRY in globalThis;
}

/**
 * Runs `fn` in an active span (children created inside it nest under it). A throw ends the span as an
 * error with the error's class name only: messages may quote server texts, attributes never hold secrets.
 */
export async function withSpan<T>(
  name: string,
  options: { attributes?: Attributes; kind?: 'client' | 'internal' },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  if (!tracingRegistered()) return fn(nonRecordingSpan);
  api ??= await import('@opentelemetry/api');
  const { SpanKind, SpanStatusCode, trace } = api;
  tracer ??= trace.getTracer('@qlik-oem/sdk');
  const kind = options.kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL;
  return tracer.startActiveSpan(
    name,
    { kind, ...(options.attributes ? { attributes: options.attributes } : {}) },
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        const type = error instanceof Error ? error.name : typeof error;
        span.setAttribute('error.type', type);
        span.setStatus({ code: SpanStatusCode.ERROR, message: type });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
