import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * What one engine process counts, in Prometheus' format (`GET /metrics`). One registry per
 * engine, not prom-client's global one: tests run several engines in one process, and each must
 * count only its own work. Names follow Prometheus' conventions (`_total`, `_seconds`).
 */
export interface EngineMetrics {
  registry: Registry;
  eventsIngested: Counter<'source'>;
  transitions: Counter;
  runsStarted: Counter;
  runsEnded: Counter<'status'>;
  stepDuration: Histogram<'plugin' | 'step' | 'outcome'>;
  timerLateness: Histogram;
  queueDepth: Gauge<'queue' | 'state'>;
  outboxMessages: Counter<'channel' | 'status' | 'reason'>;
  providerDuration: Histogram<'provider' | 'outcome'>;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  /** Where the queue-depth gauge reads from on each scrape (set once pg-boss runs). */
  readQueuesWith(depths: QueueDepths): void;
}

/** Depths of the engine's queues, read when Prometheus scrapes (one query, not per job). */
export type QueueDepths = () => Promise<{ queue: string; queued: number; active: number }[]>;

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LATENESS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300];

export function createMetrics(options: { processMetrics?: boolean } = {}): EngineMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'tend_' });
  const registers = [registry];
  let depths: QueueDepths | null = null;
  return {
    registry,
    eventsIngested: new Counter({
      name: 'tend_events_ingested_total',
      help: 'Events stored, by how they came in (api, batch, engine, plugin)',
      labelNames: ['source'],
      registers,
    }),
    transitions: new Counter({
      name: 'tend_transitions_total',
      help: 'Durable run transitions committed',
      registers,
    }),
    runsStarted: new Counter({
      name: 'tend_runs_started_total',
      help: 'Runs started (customers entering journeys), committed',
      registers,
    }),
    runsEnded: new Counter({
      name: 'tend_runs_ended_total',
      help: 'Runs ended, committed, by status (completed, failed, cancelled)',
      labelNames: ['status'],
      registers,
    }),
    stepDuration: new Histogram({
      name: 'tend_step_duration_seconds',
      help: 'Time plugin steps took, by plugin, step and outcome (done, wait, defer, failed:<code>)',
      labelNames: ['plugin', 'step', 'outcome'],
      buckets: SECONDS,
      registers,
    }),
    timerLateness: new Histogram({
      name: 'tend_timer_lateness_seconds',
      help: 'How long after its due time a timer fired',
      buckets: LATENESS,
      registers,
    }),
    queueDepth: new Gauge({
      name: 'tend_queue_depth',
      help: 'Jobs waiting (queued) and being worked on (active), by queue',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const q of (await depths?.()) ?? []) {
          this.set({ queue: q.queue, state: 'queued' }, q.queued);
          this.set({ queue: q.queue, state: 'active' }, q.active);
        }
      },
    }),
    outboxMessages: new Counter({
      name: 'tend_outbox_messages_total',
      help: 'Messages recorded in the outbox, by channel, status (sent, skipped, deferred, failed) and reason',
      labelNames: ['channel', 'status', 'reason'],
      registers,
    }),
    providerDuration: new Histogram({
      name: 'tend_provider_duration_seconds',
      help: 'Time message providers took to accept or refuse a message, by provider and outcome',
      labelNames: ['provider', 'outcome'],
      buckets: SECONDS,
      registers,
    }),
    httpRequests: new Counter({
      name: 'tend_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'tend_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by method and route pattern',
      labelNames: ['method', 'route'],
      buckets: SECONDS,
      registers,
    }),
    readQueuesWith(reader) {
      depths = reader;
    },
  };
}
