// OpenTelemetry spans through @opentelemetry/api: a no-op until the application registers an SDK.
import { SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

// A proxy tracer: it follows whatever provider the application registers, even after this module loaded.
const tracer = trace.getTracer('@qlik-oem/sdk');

export type { Span };

/**
 * Runs `fn` in an active span (children created inside it nest under it). A throw ends the span as an
 * error with the error's class name only: messages may quote server texts, attributes never hold secrets.
 */
export function withSpan<T>(
  name: string,
  options: { attributes?: Attributes; kind?: 'client' | 'internal' },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
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
