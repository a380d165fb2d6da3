export { createApp } from './app.js';
export type { AppDeps, AppContext } from './app-context.js';
export { startCollector } from './start-collector.js';
export type { RunningCollector, StartCollectorDeps } from './start-collector.js';
export { resolveCollectorOptions } from './config/resolve-collector-options.js';
export type { CollectorOptions, ResolvedCollectorOptions } from './config/resolve-collector-options.js';
export { createCatalogRegistry } from './catalogs/catalog-registry.js';
export type { CatalogRegistry } from './catalogs/catalog-registry.js';
export { CollectorError, StoreUnavailableError, CollectorConfigError, COLLECTOR_CONFIG_ERROR_CODES } from './errors.js';
export type { ErrorDetail, CollectorConfigErrorCode } from './errors.js';
export { createDuckDbStore } from './storage/duckdb/duckdb-store.js';
export type { DuckDbStore, DuckDbStoreOptions } from './storage/duckdb/duckdb-store.js';
export type { EventLayout, StoreLayout } from './storage/duckdb/schema.js';
export type {
  CollectorStore,
  StoreSchema,
  StoredEventSchema,
  StoredField,
  StoredFieldType,
  AppendBatch,
  AppendEvent,
  AppendResult,
  EventTally,
  AggregateQuery,
  AggregateCell,
  Granularity,
  SubjectSelector,
  StoredEvent,
  RetentionRequest,
  RetentionResult,
  BudgetSpend,
  BudgetResult,
  StoreHealth,
} from './storage/contract.js';
export { ContributionLedger } from './storage/contribution-ledger.js';
export { createLogger } from './ops/create-logger.js';
export { createCollectorMetrics } from './ops/collector-metrics.js';
export type { CollectorMetrics } from './ops/collector-metrics.js';
export { retentionRequest } from './ops/retention.js';
export { createPeriodicTask } from './ops/periodic-task.js';
export { noisyCount } from './release/noise.js';
export type { NoiseMechanism } from './release/noise.js';
export type { StatsAnswer, ReleasedCell } from './release/release-stats.js';
export type { ActiveAnswer, ActiveCell, ActivityMeasure } from './release/active-estimate.js';
export { createFleet } from './load/fleet.js';
export type { Fleet, FleetOptions } from './load/fleet.js';
export { runLoad, prepareBatch, fleetBatches, formatLoadReport } from './load/run-load.js';
export type { LoadOptions, LoadReport, PreparedBatch } from './load/run-load.js';
export { percentiles } from './load/percentile.js';
export type { Percentiles } from './load/percentile.js';
