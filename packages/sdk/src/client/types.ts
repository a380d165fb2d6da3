import type { CatalogSpec, CategoryId, CompiledCatalog, EventName, RawEvent } from '@candor/catalog';
import type { DeleteResponse, DropReason, ExportResponse } from '@candor/protocol';
import type { ConsentState } from '../consent/consent-store.js';
import type { Random } from '../linkage/sample-period.js';
import type { TelemetryWarning } from '../options/diagnostics.js';
import type { PolicyInfo } from '../policy/resolve-policy.js';
import type { TransportError } from '../transport/types.js';

type AutoEventName<S extends CatalogSpec> = { [K in EventName<S>]: S['events'][K] extends { readonly auto: string } ? K : never }[EventName<S>];
type CountEventName<S extends CatalogSpec> = {
  [K in EventName<S>]: S['events'][K] extends { readonly sampled: { readonly countEvent: infer C extends string } } ? C : never;
}[EventName<S>];

/** Events a host may record: every event except those the SDK records itself (consent state, period counts). */
export type HostEventName<S extends CatalogSpec> = Exclude<EventName<S>, AutoEventName<S> | CountEventName<S>>;

/** What happened to one event offered to the client. */
export type RecordOutcome = 'accepted' | DropReason;

/** What a sent-log entry was. `delivery` entries are third-party deliveries made through the SDK. */
export type SentLogKind = 'batch' | 'deletion' | 'export' | 'delivery';

/**
 * Where a sent-log entry stands: `pending` (it left; no answer yet), `delivered`, `duplicate`
 * (the collector already had it), `rejected` (refused for good), `failed` (given up after
 * retries), `superseded` (rewritten before it was acknowledged: a category was turned off or
 * the owner deleted their data), `expired` or `dropped` (given up by the outbox bounds).
 */
export type SentLogStatus = 'pending' | 'delivered' | 'duplicate' | 'rejected' | 'failed' | 'superseded' | 'expired' | 'dropped';

/** One entry of the sent log: the exact bytes that left the machine. */
export interface SentLogEntry {
  readonly id: number;
  /** When it first left (ISO 8601). */
  readonly sentAt: string;
  readonly kind: SentLogKind;
  /** Categories of the events it carried (for deletions, the categories deleted; empty means all). */
  readonly categories: readonly string[];
  readonly eventCount: number;
  readonly status: SentLogStatus;
  /** The collector's error code or acknowledgement, when there is one. */
  readonly detail: string | null;
  /** The URL it went to. */
  readonly destination: string | null;
  /** The uncompressed JSON body, byte for byte; gzip is only the transport encoding. */
  readonly body: string;
}

/** A sent-log query. Times are epoch milliseconds, `Date`s or ISO 8601 strings. */
export interface SentLogQuery {
  /** Only entries that carried this category. */
  readonly category?: string;
  readonly kind?: SentLogKind;
  /** Earliest time, inclusive. */
  readonly since?: number | Date | string;
  /** Latest time, exclusive. */
  readonly until?: number | Date | string;
  /** Most entries returned, newest first. @default 100 */
  readonly limit?: number;
}

/** An entry that an extension (third-party integrations) adds to the sent log. */
export interface SentLogAppend {
  readonly kind: Exclude<SentLogKind, 'batch'>;
  readonly categories: readonly string[];
  readonly eventCount: number;
  readonly status: SentLogStatus;
  /** The exact bytes that left. */
  readonly body: string;
  readonly destination?: string | null;
  readonly detail?: string | null;
  /** When it left; now when omitted. */
  readonly sentAtMs?: number;
}

/** The sent log: the exact bytes of every batch, deletion, export and delivery, kept 30 days. */
export interface SentLog {
  /** Entries matching the query, newest first. Never throws; empty when storage is unavailable. */
  list(query?: SentLogQuery): SentLogEntry[];
}

/** Consent per category. */
export interface TelemetryConsent<S extends CatalogSpec> {
  /** Every category's consent. */
  get(): Record<CategoryId<S>, ConsentState>;
  /** Whether a category's events may be recorded and leave now. */
  isGranted(category: CategoryId<S>): boolean;
  /**
   * Turns an optional category on or off and persists the choice. Off purges its queued
   * events and queues a category-scoped deletion request. Returns the new state, or null for
   * an unknown category; a required category is left on.
   */
  set(category: CategoryId<S>, granted: boolean): ConsentState | null;
  /** Calls `listener` after every change; returns a function that removes it. */
  onChange(listener: (state: ConsentState) => void): () => void;
}

