import { periodRange, type WireValue } from '@candor/protocol';
import type { AppendBatch, AppendResult } from './contract.js';
import { firstFlags } from './subsets.js';

/** How the ledger sees one event kind. */
export interface LedgerLayout {
  readonly event: string;
  /** Groupable fields in the store's stable order; first flags are computed over them. */
  readonly groupable: readonly string[];
  /** Whether a pseudonym may hold more than one of these per period (then rows are kept for first flags). */
  readonly tracksRows: boolean;
}

/** What a store already holds for a period (or for some pseudonyms and batch keys of it). */
export interface LedgerSnapshot {
  readonly batches: Iterable<readonly [batchKey: string, accepted: number, bounded: number]>;
  /** One entry per stored row; `values` (groupable values in layout order) only for events that track rows. */
  readonly rows: Iterable<{ readonly pseudonym: string; readonly event: string; readonly values: readonly WireValue[] | null }>;
}

/** Reads ledger state from the store. */
export interface LedgerLoader {
  /** Everything stored for a period. */
  loadPeriod(period: string): Promise<LedgerSnapshot>;
  /** What is stored for some pseudonyms and batch keys of a period. */
  loadSubjects(period: string, pseudonyms: readonly string[], batchKeys: readonly string[]): Promise<LedgerSnapshot>;
}

/** One row to store, with its first flags (null for events that hold one row per pseudonym and period). */
export interface PlannedRow {
  readonly event: string;
  readonly day: string;
  readonly fields: Readonly<Record<string, WireValue>>;
  readonly flags: readonly bigint[] | null;
}

/** What to do with one batch. */
export interface PlannedBatch {
  readonly batch: AppendBatch;
  readonly result: AppendResult;
  /** Rows to store; empty for a duplicate. */
  readonly rows: readonly PlannedRow[];
}

/** The outcome of planning a group of batches; commit after the store committed, roll back otherwise. */
export interface LedgerPlan {
  readonly batches: readonly PlannedBatch[];
  commit(): void;
  rollback(): void;
}

interface EventState {
  count: number;
  rows: WireValue[][] | null;
}

interface PeriodState {
  readonly batches: Map<string, { accepted: number; bounded: number }>;
  readonly subjects: Map<string, Map<string, EventState>>;
}

/** Options of {@link ContributionLedger}. */
export interface ContributionLedgerOptions {
  /** The current time in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

const MAX_INTERNED = 4096;
/** A group with this many batches of one older period loads that period whole. */
const BACKLOG_BATCHES = 16;
/** Older periods kept whole at most. */
const MAX_BACKLOG_PERIODS = 4;

/**
 * Per period: which batch keys are stored (with their answers), and per pseudonym and event
 * how many rows are stored and with which groupable values. It decides duplicates,
 * contribution bounding and first flags for the single writer of a store, so that none of
 * them needs a query per batch. The current and previous period are kept whole in memory,
 * loaded once; a late batch for an older period loads only its own pseudonyms and keys.
 */
export class ContributionLedger {
  readonly #layouts: Map<string, LedgerLayout>;
  readonly #loader: LedgerLoader;
  readonly #now: () => number;
  readonly #resident = new Map<string, PeriodState>();
  // Older periods that arrived in bulk (a fleet sending a backlog), kept whole in LRU order.
  readonly #backlog = new Map<string, PeriodState>();
  readonly #interned = new Map<string, Map<string, Map<WireValue, WireValue>>>();

  /** @param layouts one per stored event kind  @param loader reads what the store holds */
  constructor(layouts: readonly LedgerLayout[], loader: LedgerLoader, options: ContributionLedgerOptions = {}) {
    this.#layouts = new Map(layouts.map((l) => [l.event, l]));
    this.#loader = loader;
    this.#now = options.now ?? Date.now;
  }

  /** Adds or replaces an event layout (after the store added fields). */
  setLayout(layout: LedgerLayout): void {
    this.#layouts.set(layout.event, layout);
    this.clear();
  }

