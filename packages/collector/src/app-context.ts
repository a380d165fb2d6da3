import type { FastifyRequest } from 'fastify';
import type { CatalogRegistry } from './catalogs/catalog-registry.js';
import type { ResolvedCollectorOptions } from './config/resolve-collector-options.js';
import type { CollectorMetrics } from './ops/collector-metrics.js';
import type { ActivityMeasure } from './release/active-estimate.js';
import type { UniformSource } from './release/noise.js';
import type { CollectorStore } from './storage/contract.js';
import type { Logger } from 'pino';

/** What a collector app is built from. */
export interface AppDeps {
  readonly store: CollectorStore;
  readonly registry: CatalogRegistry;
  readonly options: ResolvedCollectorOptions;
  /** The bearer token of the statistics API. */
  readonly adminToken: string;
  /** @default a silent logger */
  readonly logger?: Logger;
  /** @default fresh metrics with process metrics */
  readonly metrics?: CollectorMetrics;
  /** @default Date.now */
  readonly now?: () => number;
  /** Randomness for differential-privacy noise. @default the operating system's CSPRNG */
  readonly uniform?: UniformSource;
  /** Where activity estimates come from. @default server.daily with activeDays7 / activeDays28 */
  readonly activity?: ActivityMeasure;
}

/** Per-route rate limit names. */
export type LimitName = 'ingest' | 'subjects' | 'stats';

/** State shared by the routes of one app. */
export interface AppContext {
  readonly deps: AppDeps;
  readonly now: () => number;
  readonly metrics: CollectorMetrics;
  readonly activity: ActivityMeasure;
  /** True once shutdown began: readiness fails and new requests are refused. */
  closing: boolean;
  /** Refuses the request unless it carries the admin bearer token. */
  requireAdmin(request: FastifyRequest): void;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The rate limit this route counts against. */
    limit?: LimitName;
  }
  interface FastifyInstance {
    /** Refuses new requests (503 SHUTTING_DOWN) and waits for those in flight; false when `timeoutMs` passed first. */
    drainRequests(timeoutMs: number): Promise<boolean>;
  }
}

