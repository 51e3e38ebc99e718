import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

type ProcessCounts = () => Promise<Record<'FAILED' | 'STUCK', number>>;

/**
 * Failed and stuck processes, counted when Prometheus scrapes. Scrapes that meet share one count;
 * when the count cannot be made (Temporal unreachable) the series disappear rather than go stale,
 * so that an alert on their absence fires.
 */
function processGauge(registry: Registry, onError: (error: unknown) => void) {
  let source: ProcessCounts | null = null;
  let inFlight: ReturnType<ProcessCounts> | null = null;
  const gauge = new Gauge({
    name: 'processes_needing_attention',
    help: 'Processes an operator should look at: FAILED (failed, timed out or terminated) and STUCK (a step retrying past STUCK_AFTER)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      if (!source) return;
      inFlight ??= source().finally(() => (inFlight = null));
      try {
        const counts = await inFlight;
        for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
      } catch (error) {
        this.reset();
        onError(error);
      }
    },
  });
  return {
    gauge,
    /** Where the counts come from: the API's view of Temporal and the stuck steps. */
    watch(counts: ProcessCounts) {
      source = counts;
    },
  };
}

export function createMetrics(service: string, options: { onError?: (error: unknown) => void } = {}) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    businessEvents: new Counter({
      name: 'business_events_total',
      help: 'Business actions accepted through the API, by action',
      labelNames: ['action'] as const,
      registers: [registry],
    }),
    exportPages: new Counter({
      name: 'export_pages_read_total',
      help: 'Pages of rows the streamed exports read from the database, by export; they stop while a client is not reading',
      labelNames: ['export'] as const,
      registers: [registry],
    }),
    processes: processGauge(registry, options.onError ?? (() => undefined)),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
