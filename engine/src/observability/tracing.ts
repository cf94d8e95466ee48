import { type Attributes, context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Logger } from '../logger.ts';

/**
 * Tend's spans. Until an OpenTelemetry SDK registers (startTracing), the API hands out no-op
 * spans that cost next to nothing, so instrumented code needs no "is tracing on" checks.
 */
/** Runs `work` in a span (a child of the active one), recording a thrown error on it. */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  work: () => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  // Asked for each time: a tracer taken before the SDK registers would stay a no-op.
  return trace.getTracer('tend').startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Tracing, when OTEL_EXPORTER_OTLP_ENDPOINT names a collector. */
export interface Tracing {
  stop(): Promise<void>;
}

/**
 * Registers the OpenTelemetry SDK for this process: spans go in batches over OTLP/HTTP to
 * `endpoint`/v1/traces, and the context follows async work (AsyncLocalStorage) and travels as W3C
 * `traceparent`. pg-boss adds its own producer and consumer spans and carries the context on each
 * job, so one event's trace runs from its HTTP request through dispatch, steps and the provider
 * call, across processes. Loaded only when configured.
 */
export async function startTracing(endpoint: string, log: Logger): Promise<Tracing> {
  const [sdk, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }, otlp, resources] =
    await Promise.all([
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/core'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  const provider = new sdk.TracerProvider({
    resource: resources.resourceFromAttributes({ 'service.name': 'tend', 'process.pid': process.pid }),
    spanProcessors: [
      new sdk.BatchSpanProcessor({
        exporter: new otlp.OTLPTraceExporter({ url: `${endpoint}/v1/traces` }),
        scheduledDelayMillis: 1000,
      }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  log.info(`tracing: spans go to ${endpoint}/v1/traces`);
  return {
    async stop() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
