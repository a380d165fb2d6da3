import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LIMITS } from '@candor/protocol';
import { CollectorConfigError } from '../errors.js';
import { parseClickHouseUrls } from '../storage/clickhouse/parse-clickhouse-urls.js';

/** Options of a collector; every field is optional and has a default. */
export interface CollectorOptions {
  /** TCP port; 0 picks a free one. @default 8080 */
  readonly port?: number;
  /** Interface to listen on. @default '0.0.0.0' */
  readonly host?: string;
  /** Directory of the store (DuckDB file) and the generated admin token. @default './candor-data' */
  readonly dataDir?: string;
  /** Module that exports the catalog (path or package specifier). @default '@candor/catalog/media-server' */
  readonly catalog?: string;
  /** Smallest number of distinct installs behind a released cell. @default 10 */
  readonly k?: number;
  /** Bearer token of the statistics API; generated into `<dataDir>/admin-token` when absent. @default undefined */
  readonly adminToken?: string;
  /** Whether to take the client address from X-Forwarded-For (behind a proxy you run). @default false */
  readonly trustProxy?: boolean;
  /** pino log level. @default 'info' */
  readonly logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Largest request body on the wire, in bytes. @default LIMITS.maxCompressedBytes */
  readonly maxCompressedBytes?: number;
  /** Largest body after decompression, in bytes. @default LIMITS.maxDecompressedBytes */
  readonly maxDecompressedBytes?: number;
  /** Most events per batch. @default LIMITS.maxEventsPerBatch */
  readonly maxEventsPerBatch?: number;
  /** Deepest JSON nesting. @default LIMITS.maxJsonDepth */
  readonly maxJsonDepth?: number;
  /** Largest request header section, in bytes (Node's maxHeaderSize). @default 16384 */
  readonly maxHeaderBytes?: number;
  /** Longest time to receive a whole request. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Longest time to receive the request headers. @default 10000 */
  readonly headersTimeoutMs?: number;
  /** Batches whose period ended longer ago are refused. @default 31 */
  readonly maxPeriodAgeDays?: number;
  /** How far ahead of the collector a client clock may run. @default 3600000 */
  readonly clockSkewMs?: number;
  /** Batches per minute per client address; 0 disables. @default 600 */
  readonly ingestPerMinute?: number;
  /** Subject requests (delete and export) per hour per client address; 0 disables. @default 60 */
  readonly subjectsPerHour?: number;
  /** Statistics queries per minute per client address; 0 disables. @default 120 */
  readonly statsPerMinute?: number;
  /** Epsilon each dataset may spend per UTC day. @default 4 */
  readonly dailyEpsilon?: number;
  /** Largest epsilon of one query. @default 2 */
  readonly maxEpsilonPerQuery?: number;
  /** Serve `/metrics` without the admin token (for a scraper on a network you trust). @default false */
  readonly publicMetrics?: boolean;
  /** Release noised statistics only. @default false */
  readonly requireNoise?: boolean;
  /** Longest statistics range, in days. @default 800 */
  readonly maxRangeDays?: number;
  /** How often retention runs. @default 3600000 */
  readonly retentionIntervalMs?: number;
  /** How often rollups are brought up to date. @default 60000 */
  readonly rollupIntervalMs?: number;
  /** Longest wait for requests in flight at shutdown. @default 10000 */
  readonly shutdownTimeoutMs?: number;
  /** Storage engine: the embedded DuckDB file, or ClickHouse shards for a large fleet (docs/scale.md). @default 'duckdb' */
  readonly store?: 'duckdb' | 'clickhouse';
  /** ClickHouse HTTP URLs, one per shard, comma-separated, in the order of the cluster's `<remote_servers>`. @default undefined */
  readonly clickhouseUrl?: string;
  /** ClickHouse database holding Candor's tables. @default 'candor' */
  readonly clickhouseDatabase?: string;
  /** ClickHouse cluster (in `<remote_servers>`) over which Distributed tables read. @default 'candor' */
  readonly clickhouseCluster?: string;
  /** ZooKeeper path prefix: when set, ClickHouse tables are ReplicatedMergeTree under `<prefix>/{shard}/<db>/<table>`. @default undefined */
  readonly clickhouseReplicatedPath?: string;
  /** `insert_quorum` of every ClickHouse insert (replicated tables; 0 is off). @default 0 */
  readonly clickhouseInsertQuorum?: number;
  /** Least time between two ClickHouse group commits per shard. @default 1000 */
  readonly clickhouseFlushIntervalMs?: number;
  /** Path of a JSON file with any of these options (the environment and flags override it). @default undefined */
  readonly configFile?: string;
}