  /** Periods held whole in memory. */
  get residentPeriods(): string[] {
    return [...this.#resident.keys(), ...this.#backlog.keys()];
  }

  /**
   * Decides, for each batch in arrival order, whether it is a duplicate, which of its events
   * are kept, and their first flags. State changes are provisional until `commit()`.
   */
  async plan(batches: readonly AppendBatch[]): Promise<LedgerPlan> {
    const now = this.#now();
    for (const period of this.#resident.keys()) if (!isHot(period, now)) this.#resident.delete(period);
    const states = new Map<string, PeriodState>();
    const perPeriod = new Map<string, number>();
    for (const b of batches) perPeriod.set(b.period, (perPeriod.get(b.period) ?? 0) + 1);
    const cold = new Map<string, { pseudonyms: Set<string>; keys: Set<string> }>();
    for (const b of batches) {
      if (states.has(b.period) || cold.has(b.period)) {
        cold.get(b.period)?.pseudonyms.add(b.pseudonym);
        cold.get(b.period)?.keys.add(b.batchKey);
        continue;
      }
      const resident = this.#resident.get(b.period) ?? this.#backlog.get(b.period);
      if (resident !== undefined) {
        states.set(b.period, resident);
        if (this.#backlog.delete(b.period)) this.#backlog.set(b.period, resident);
      } else if (isHot(b.period, now) || (perPeriod.get(b.period) ?? 0) >= BACKLOG_BATCHES) {
        const state = this.#fromSnapshot(await this.#loader.loadPeriod(b.period));
        if (isHot(b.period, now)) {
          this.#resident.set(b.period, state);
        } else {
          this.#backlog.set(b.period, state);
          if (this.#backlog.size > MAX_BACKLOG_PERIODS) this.#backlog.delete(this.#backlog.keys().next().value!);
        }
        states.set(b.period, state);
      } else {
        cold.set(b.period, { pseudonyms: new Set([b.pseudonym]), keys: new Set([b.batchKey]) });
      }
    }
    // A late batch for an older period is rare: load only what it needs rather than the whole period.
    for (const [period, wanted] of cold) {
      states.set(period, this.#fromSnapshot(await this.#loader.loadSubjects(period, [...wanted.pseudonyms], [...wanted.keys])));
    }

    const undo: (() => void)[] = [];
    const planned: PlannedBatch[] = [];
    for (const batch of batches) {
      const state = states.get(batch.period)!;
      const first = state.batches.get(batch.batchKey);
      if (first !== undefined) {
        planned.push({ batch, result: { accepted: first.accepted, bounded: first.bounded, duplicate: true, byEvent: {} }, rows: [] });
        continue;
      }
      let subject = state.subjects.get(batch.pseudonym);
      if (subject === undefined) {
        const created = new Map<string, EventState>();
        subject = created;
        state.subjects.set(batch.pseudonym, created);
        undo.push(() => state.subjects.delete(batch.pseudonym));
      }
      const rows: PlannedRow[] = [];
      const byEvent: Record<string, { accepted: number; bounded: number }> = {};
      let accepted = 0;
      let bounded = 0;
      for (const e of batch.events) {
        const tally = (byEvent[e.event] ??= { accepted: 0, bounded: 0 });
        const layout = this.#layouts.get(e.event);
        let es = subject.get(e.event);
        if (es === undefined) {
          const created: EventState = { count: 0, rows: layout?.tracksRows === true ? [] : null };
          es = created;
          const owner = subject;
          owner.set(e.event, created);
          undo.push(() => owner.delete(e.event));
        }
        if (es.count >= e.maxPerPeriod) {
          bounded++;
          tally.bounded++;
          continue;
        }
        const target = es;
        const before = target.count;
        target.count++;
        let flags: bigint[] | null = null;
        if (target.rows !== null && layout !== undefined) {
          const values = layout.groupable.map((f) => this.#intern(e.event, f, e.fields[f] ?? null));
          flags = firstFlags(values, target.rows);
          const rowsRef = target.rows;
          rowsRef.push(values);
          undo.push(() => {
            rowsRef.length = before;
          });
        }
        undo.push(() => {
          target.count = before;
        });
        rows.push({ event: e.event, day: e.day, fields: e.fields, flags });
        accepted++;
        tally.accepted++;
      }
      state.batches.set(batch.batchKey, { accepted, bounded });
      undo.push(() => state.batches.delete(batch.batchKey));
      planned.push({ batch, result: { accepted, bounded, duplicate: false, byEvent: byEvent }, rows });
    }
    return {
      batches: planned,
      commit: () => {
        undo.length = 0;
      },
      rollback: () => {
        for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
        undo.length = 0;
      },
    };
  }

  /** Forgets what is held for deleted pseudonyms (of some events, or all), so that their bound and flags start afresh. */
  forget(pseudonyms: readonly string[], events?: readonly string[]): void {
    for (const state of [...this.#resident.values(), ...this.#backlog.values()]) {
      for (const p of pseudonyms) {
        const subject = state.subjects.get(p);
        if (subject === undefined) continue;
        if (events === undefined) state.subjects.delete(p);
        else for (const e of events) subject.delete(e);
      }
    }
  }

  /** Drops everything held in memory; it is reloaded from the store when needed. */
  clear(): void {
    this.#resident.clear();
    this.#backlog.clear();
  }

  #fromSnapshot(snapshot: LedgerSnapshot): PeriodState {
    const state: PeriodState = { batches: new Map(), subjects: new Map() };
    for (const [key, accepted, bounded] of snapshot.batches) state.batches.set(key, { accepted, bounded });
    for (const row of snapshot.rows) {
      let subject = state.subjects.get(row.pseudonym);
      if (subject === undefined) {
        subject = new Map();
        state.subjects.set(row.pseudonym, subject);
      }
      const layout = this.#layouts.get(row.event);
      let es = subject.get(row.event);
      if (es === undefined) {
        es = { count: 0, rows: layout?.tracksRows === true ? [] : null };
        subject.set(row.event, es);
      }
      es.count++;
      if (es.rows !== null && layout !== undefined) {
        const values = row.values ?? [];
        es.rows.push(layout.groupable.map((f, i) => this.#intern(row.event, f, values[i] ?? null)));
      }
    }
    return state;
  }

  // Rows of the hot periods stay in memory; sharing equal strings keeps that to a few bytes a value.
  #intern(event: string, field: string, value: WireValue): WireValue {
    if (typeof value !== 'string') return value;
    let byField = this.#interned.get(event);
    if (byField === undefined) {
      byField = new Map();
      this.#interned.set(event, byField);
    }
    let table = byField.get(field);
    if (table === undefined) {
      table = new Map();
      byField.set(field, table);
    }
    const hit = table.get(value);
    if (hit !== undefined) return hit;
    if (table.size < MAX_INTERNED) table.set(value, value);
    return value;
  }
}

/** Whether a period is the current or the previous one (or a future one, within clock skew): those stay in memory. */
export function isHot(period: string, nowMs: number): boolean {
  const range = periodRange(period);
  if (range === null) return false;
  return range.endMs > nowMs - (range.endMs - range.startMs);
}
