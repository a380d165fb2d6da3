import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { loadCatalogModule } from '@candor/catalog';
import { createApp } from './app.js';
import { createCatalogRegistry } from './catalogs/catalog-registry.js';
import type { ResolvedCollectorOptions } from './config/resolve-collector-options.js';
import { StoreUnavailableError } from './errors.js';
import { createCollectorMetrics } from './ops/collector-metrics.js';
import { createLogger } from './ops/create-logger.js';
import { createPeriodicTask } from './ops/periodic-task.js';
import { retentionRequest } from './ops/retention.js';
import type { CollectorStore } from './storage/contract.js';
import { createDuckDbStore } from './storage/duckdb/duckdb-store.js';
import { createClickHouseStore } from './storage/clickhouse/clickhouse-store.js';
import { clickHouseStoreOptions } from './storage/clickhouse/clickhouse-store-options.js';

/** A collector that is serving. */
export interface RunningCollector {
  readonly app: FastifyInstance;
  readonly store: CollectorStore;
  /** The base URL it listens on. */
  readonly url: string;
  readonly port: number;
  /** The admin bearer token of the statistics API. */
  readonly adminToken: string;
  /** Stops taking requests, drains those in flight (up to `shutdownTimeoutMs`), commits and closes the store. */
  close(): Promise<void>;
}

/** Overrides for embedding and tests. */
export interface StartCollectorDeps {
  readonly logger?: Logger;
  readonly now?: () => number;
  /** The store to use. @default DuckDB at `<dataDir>/candor.duckdb`, or ClickHouse with `store: 'clickhouse'` */
  readonly store?: CollectorStore;
}

/** The admin token: configured, or generated once into `<dataDir>/admin-token` (mode 0600) and reused. */
function adminTokenFor(options: ResolvedCollectorOptions): string {
  if (options.adminToken !== undefined) return options.adminToken;
  const path = join(options.dataDir, 'admin-token');
  try {
    const token = readFileSync(path, 'utf8').trim();
    if (token.length >= 16) return token;
  } catch {
    // not generated yet
  }
  const token = randomBytes(24).toString('base64url');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return token;
}

/**
 * Starts a collector: loads the catalog, opens the store (a locked or read-only store does not
 * stop it: it answers 503 until the store can commit), serves HTTP, and runs retention and
 * rollups on a schedule.
 * @example const c = await startCollector(resolveCollectorOptions({ port: 0, dataDir }, process.env));
 */
export async function startCollector(options: ResolvedCollectorOptions, deps: StartCollectorDeps = {}): Promise<RunningCollector> {
  const logger = deps.logger ?? createLogger({ level: options.logLevel });
  const now = deps.now ?? Date.now;
  mkdirSync(options.dataDir, { recursive: true });
  const registry = createCatalogRegistry(await loadCatalogModule(options.catalog));
  const adminToken = adminTokenFor(options);
  const store =
    deps.store ??
    (options.store === 'clickhouse'
      ? createClickHouseStore(clickHouseStoreOptions(options, now))
      : createDuckDbStore({ path: join(options.dataDir, 'candor.duckdb'), now }));
  try {
    await store.open(registry.schema);
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    logger.warn({ err: error }, 'the store is unavailable; answering 503 until it can commit');
  }
  const metrics = createCollectorMetrics();
  const app = createApp({ store, registry, options, adminToken, logger, metrics, now });
  const retention = createPeriodicTask({
    intervalMs: options.retentionIntervalMs,
    run: async () => {
      const result = await store.applyRetention(retentionRequest(registry, now(), options.maxPeriodAgeDays));
      for (const [event, n] of Object.entries(result.deletedByEvent)) if (n > 0) metrics.retentionDeleted.inc({ event }, n);
      logger.info({ deleted: result.deletedByEvent, batchKeysDeleted: result.batchKeysDeleted }, 'retention applied');
    },
    onError: (error) => logger.warn({ err: error }, 'retention failed; retrying at the next interval'),
  });
  const rollups = createPeriodicTask({
    intervalMs: options.rollupIntervalMs,
    run: () => store.maintain(),
    onError: (error) => logger.warn({ err: error }, 'rollup maintenance failed; retrying at the next interval'),
  });
  await app.listen({ port: options.port, host: options.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const url = `http://${options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host}:${port}`;
  logger.info({ port, catalog: `${registry.id} ${registry.current.version}`, k: options.k }, 'collector listening');
  retention.start();
  rollups.start();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await Promise.all([retention.stop(), rollups.stop()]);
      // Requests in flight finish; past the timeout their connections are cut. Nothing
      // acknowledged is lost either way: a batch is answered only after it committed.
      if (!(await app.drainRequests(options.shutdownTimeoutMs))) logger.warn('requests still in flight at the shutdown timeout; closing their connections');
      app.server.closeAllConnections();
      await app.close();
      await store.close();
      logger.info('collector stopped');
    })());
  return { app, store, url, port, adminToken, close };
}
