import type { CatalogSpec, CompiledCatalog } from '@candor/catalog';
import type { Random } from '../linkage/sample-period.js';
import type { Transport } from '../transport/types.js';
import type { TelemetryDiagnostic } from './diagnostics.js';

/** Options of `createTelemetry`. Every field but `catalog` and `dataDir` is optional. */
export interface TelemetryOptions<S extends CatalogSpec = CatalogSpec> {
  /** The catalog, from `defineCatalog`; `record()` is typed from it. */
  readonly catalog: S;
  /** Base URL of the collector (`https://telemetry.example.com`). Required unless `transport` is given. */
  readonly endpoint?: string;
  /** Directory for the outbox, consent choices, install secret and sent log; created with mode 0700. */
  readonly dataDir: string;
  /** How often events in memory are written to the outbox in one transaction (the most `kill -9` can lose). @default 1000 */
  readonly commitIntervalMs?: number;
  /**
   * How long events wait before a batch leaves, unless a full batch is ready. Sending in
   * coarse rounds keeps the arrival time of a request from telling when something happened.
   * @default 600000
   */
  readonly flushIntervalMs?: number;
  /** Most events per batch. @default 1000 (LIMITS.maxEventsPerBatch) */
  readonly maxBatchEvents?: number;
  /** Most uncompressed bytes per batch body. @default 1048576 */
  readonly maxBatchBytes?: number;
  /** Most events held in memory between two commits; more are dropped as `buffer_full`. @default 100000 */
  readonly maxBufferedEvents?: number;
  /** Most bytes the outbox holds; beyond, the oldest events are dropped as `queue_full`. @default 33554432 */
  readonly maxOutboxBytes?: number;
  /** Longest an event waits in the outbox before it is dropped as `expired`. @default 604800000 (7 days) */
  readonly maxEventAgeMs?: number;
  /** Most requests in flight at once. @default 2 */
  readonly maxConcurrentRequests?: number;
  /** Deadline of one HTTP request. @default 10000 */
  readonly timeoutMs?: number;
  /** Attempts per request before the outbox keeps the batch for a later round. @default 3 */
  readonly maxAttempts?: number;
  /** Backoff base between attempts of one request (full jitter). @default 1000 */
  readonly initialBackoffMs?: number;
  /** Longest wait between attempts of one request; a longer Retry-After is left to the outbox. @default 30000 */
  readonly maxBackoffMs?: number;
  /** Backoff base between rounds for a batch the collector keeps refusing to take. @default 30000 */
  readonly retryBaseMs?: number;
  /** Longest wait between rounds. @default 3600000 */
  readonly maxRetryDelayMs?: number;
  /** Rounds after which a batch is given up as `send_failed`. @default 200 */
  readonly maxSendRounds?: number;
  /** Whether to gzip request bodies. @default true */
  readonly gzip?: boolean;
  /** Days the sent log keeps an entry. @default 30 */
  readonly sentLogRetentionDays?: number;
  /** Most bytes the sent log keeps; the oldest entries go first. @default 16777216 */
  readonly maxSentLogBytes?: number;
  /** How long `shutdown()` tries to send what is queued before leaving it for the next start. @default 2000 */
  readonly shutdownTimeoutMs?: number;
  /** How long `deleteMyData()` / `exportMyData()` wait for the collector before answering. @default 15000 */
  readonly subjectRequestTimeoutMs?: number;
  /** Persist everything in memory on SIGTERM, then let the signal take its course. @default false */
  readonly handleSignals?: boolean;
  /** Replaces the HTTP layer (the retry and concurrency layers still wrap it); see `@candor/sdk/testing`. */
  readonly transport?: Transport;
  /** Clock, in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Uniform random numbers in [0, 1) for sampling, shuffling and jitter. @default a pooled CSPRNG */
  readonly random?: Random;
  /** Random bytes for batch keys. @default crypto.randomBytes */
  readonly randomBytes?: (n: number) => Uint8Array;
  /** Receives warnings and retry notices. @default warnings go to process.emitWarning */
  readonly onDiagnostic?: (diagnostic: TelemetryDiagnostic) => void;
  /** Turns telemetry off entirely, as `CANDOR_TELEMETRY=off` does. @default false */
  readonly disabled?: boolean;
  /** Turns every optional category off, as `DO_NOT_TRACK=1` does. @default false */
  readonly doNotTrack?: boolean;
  /** Prints each batch to stderr and sends nothing, as `CANDOR_DEBUG=1` does. @default false */
  readonly debug?: boolean;
  /** The environment to read `CANDOR_TELEMETRY`, `DO_NOT_TRACK` and `CANDOR_DEBUG` from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Options after defaults, environment and validation: what the client runs with. */
export interface ResolvedTelemetryOptions<S extends CatalogSpec = CatalogSpec> {
  readonly catalog: S;
  readonly compiled: CompiledCatalog;
  readonly endpoint: URL | null;
  readonly dataDir: string;
  readonly commitIntervalMs: number;
  readonly flushIntervalMs: number;
  readonly maxBatchEvents: number;
  readonly maxBatchBytes: number;
  readonly maxBufferedEvents: number;
  readonly maxOutboxBytes: number;
  readonly maxEventAgeMs: number;
  readonly maxConcurrentRequests: number;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly retryBaseMs: number;
  readonly maxRetryDelayMs: number;
  readonly maxSendRounds: number;
  readonly gzip: boolean;
  readonly sentLogRetentionDays: number;
  readonly maxSentLogBytes: number;
  readonly shutdownTimeoutMs: number;
  readonly subjectRequestTimeoutMs: number;
  readonly handleSignals: boolean;
  readonly transport: Transport | null;
  readonly now: () => number;
  readonly random: Random;
  readonly randomBytes: (n: number) => Uint8Array;
  readonly onDiagnostic: (diagnostic: TelemetryDiagnostic) => void;
  readonly disabled: boolean;
  readonly doNotTrack: boolean;
  readonly debug: boolean;
  /** Environment values that were not understood, reported once the client starts. */
  readonly envWarnings: readonly string[];
}
