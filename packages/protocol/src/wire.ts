/** The protocol version this package speaks. Collectors accept every version listed in {@link SUPPORTED_PROTOCOL_VERSIONS}. */
export const PROTOCOL_VERSION = 1 as const;

/** Protocol versions a collector of this release accepts; old SDKs keep working while their version is listed. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1];

/** HTTP paths of the collector API. */
export const PATHS = {
  batches: '/v1/batches',
  subjectsDelete: '/v1/subjects/delete',
  subjectsExport: '/v1/subjects/export',
  stats: '/v1/stats',
  catalogs: '/v1/catalogs',
} as const;

/** A generalized value on the wire. */
export type WireValue = string | number | boolean | null;

/** One generalized event. */
export interface WireEvent {
  /** Event name declared in the catalog. */
  readonly name: string;
  /** Coarse time: the UTC day, `YYYY-MM-DD`. */
  readonly time: string;
  /** Generalized fields, exactly those the catalog declares for the event. */
  readonly fields: Readonly<Record<string, WireValue>>;
}

/** The body of `POST /v1/batches` (JSON, optionally gzip-encoded). */
export interface WireBatch {
  /** Protocol version. */
  readonly v: number;
  /** The catalog the events were generalized with. */
  readonly catalog: { readonly id: string; readonly version: string };
  /** HMAC-SHA256(install secret, catalog id + period), 64 lower-case hex characters. */
  readonly pseudonym: string;
  /** The linkage period the pseudonym belongs to (`2026-11-29`, `2026-W48` or `2026-11`). */
  readonly period: string;
  /** Random idempotency key (32 lower-case hex characters): a retried batch counts once. */
  readonly batchKey: string;
  /** The events, at most {@link LIMITS.maxEventsPerBatch}, shuffled by the SDK. */
  readonly events: readonly WireEvent[];
}

/** The answer to an accepted batch (HTTP 202). */
export interface IngestResponse {
  readonly batchKey: string;
  /** Events stored. */
  readonly accepted: number;
  /** Events over the catalog's per-period bound, counted and not stored. */
  readonly bounded: number;
  /** True when the batch key had been seen: nothing was stored this time, and the first answer is repeated. */
  readonly duplicate: boolean;
}

/** The body of `POST /v1/subjects/delete` and `POST /v1/subjects/export`. */
export interface SubjectRequest {
  readonly catalogId: string;
  /** The pseudonyms of the retention window (at most {@link LIMITS.maxPseudonymsPerRequest}). */
  readonly pseudonyms: readonly string[];
  /** Restrict to these categories; all when omitted. */
  readonly categories?: readonly string[];
}

/** The answer to a deletion request. */
export interface DeleteResponse {
  readonly deleted: number;
  /** Server time the deletion took effect (ISO 8601); it holds for every later query and export. */
  readonly effectiveAt: string;
}

/** The answer to an export request: what the collector holds for those pseudonyms. */
export interface ExportResponse {
  readonly events: readonly (WireEvent & { readonly pseudonym: string; readonly period: string; readonly catalogVersion: string })[];
}

/** The error body of every 4xx and 5xx answer. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: readonly { readonly path: string; readonly reason: string; readonly message: string }[];
  };
}

/** Limits shared by both sides; the collector enforces them before doing any work. */
export const LIMITS = {
  maxCompressedBytes: 1_048_576,
  maxDecompressedBytes: 4_194_304,
  maxEventsPerBatch: 1000,
  maxJsonDepth: 8,
  maxPseudonymsPerRequest: 1000,
  maxErrorDetails: 20,
} as const;

/** Pattern of a pseudonym on the wire. */
export const PSEUDONYM_PATTERN = /^[0-9a-f]{64}$/;
/** Pattern of a batch key on the wire. */
export const BATCH_KEY_PATTERN = /^[0-9a-f]{32}$/;