/** Fully resolved options. */
export type ResolvedCollectorOptions = Required<Omit<CollectorOptions, 'adminToken' | 'configFile' | 'clickhouseUrl' | 'clickhouseReplicatedPath'>> & {
  readonly clickhouseUrl: string | undefined;
  readonly clickhouseReplicatedPath: string | undefined;
  readonly adminToken: string | undefined;
  readonly configFile: string | undefined;
};

type Kind = 'int' | 'number' | 'string' | 'boolean' | 'level';

// Every option: its type, environment variable, default and smallest value.
const SPEC: { readonly [K in keyof CollectorOptions]-?: { kind: Kind; env: string; fallback: unknown; min?: number; max?: number } } = {
  port: { kind: 'int', env: 'CANDOR_PORT', fallback: 8080, min: 0, max: 65535 },
  host: { kind: 'string', env: 'CANDOR_HOST', fallback: '0.0.0.0' },
  dataDir: { kind: 'string', env: 'CANDOR_DATA_DIR', fallback: './candor-data' },
  catalog: { kind: 'string', env: 'CANDOR_CATALOG', fallback: '@candor/catalog/media-server' },
  k: { kind: 'int', env: 'CANDOR_K', fallback: 10, min: 2 },
  adminToken: { kind: 'string', env: 'CANDOR_ADMIN_TOKEN', fallback: undefined },
  trustProxy: { kind: 'boolean', env: 'CANDOR_TRUST_PROXY', fallback: false },
  logLevel: { kind: 'level', env: 'CANDOR_LOG_LEVEL', fallback: 'info' },
  maxCompressedBytes: { kind: 'int', env: 'CANDOR_MAX_COMPRESSED_BYTES', fallback: LIMITS.maxCompressedBytes, min: 1024 },
  maxDecompressedBytes: { kind: 'int', env: 'CANDOR_MAX_DECOMPRESSED_BYTES', fallback: LIMITS.maxDecompressedBytes, min: 1024 },
  maxEventsPerBatch: { kind: 'int', env: 'CANDOR_MAX_EVENTS_PER_BATCH', fallback: LIMITS.maxEventsPerBatch, min: 1 },
  maxJsonDepth: { kind: 'int', env: 'CANDOR_MAX_JSON_DEPTH', fallback: LIMITS.maxJsonDepth, min: 4 },
  maxHeaderBytes: { kind: 'int', env: 'CANDOR_MAX_HEADER_BYTES', fallback: 16_384, min: 1024 },
  requestTimeoutMs: { kind: 'int', env: 'CANDOR_REQUEST_TIMEOUT_MS', fallback: 30_000, min: 100 },
  headersTimeoutMs: { kind: 'int', env: 'CANDOR_HEADERS_TIMEOUT_MS', fallback: 10_000, min: 100 },
  maxPeriodAgeDays: { kind: 'int', env: 'CANDOR_MAX_PERIOD_AGE_DAYS', fallback: 31, min: 1 },
  clockSkewMs: { kind: 'int', env: 'CANDOR_CLOCK_SKEW_MS', fallback: 3_600_000, min: 0 },
  ingestPerMinute: { kind: 'int', env: 'CANDOR_INGEST_PER_MINUTE', fallback: 600, min: 0 },
  subjectsPerHour: { kind: 'int', env: 'CANDOR_SUBJECTS_PER_HOUR', fallback: 60, min: 0 },
  statsPerMinute: { kind: 'int', env: 'CANDOR_STATS_PER_MINUTE', fallback: 120, min: 0 },
  dailyEpsilon: { kind: 'number', env: 'CANDOR_DAILY_EPSILON', fallback: 4, min: 0 },
  maxEpsilonPerQuery: { kind: 'number', env: 'CANDOR_MAX_EPSILON_PER_QUERY', fallback: 2, min: 0 },
  publicMetrics: { kind: 'boolean', env: 'CANDOR_PUBLIC_METRICS', fallback: false },
  requireNoise: { kind: 'boolean', env: 'CANDOR_REQUIRE_NOISE', fallback: false },
  maxRangeDays: { kind: 'int', env: 'CANDOR_MAX_RANGE_DAYS', fallback: 800, min: 1 },
  retentionIntervalMs: { kind: 'int', env: 'CANDOR_RETENTION_INTERVAL_MS', fallback: 3_600_000, min: 1000 },
  rollupIntervalMs: { kind: 'int', env: 'CANDOR_ROLLUP_INTERVAL_MS', fallback: 60_000, min: 1000 },
  shutdownTimeoutMs: { kind: 'int', env: 'CANDOR_SHUTDOWN_TIMEOUT_MS', fallback: 10_000, min: 0 },
  store: { kind: 'string', env: 'CANDOR_STORE', fallback: 'duckdb' },
  clickhouseUrl: { kind: 'string', env: 'CANDOR_CLICKHOUSE_URL', fallback: undefined },
  clickhouseDatabase: { kind: 'string', env: 'CANDOR_CLICKHOUSE_DATABASE', fallback: 'candor' },
  clickhouseCluster: { kind: 'string', env: 'CANDOR_CLICKHOUSE_CLUSTER', fallback: 'candor' },
  clickhouseReplicatedPath: { kind: 'string', env: 'CANDOR_CLICKHOUSE_REPLICATED_PATH', fallback: undefined },
  clickhouseInsertQuorum: { kind: 'int', env: 'CANDOR_CLICKHOUSE_INSERT_QUORUM', fallback: 0, min: 0, max: 16 },
  clickhouseFlushIntervalMs: { kind: 'int', env: 'CANDOR_CLICKHOUSE_FLUSH_INTERVAL_MS', fallback: 1000, min: 0, max: 60_000 },
  configFile: { kind: 'string', env: 'CANDOR_CONFIG', fallback: undefined },
};

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function coerce(name: string, kind: Kind, value: unknown, from: string, min?: number, max?: number): unknown {
  const bad = (expected: string): CollectorConfigError => new CollectorConfigError('CONFIG_INVALID_VALUE', `${name} (from ${from}) must be ${expected}`);
  switch (kind) {
    case 'int':
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n) || (kind === 'int' && !Number.isInteger(n))) throw bad(kind === 'int' ? 'a whole number' : 'a number');
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) throw bad(`between ${min ?? '-∞'} and ${max ?? '∞'}`);
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      throw bad('true or false');
    case 'level':
      if (typeof value !== 'string' || !LEVELS.has(value)) throw bad([...LEVELS].join(', '));
      return value;
    default:
      if (typeof value !== 'string' || value === '') throw bad('a non-empty string');
      return value;
  }
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(resolve(path), 'utf8'));
  } catch (error) {
    throw new CollectorConfigError('CONFIG_FILE_UNREADABLE', `cannot read config file ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CollectorConfigError('CONFIG_FILE_UNREADABLE', `config file ${path} must hold a JSON object`);
  return parsed as Record<string, unknown>;
}

/**
 * Resolves collector options once: defaults, then the JSON config file (`configFile` or
 * `CANDOR_CONFIG`), then `CANDOR_*` environment variables, then `user` (command-line flags).
 * The only place that reads the environment. Throws a {@link CollectorConfigError} naming the
 * option and where its bad value came from.
 * @example resolveCollectorOptions({ port: 0, dataDir: '/var/lib/candor' }, process.env)
 */
export function resolveCollectorOptions(user: CollectorOptions = {}, env: Readonly<Record<string, string | undefined>> = {}): ResolvedCollectorOptions {
  for (const key of Object.keys(user)) if (!Object.hasOwn(SPEC, key)) throw new CollectorConfigError('CONFIG_UNKNOWN_OPTION', `unknown option "${key}"`);
  const configFile = (user.configFile ?? env[SPEC.configFile.env]) || undefined;
  const file = configFile === undefined ? {} : readConfigFile(configFile);
  for (const key of Object.keys(file)) if (!Object.hasOwn(SPEC, key) || key === 'configFile') throw new CollectorConfigError('CONFIG_UNKNOWN_OPTION', `unknown option "${key}" in ${configFile}`);
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(SPEC)) {
    const layers: [unknown, string][] = [
      [(user as Record<string, unknown>)[name], 'the command line'],
      [env[spec.env], spec.env],
      [file[name], configFile ?? 'the config file'],
    ];
    const hit = layers.find(([v]) => v !== undefined);
    out[name] = hit === undefined ? spec.fallback : coerce(name, spec.kind, hit[0], hit[1], spec.min, spec.max);
  }
  out.configFile = configFile;
  const resolved = out as ResolvedCollectorOptions;
  if (resolved.maxDecompressedBytes < resolved.maxCompressedBytes) {
    throw new CollectorConfigError('CONFIG_INVALID_VALUE', 'maxDecompressedBytes must be at least maxCompressedBytes');
  }
  if (resolved.store !== 'duckdb' && resolved.store !== 'clickhouse') {
    throw new CollectorConfigError('CONFIG_INVALID_VALUE', `store must be "duckdb" or "clickhouse", not "${String(resolved.store).slice(0, 40)}"`);
  }
  if (resolved.store === 'clickhouse') parseClickHouseUrls(resolved.clickhouseUrl);
  if (resolved.adminToken !== undefined && resolved.adminToken.length < 16) {
    throw new CollectorConfigError('CONFIG_INVALID_VALUE', 'adminToken must be at least 16 characters long');
  }
  return resolved;
}
