import type { WireValue } from '@candor/protocol';

/**
 * The storage contract of the collector. Every engine (DuckDB embedded, ClickHouse at scale)
 * implements it, and one shared test suite (`test/storage-contract.ts`) runs against each.
 * Nothing here names an engine: the collector hands over a neutral schema derived from its
 * catalogs, validated batches, and aggregate queries, and gets back counts.
 */

/** The JSON type of a stored field. */
export type StoredFieldType = 'string' | 'number' | 'boolean';

/** One field of a stored event, as the catalogs declare it (union over every accepted version). */
export interface StoredField {
  readonly name: string;
  readonly type: StoredFieldType;
  /** Whether statistics may group by it: false for free text (scrubbed crash messages), which is never released. */
  readonly groupable: boolean;
}

/** One event kind the store keeps. */
export interface StoredEventSchema {
  readonly name: string;
  /** The category governing consent; subject requests may be restricted to categories. */
  readonly category: string;
  /** Fields in declaration order (fields added by later catalog versions come last). */
  readonly fields: readonly StoredField[];
  /** The largest `maxPerPeriod` any accepted catalog version declares for the event. */
  readonly maxPerPeriod: number;
}

/** What the store must be able to hold. */
export interface StoreSchema {
  readonly catalogId: string;
  /** How long one pseudonym links reports: a pseudonym belongs to exactly one such period. */
  readonly linkage: 'day' | 'week' | 'month';
  readonly events: readonly StoredEventSchema[];
}

/** One validated event of a batch, ready to store. */
export interface AppendEvent {
  readonly event: string;
  /** The UTC day of the event, `YYYY-MM-DD` (inside the batch period). */
  readonly day: string;
  /** Generalized values by field name; absent fields are stored as null. */
  readonly fields: Readonly<Record<string, WireValue>>;
  /** The most reports of this event one pseudonym may have per period (the batch's catalog version). */
  readonly maxPerPeriod: number;
}

/** A validated batch. */
export interface AppendBatch {
  readonly batchKey: string;
  readonly pseudonym: string;
  readonly period: string;
  readonly catalogVersion: string;
  readonly events: readonly AppendEvent[];
}

/** Stored and bounded counts of one event kind within an append. */
export interface EventTally {
  readonly accepted: number;
  readonly bounded: number;
}

/** The answer to an append; for a repeated batch key, the first answer with `duplicate: true`. */
export interface AppendResult {
  readonly accepted: number;
  /** Events over the per-period bound: counted, not stored. */
  readonly bounded: number;
  readonly duplicate: boolean;
  /** Per event kind (empty for a duplicate), for metrics. */
  readonly byEvent: Readonly<Record<string, EventTally>>;
}

/** Time granularity of released statistics. */
export type Granularity = 'day' | 'week' | 'month';

/** An aggregate query: counts and distinct pseudonyms per cell. */
export interface AggregateQuery {
  readonly event: string;
  /** Fields to group by (declared, groupable), in the order the answer lists them. */
  readonly groupBy: readonly string[];
  /** First day, inclusive, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last day, inclusive, `YYYY-MM-DD`. */
  readonly to: string;
  readonly granularity: Granularity;
}

/** One cell of an aggregate answer, before any release rule is applied. */
export interface AggregateCell {
  /** `2026-11-29`, `2026-W48` or `2026-11` (UTC, ISO weeks). */
  readonly period: string;
  /** Group values, aligned with `groupBy`. */
  readonly values: readonly WireValue[];
  /** Stored events in the cell. */
  readonly events: number;
  /**
   * Distinct pseudonyms in the cell, counted per linkage period and summed (install-periods).
   * A pseudonym belongs to one period, so this is the number of distinct pseudonyms.
   */
  readonly installs: number;
  /**
   * The most distinct pseudonyms of any one linkage period in the cell: a lower bound of the
   * distinct installs behind it, since an install holds one pseudonym per period.
   */
  readonly peakInstalls: number;
}

/** Selects the data of some pseudonyms, optionally of some events only. */
export interface SubjectSelector {
  readonly pseudonyms: readonly string[];
  /** Restrict to these event kinds; every kind when omitted. */
  readonly events?: readonly string[];
}

/** One stored event, as subject export returns it. */
export interface StoredEvent {
  readonly event: string;
  readonly day: string;
  readonly pseudonym: string;
  readonly period: string;
  readonly catalogVersion: string;
  readonly fields: Readonly<Record<string, WireValue>>;
}

/** Retention to apply now: delete each event's periods that started before its cutoff. */
export interface RetentionRequest {
  readonly events: readonly { readonly event: string; readonly beforeDay: string }[];
  /** Forget batch keys of periods that ended before this day (batches that old are refused anyway). */
  readonly batchKeysBeforeDay: string;
}

/** What a retention run removed. */
export interface RetentionResult {
  readonly deletedByEvent: Readonly<Record<string, number>>;
  readonly batchKeysDeleted: number;
}

/** A differential-privacy spend against a dataset's daily budget. */
export interface BudgetSpend {
  readonly dataset: string;
  readonly day: string;
  readonly epsilon: number;
  /** The daily budget; the spend is refused when it would exceed it. */
  readonly limit: number;
}

/** The answer to a budget spend. */
export interface BudgetResult {
  readonly granted: boolean;
  /** Epsilon spent on the dataset that day, after this spend when granted. */
  readonly spent: number;
}

/** Health of a store, for `/readyz`. */
export interface StoreHealth {
  readonly ok: boolean;
  readonly detail?: string;
}

/**
 * A collector store. Every method may reject with a {@link StoreUnavailableError} when the
 * engine cannot serve (locked, read-only, down); the collector then answers 503 and has stored
 * nothing. Resolution means durability: a resolved `append` or `deleteSubjects` survives a crash.
 */
export interface CollectorStore {
  /** Creates or migrates what the schema needs. Called once before anything else. */
  open(schema: StoreSchema): Promise<void>;
  /**
   * Stores a batch atomically together with its batch key and answer, keeping at most
   * `maxPerPeriod` events per pseudonym, period and event kind (the first ones to arrive)
   * and counting the rest as bounded. A batch key already stored yields the first answer
   * and stores nothing.
   */
  append(batch: AppendBatch): Promise<AppendResult>;
  /** The stored answer of a batch key, or null. */
  lookupBatch(batchKey: string): Promise<Omit<AppendResult, 'byEvent' | 'duplicate'> | null>;
  /** Counts and distinct pseudonyms per cell, cells with no events omitted, sorted by period then values. */
  queryAggregates(query: AggregateQuery): Promise<AggregateCell[]>;
  /** Deletes every stored event of the pseudonyms (optionally of some kinds); the deletion holds for every later call. */
  deleteSubjects(selector: SubjectSelector): Promise<number>;
  /** Every stored event of the pseudonyms (optionally of some kinds), oldest first. */
  exportSubjects(selector: SubjectSelector): Promise<StoredEvent[]>;
  /** Deletes what is past retention. */
  applyRetention(request: RetentionRequest): Promise<RetentionResult>;
  /** Charges epsilon to a dataset's budget for a day, atomically; refuses when it would exceed the limit. */
  spendBudget(spend: BudgetSpend): Promise<BudgetResult>;
  /** Brings derived structures (rollups) up to date. Answers never depend on it; only their speed does. */
  maintain(): Promise<void>;
  /** Whether the store can serve now. */
  health(): Promise<StoreHealth>;
  /** Finishes pending writes and releases the engine. */
  close(): Promise<void>;
}
