// Trace export for a CLI run: OTLP over HTTP when --otlp or the standard OTEL_* variables ask for it.
// The SDK packages only create spans through @opentelemetry/api; this registers the provider that exports them.

/** The endpoint to export to, from `--otlp` or OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, or undefined for no export. */
export function otlpEndpoint(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (flag) return flag;
  if (env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) return env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (base) return `${base.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

/** Registers a tracer provider exporting to `url`; the returned function flushes and shuts it down. */
export async function startTracing(url: string, env: NodeJS.ProcessEnv): Promise<() => Promise<void>> {
  // Loaded only when asked for: a run without tracing pays nothing.
  const [
    { context, trace },
    { AsyncLocalStorageContextManager },
    { BasicTracerProvider, BatchSpanProcessor },
    otlp,
    resources,
  ] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const provider = new BasicTracerProvider({
    resource: resources.resourceFromAttributes({ 'service.name': env['OTEL_SERVICE_NAME'] || 'qlik-oem' }),
    spanProcessors: [new BatchSpanProcessor(new otlp.OTLPTraceExporter({ url }))],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  return async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  };
}
