import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The collector's Prometheus metrics, on a registry of its own (never the global one). */
export interface CollectorMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'route' | 'status'>;
  readonly httpDuration: Histogram<'route'>;
  readonly batches: Counter<'outcome'>;
  readonly rejections: Counter<'code'>;
  readonly eventsAccepted: Counter<'event'>;
  readonly eventsBounded: Counter<'event'>;
  readonly statsQueries: Counter<'endpoint' | 'outcome'>;
  readonly budgetRefusals: Counter<'dataset'>;
  readonly subjectRequests: Counter<'kind'>;
  readonly subjectEventsDeleted: Counter;
  readonly retentionDeleted: Counter<'event'>;
  readonly rateLimited: Counter<'limit'>;
}

/** Creates the metrics; `withDefaults` adds Node process metrics (heap, event loop lag, CPU). */
export function createCollectorMetrics(withDefaults = true): CollectorMetrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry, prefix: 'candor_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({ name: 'candor_http_requests_total', help: 'HTTP requests answered, by route and status.', labelNames: ['route', 'status'], registers }),
    httpDuration: new Histogram({ name: 'candor_http_request_duration_seconds', help: 'Time to answer HTTP requests, by route.', labelNames: ['route'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers }),
    batches: new Counter({ name: 'candor_batches_total', help: 'Batches received, by outcome (accepted, duplicate, rejected, unavailable).', labelNames: ['outcome'], registers }),
    rejections: new Counter({ name: 'candor_rejections_total', help: 'Requests refused, by error code.', labelNames: ['code'], registers }),
    eventsAccepted: new Counter({ name: 'candor_events_accepted_total', help: 'Events stored, by event.', labelNames: ['event'], registers }),
    eventsBounded: new Counter({ name: 'candor_events_bounded_total', help: "Events over the catalog's per-period bound, counted and not stored, by event.", labelNames: ['event'], registers }),
    statsQueries: new Counter({ name: 'candor_stats_queries_total', help: 'Statistics queries, by endpoint and outcome.', labelNames: ['endpoint', 'outcome'], registers }),
    budgetRefusals: new Counter({ name: 'candor_privacy_budget_refusals_total', help: 'Queries refused because the daily privacy budget was spent, by dataset.', labelNames: ['dataset'], registers }),
    subjectRequests: new Counter({ name: 'candor_subject_requests_total', help: 'Subject requests served, by kind (delete, export).', labelNames: ['kind'], registers }),
    subjectEventsDeleted: new Counter({ name: 'candor_subject_events_deleted_total', help: 'Events deleted on subject request.', registers }),
    retentionDeleted: new Counter({ name: 'candor_retention_deleted_total', help: 'Events deleted by retention, by event.', labelNames: ['event'], registers }),
    rateLimited: new Counter({ name: 'candor_rate_limited_total', help: 'Requests refused by the per-client rate limit, by limit.', labelNames: ['limit'], registers }),
  };
}