/** Counters of the client, kept across restarts in the data directory. */
export interface TelemetryStats {
  /** `record()` calls by the host (and events its extensions enqueue). */
  readonly recorded: number;
  /** Events the SDK recorded itself (consent state, period counts). */
  readonly generated: number;
  /** Events that passed validation, consent and linkage limits. */
  readonly accepted: number;
  /** Events written to the outbox. */
  readonly stored: number;
  /** Events the collector acknowledged (including duplicates it already had). */
  readonly delivered: number;
  /** Of those, events in batches the collector answered as duplicates. */
  readonly duplicates: number;
  /** Events printed instead of sent (`CANDOR_DEBUG=1`). */
  readonly printed: number;
  readonly batchesDelivered: number;
  /** Compressed bytes the collector acknowledged. */
  readonly bytesSent: number;
  /** Events waiting: in memory and in the outbox. */
  readonly queued: number;
  /** Events of sampled kinds held for the period's sample. */
  readonly held: number;
  /** Events dropped, by reason (DROP_REASONS in @candor/protocol). */
  readonly dropped: Readonly<Record<DropReason, number>>;
  /** Events the collector refused, by its error code. */
  readonly rejectedByCode: Readonly<Record<string, number>>;
  /** `ok`, `unavailable` (the data directory cannot be used) or `disabled` (CANDOR_TELEMETRY=off). */
  readonly storage: 'ok' | 'unavailable' | 'disabled';
  /** Warnings since start, newest last (at most 50). */
  readonly warnings: readonly TelemetryWarning[];
  /** The last invalid event: its name and what was wrong (never the raw value). */
  readonly lastInvalidEvent: { readonly event: string; readonly message: string } | null;
}

/** What `flush()` achieved. */
export interface FlushResult {
  /** Events the collector acknowledged during this flush. */
  readonly delivered: number;
  /** Events still waiting (the collector was unreachable, or they arrived meanwhile). */
  readonly queued: number;
}

/** The answer to a deletion or export request. */
export type SubjectResult<T> =
  | { readonly status: 'ok'; readonly response: T }
  /** A deletion the collector has not acknowledged yet; it is kept and retried until it is. */
  | { readonly status: 'pending'; readonly error: TransportError }
  | { readonly status: 'failed'; readonly error: TransportError };

/** Server activity for `server.daily`: on how many of the last 7 and 28 days (today included) the SDK ran. */
export interface Activity {
  readonly activeDays7: number;
  readonly activeDays28: number;
}

/**
 * The extension points for modules built on the client (crash reports, third-party
 * integrations): not for hosts.
 */
export interface TelemetryExtensions {
  readonly dataDir: string;
  readonly catalog: CompiledCatalog;
  now(): number;
  readonly random: Random;
  /** Whether a category's events may leave now. */
  isConsented(category: string): boolean;
  /** Calls `listener` after every consent change; returns a function that removes it. */
  onConsentChange(listener: (state: ConsentState) => void): () => void;
  /** Offers an event through the whole pipeline (validation, consent, policy, limits), including events hosts may not record. */
  enqueue(name: string, raw: unknown): RecordOutcome;
  /** Adds an entry (a third-party delivery) to the sent log; returns its id, or null when storage is unavailable. */
  appendSentLog(entry: SentLogAppend): number | null;
  updateSentLog(id: number, status: SentLogStatus, detail?: string | null): void;
  /** Counts a drop an extension decided (a crash report over its cap, say). */
  countDrop(reason: DropReason, count?: number): void;
  /** Writes everything held in memory to the outbox now, synchronously (for crash handlers). */
  commitNow(): void;
  /** Reports a warning through `onDiagnostic` and `stats().warnings`. */
  warn(code: string, message: string): void;
}

/** The telemetry client a host embeds. */
export interface Telemetry<S extends CatalogSpec = CatalogSpec> {
  /**
   * Records one event: validates and generalizes it with the catalog, checks consent and the
   * linkage limits, and queues it in memory. Synchronous, no I/O, never throws; a refused
   * event is counted by reason in `stats().dropped`.
   */
  record<N extends HostEventName<S>>(name: N, raw: RawEvent<S, N>): void;
  readonly consent: TelemetryConsent<S>;
  /** Commits and sends everything that may leave now. Never rejects. */
  flush(): Promise<FlushResult>;
  /** Persists everything in memory, tries to send for `shutdownTimeoutMs`, and closes. Never rejects. */
  shutdown(options?: { readonly flush?: boolean; readonly timeoutMs?: number }): Promise<void>;
  readonly sentLog: SentLog;
  stats(): TelemetryStats;
  /**
   * Asks the collector to delete everything sent under this install's pseudonyms in the
   * retention window, clears the outbox and resets the install secret. The request is kept
   * and retried until acknowledged; `pending` means it has not been yet.
   */
  deleteMyData(): Promise<SubjectResult<DeleteResponse>>;
  /** Fetches what the collector holds under this install's pseudonyms in the retention window. */
  exportMyData(): Promise<SubjectResult<ExportResponse>>;
  /** On how many recent days the SDK ran, for `server.daily`'s activity fields. */
  activity(): Activity;
  /** The catalog version in effect, and a pending newer one with its changes. */
  policy(): PolicyInfo;
  /** The catalog the client was created with. */
  readonly catalog: S;
  readonly extensions: TelemetryExtensions;
}
