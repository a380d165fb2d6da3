import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection, DuckDBDateValue } from '@duckdb/node-api';
import { dayOf, periodOf, periodRange, type WireValue } from '@candor/protocol';
import { StoreUnavailableError } from '../../errors.js';
import type {
  AggregateCell,
  AggregateQuery,
  AppendBatch,
  AppendResult,
  BudgetResult,
  BudgetSpend,
  CollectorStore,
  RetentionRequest,
  RetentionResult,
  StoreHealth,
  StoreSchema,
  StoredFieldType,
} from '../contract.js';
import { compareCells } from '../compare-cells.js';
import { ContributionLedger, type LedgerSnapshot, type PlannedBatch } from '../contribution-ledger.js';
import { listSubsets, subsetIndex } from '../subsets.js';
import type { BASE_COLUMNS} from './schema.js';
import { flagColumn, migrate, slotColumn, type EventLayout, type StoreLayout } from './schema.js';
import { dateLit, epochDay, hexList, pseudonymPrefix, str } from './sql.js';

/** Options of {@link createDuckDbStore}. */
export interface DuckDbStoreOptions {
  /** The database file. */
  readonly path: string;
  /** Open read-only: statistics and export work, every write answers STORE_UNAVAILABLE. @default false */
  readonly readOnly?: boolean;
  /** The clock, in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Most events committed in one transaction (group commit). @default 50000 */
  readonly maxGroupEvents?: number;
  /** Least time between two attempts to open an unavailable database. @default 1000 */
  readonly reopenIntervalMs?: number;
  /** A day is rolled up only once no write touched it for this long. @default 30000 */
  readonly rollupQuietMs?: number;
  /** DuckDB worker threads. @default DuckDB's own (one per core) */
  readonly threads?: number;
  /** DuckDB memory limit, such as `'2GB'`. @default DuckDB's own (80% of RAM) */
  readonly memoryLimit?: string;
}

/** A DuckDB store, with its layout for tools that fill it directly (benchmarks). */
export interface DuckDbStore extends CollectorStore {
  /** The physical layout, once open. */
  layout(): StoreLayout;
}

/** What fills one column of the events table, in table order. */
type Column = { readonly kind: 'base'; readonly name: (typeof BASE_COLUMNS)[number] } | { readonly kind: 'slot'; readonly slot: number } | { readonly kind: 'flag'; readonly word: number };

type Job = { run: () => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void; batch?: AppendBatch };

interface Connections {
  readonly instance: DuckDBInstance;
  readonly writer: DuckDBConnection;
  readonly reader: DuckDBConnection;
  readonly maintenance: DuckDBConnection;
  readonly appenders: Map<string, DuckDBAppender>;
}

const ONE_DAY_MS = 86_400_000;

/**
 * The embedded default store on DuckDB (`@duckdb/node-api`). All events share one table with
 * per-event value slots (a commit then touches one table; see `schema.ts`). A single writer
 * commits concurrent batches together (group commit): each COMMIT writes and fsyncs DuckDB's
 * write-ahead log, and a batch is answered only after its COMMIT returned. Distinct pseudonyms
 * per cell come from first flags set at ingest and from per-day rollups, never from
 * COUNT(DISTINCT) over raw rows, except for queries the flags do not cover.
 */
export function createDuckDbStore(options: DuckDbStoreOptions): DuckDbStore {
  const now = options.now ?? Date.now;
  const maxGroupEvents = options.maxGroupEvents ?? 50_000;
  const reopenIntervalMs = options.reopenIntervalMs ?? 1000;
  const rollupQuietMs = options.rollupQuietMs ?? 30_000;
  const readOnly = options.readOnly === true;

  let schema: StoreSchema | undefined;
  let conn: Connections | undefined;
  let opening: Promise<Connections> | undefined;
  let lastAttemptMs = -Infinity;
  let lastError = 'the store has not been opened';
  let layout: StoreLayout = { events: new Map(), slotCount: 0, flagWords: 0 };
  let columns: Column[] = [];
  let closed = false;
  const queue: Job[] = [];
  let draining = false;
  let readerChain: Promise<unknown> = Promise.resolve();
  let maintenanceRunning: Promise<void> | undefined;
  // Jobs ever queued on the writer, and how many of them the last checkpoint covered.
  let writeJobs = 0;
  let checkpointedThrough = 0;
  // Rollup bookkeeping: which (event, day) pairs have a valid rollup, which days hold data, and a
  // write generation per pair so that a rollup computed from a snapshot is not installed over newer writes.
  const validRollups = new Set<string>();
  // Counts invalidations, so that a query can tell whether its list of rolled-up days went stale while it ran.
  let invalidations = 0;
  const dataDays = new Map<string, Set<string>>();
  const writeGen = new Map<string, number>();
  const lastWriteMs = new Map<string, number>();

  const ledger = new ContributionLedger([], {
    loadPeriod: (period) => loadLedger(period, null, null),
    loadSubjects: (period, pseudonyms, keys) => loadLedger(period, pseudonyms, keys),
  }, { now });

  function pairKey(event: string, day: string): string {
    return `${event}\u0000${day}`;
  }

  function touch(event: string, day: string): void {
    const key = pairKey(event, day);
    writeGen.set(key, (writeGen.get(key) ?? 0) + 1);
    lastWriteMs.set(key, now());
    let days = dataDays.get(event);
    if (days === undefined) dataDays.set(event, (days = new Set()));
    days.add(day);
  }

  async function connect(): Promise<Connections> {
    if (schema === undefined) throw new StoreUnavailableError('the store was used before open()');
    const config: Record<string, string> = { access_mode: readOnly ? 'READ_ONLY' : 'READ_WRITE' };
    if (options.threads !== undefined) config.threads = String(options.threads);
    if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(options.path, config);
    try {
      const writer = await instance.connect();
      const reader = await instance.connect();
      const maintenance = await instance.connect();
      const today = dayOf(now());
      layout = await migrate(writer, schema, today, readOnly);
      for (const e of layout.events.values()) ledger.setLayout({ event: e.event, groupable: e.flagged, tracksRows: e.tracksRows });
      const ordered = (await writer.runAndReadAll("SELECT column_name FROM information_schema.columns WHERE table_name = 'candor_events' ORDER BY ordinal_position")).getRowsJS();
      columns = ordered.map((r): Column => {
        const name = text(r[0]);
        const slot = /^s(\d+)$/.exec(name);
        if (slot) return { kind: 'slot', slot: Number(slot[1]) };
        const flag = /^first_(\d+)$/.exec(name);
        if (flag) return { kind: 'flag', word: Number(flag[1]) };
        return { kind: 'base', name: name as (typeof BASE_COLUMNS)[number] };
      });
      validRollups.clear();
      dataDays.clear();
      const byId = new Map([...layout.events.values()].map((e) => [e.id, e.event]));
      const valid = await writer.runAndReadAll("SELECT event_id, strftime(day, '%Y-%m-%d') FROM candor_rollup_days");
      for (const r of valid.getRowsJS()) {
        const event = byId.get(Number(r[0]));
        if (event !== undefined) validRollups.add(pairKey(event, text(r[1])));
      }
      const days = await writer.runAndReadAll("SELECT DISTINCT event_id, strftime(day, '%Y-%m-%d') FROM candor_events");
      for (const r of days.getRowsJS()) {
        const event = byId.get(Number(r[0]));
        if (event === undefined) continue;
        let set = dataDays.get(event);
        if (set === undefined) dataDays.set(event, (set = new Set()));
        set.add(text(r[1]));
      }
      return { instance, writer, reader, maintenance, appenders: new Map() };
    } catch (error) {
      instance.closeSync();
      throw error;
    }
  }

  async function ensureOpen(): Promise<Connections> {
    if (closed) throw new StoreUnavailableError('the store is closed');
    if (conn !== undefined) return conn;
    if (opening !== undefined) return opening;
    // The throttle runs on the monotonic clock: the data clock (`now`) may be a test's fixed time.
    if (performance.now() - lastAttemptMs < reopenIntervalMs) throw new StoreUnavailableError(lastError);
    lastAttemptMs = performance.now();
    opening = connect()
      .then((c) => {
        conn = c;
        ledger.clear();
        return c;
      })
      .catch((error: unknown) => {
        lastError = `the database cannot be opened: ${messageOf(error)}`;
        throw new StoreUnavailableError(lastError, error);
      })
      .finally(() => {
        opening = undefined;
      });
    return opening;
  }

  /** Tears the engine down after an error that may have invalidated it; the next call reopens. */
  function discard(error: unknown): void {
    lastError = `the database failed: ${messageOf(error)}`;
    const c = conn;
    conn = undefined;
    ledger.clear();
    if (c !== undefined) {
      for (const a of c.appenders.values()) {
        try {
          a.closeSync();
        } catch {
          // the engine is going away; its appenders with it
        }
      }
      try {
        c.instance.closeSync();
      } catch {
        // same
      }
    }
  }

  function enqueue<T>(run: () => Promise<T>, batch?: AppendBatch): Promise<T> {
    writeJobs++;
    return new Promise<T>((resolve, reject) => {
      queue.push({ run, resolve: resolve as (v: unknown) => void, reject, ...(batch === undefined ? {} : { batch }) });
      void drain();
    });
  }

  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    try {
      while (queue.length > 0) {
        if (queue[0]!.batch !== undefined) {
          const group: Job[] = [];
          let events = 0;
          while (queue.length > 0 && queue[0]!.batch !== undefined && (group.length === 0 || events + queue[0]!.batch.events.length <= maxGroupEvents)) {
            const job = queue.shift()!;
            events += job.batch!.events.length;
            group.push(job);
          }
          await commitAppends(group);
        } else {
          const job = queue.shift()!;
          try {
            job.resolve(await job.run());
          } catch (error) {
            job.reject(error);
          }
        }
      }
    } finally {
      draining = false;
    }
  }

  async function commitAppends(group: Job[]): Promise<void> {
    let c: Connections;
    try {
      c = await ensureOpen();
      if (readOnly) throw new StoreUnavailableError('the store is open read-only');
    } catch (error) {
      for (const job of group) job.reject(error);
      return;
    }
    let plan;
    try {
      plan = await ledger.plan(group.map((j) => j.batch!));
    } catch (error) {
      discard(error);
      const e = new StoreUnavailableError(`the store could not be read: ${messageOf(error)}`, error);
      for (const job of group) job.reject(e);
      return;
    }
    const touched = new Set<string>();
    try {
      await c.writer.run('BEGIN TRANSACTION');
      await appendRows(c, plan.batches, touched);
      const stale = [...touched].filter((k) => validRollups.has(k));
      if (stale.length > 0) await invalidateRollups(c.writer, stale);
      await c.writer.run('COMMIT');
    } catch (error) {
      plan.rollback();
      await rollbackQuietly(c, error);
      const e = error instanceof StoreUnavailableError ? error : new StoreUnavailableError(`the batch could not be committed: ${messageOf(error)}`, error);
      for (const job of group) job.reject(e);
      return;
    }
    plan.commit();
    for (const key of touched) {
      validRollups.delete(key);
      const [event, day] = key.split('\u0000') as [string, string];
      touch(event, day);
    }
    plan.batches.forEach((p, i) => group[i]!.resolve(p.result));
  }

  async function rollbackQuietly(c: Connections, cause: unknown): Promise<void> {
    for (const a of c.appenders.values()) {
      try {
        a.clear();
      } catch {
        // nothing pending
      }
    }
    try {
      await c.writer.run('ROLLBACK');
    } catch {
      // DuckDB rolls back by itself after some errors; there is then no transaction left
    }
    if (isFatal(cause)) discard(cause);
  }

  async function appender(c: Connections, table: string): Promise<DuckDBAppender> {
    let a = c.appenders.get(table);
    if (a === undefined) {
      a = await c.writer.createAppender(table);
      c.appenders.set(table, a);
    }
    return a;
  }

  async function appendRows(c: Connections, planned: readonly PlannedBatch[], touched: Set<string>): Promise<void> {
    const used = new Set<DuckDBAppender>();
    const batches = await appender(c, 'candor_batches');
    const events = await appender(c, 'candor_events');
    const slotFields = slotsByEvent();
    for (const p of planned) {
      if (p.result.duplicate) continue;
      const b = p.batch;
      batches.appendVarchar(b.batchKey);
      batches.appendVarchar(b.period);
      batches.appendDate(periodEndDate(b.period));
      batches.appendInteger(p.result.accepted);
      batches.appendInteger(p.result.bounded);
      batches.endRow();
      used.add(batches);
      const pid = pseudonymPrefix(b.pseudonym);
      for (const row of p.rows) {
        const e = layout.events.get(row.event);
        if (e === undefined) throw new Error(`no layout for event ${row.event}`);
        used.add(events);
        touched.add(pairKey(row.event, row.day));
        for (const col of columns) {
          if (col.kind === 'slot') {
            const field = slotFields.get(e.id)?.[col.slot];
            const value = field === undefined ? null : (row.fields[field] ?? null);
            if (value === null) events.appendNull();
            else events.appendVarchar(typeof value === 'string' ? value : `${value}`);
          } else if (col.kind === 'flag') {
            const word = row.flags?.[col.word];
            if (word === undefined) events.appendNull();
            else events.appendUBigInt(word);
          } else {
            switch (col.name) {
              case 'event_id':
                events.appendUSmallInt(e.id);
                break;
              case 'day':
                events.appendDate(dateValue(row.day));
                break;
              case 'period':
                events.appendVarchar(b.period);
                break;
              case 'pid':
                events.appendUBigInt(pid);
                break;
              case 'pseudonym':
                events.appendVarchar(b.pseudonym);
                break;
              default:
                events.appendVarchar(b.catalogVersion);
            }
          }
        }
        events.endRow();
      }
    }
    for (const a of used) a.flushSync();
  }

  /**
   * Marks rollups invalid, in memory first (so that a query never takes a day for rolled up
   * after its rollup stopped being valid) and then in the open transaction.
   */
  async function invalidateRollups(writer: DuckDBConnection, keys: readonly string[]): Promise<void> {
    invalidations++;
    for (const k of keys) validRollups.delete(k);
    const conditions = keys.map((k) => {
      const [event, day] = k.split('\u0000') as [string, string];
      return `(event_id = ${layout.events.get(event)!.id} AND day = ${dateLit(day)})`;
    });
    for (let i = 0; i < conditions.length; i += 200) {
      await writer.run(`DELETE FROM candor_rollup_days WHERE ${conditions.slice(i, i + 200).join(' OR ')}`);
    }
  }

  // Days and periods repeat across rows: their DuckDB date values are made once.
  const dates = new Map<string, DuckDBDateValue>();
  function dateValue(day: string): DuckDBDateValue {
    let d = dates.get(day);
    if (d === undefined) {
      if (dates.size >= 4096) dates.clear();
      d = new DuckDBDateValue(epochDay(day));
      dates.set(day, d);
    }
    return d;
  }
  function periodEndDate(period: string): DuckDBDateValue {
    const key = `end:${period}`;
    let d = dates.get(key);
    if (d === undefined) {
      d = new DuckDBDateValue(Math.floor((periodRange(period)!.endMs - 1) / ONE_DAY_MS));
      dates.set(key, d);
    }
    return d;
  }

  /** Field names by slot, per event id: what the appender writes into each value column. */
  function slotsByEvent(): Map<number, (string | undefined)[]> {
    const out = new Map<number, (string | undefined)[]>();
    for (const e of layout.events.values()) {
      const bySlot: (string | undefined)[] = [];
      for (const [field, slot] of e.slots) bySlot[slot] = field;
      out.set(e.id, bySlot);
    }
    return out;
  }

  async function loadLedger(period: string, pseudonyms: readonly string[] | null, keys: readonly string[] | null): Promise<LedgerSnapshot> {
    const c = conn;
    if (c === undefined) throw new Error('the store is not open');
    const batchFilter = keys === null ? '' : keys.length === 0 ? ' AND false' : ` AND batch_key IN (${hexList(keys)})`;
    const batchRows = (await c.writer.runAndReadAll(`SELECT batch_key, accepted, bounded FROM candor_batches WHERE period = ${str(period)}${batchFilter}`)).getRowsJS();
    const batches = batchRows.map((r) => [text(r[0]), Number(r[1]), Number(r[2])] as const);
    const where = `period = ${str(period)}${pseudonyms === null ? '' : pseudonyms.length === 0 ? ' AND false' : ` AND ${subjectWhere(pseudonyms)}`}`;
    const out: { pseudonym: string; event: string; values: WireValue[] | null }[] = [];
    const byId = new Map([...layout.events.values()].map((e) => [e.id, e]));
    // Events with one row per pseudonym and period need only a count; the others their flagged values.
    const counted = (await c.writer.runAndReadAll(`SELECT event_id, pseudonym, count(*) FROM candor_events WHERE ${where} GROUP BY ALL`)).getRowsJS();
    for (const r of counted) {
      const e = byId.get(Number(r[0]));
      if (e === undefined || e.tracksRows) continue;
      for (let i = 0; i < Number(r[2]); i++) out.push({ pseudonym: text(r[1]), event: e.event, values: null });
    }
    const maxFlagged = Math.max(0, ...[...layout.events.values()].filter((e) => e.tracksRows).map((e) => e.flagged.length));
    const tracked = [...layout.events.values()].filter((e) => e.tracksRows);
    if (tracked.length > 0) {
      // Value columns differ per event: each event's flagged fields are picked by slot with a CASE.
      const cols = Array.from({ length: maxFlagged }, (_, i) => {
        const cases = tracked.filter((e) => e.flagged[i] !== undefined).map((e) => `WHEN ${e.id} THEN ${slotColumn(e.slots.get(e.flagged[i]!)!)}`);
        return cases.length === 0 ? 'NULL' : `CASE event_id ${cases.join(' ')} END`;
      });
      const sql = `SELECT event_id, pseudonym${cols.map((x) => `, ${x}`).join('')} FROM candor_events WHERE ${where} AND event_id IN (${tracked.map((e) => e.id).join(', ')})`;
      const result = (await c.writer.runAndReadAll(sql)).getColumnsJS();
      const ids = result[0] ?? [];
      for (let i = 0; i < ids.length; i++) {
        const e = byId.get(Number(ids[i]))!;
        out.push({ pseudonym: text(result[1]![i]), event: e.event, values: e.flagged.map((f, j) => decode(result[j + 2]![i], e.fields.get(f)!.type)) });
      }
    }
    return { batches, rows: out };
  }

  /** Runs a read on the reader connection, one at a time (a connection runs one statement at once). */
  function read<T>(fn: (c: Connections) => Promise<T>): Promise<T> {
    const next = readerChain.then(async () => {
      const c = await ensureOpen();
      try {
        return await fn(c);
      } catch (error) {
        if (isFatal(error)) discard(error);
        if (error instanceof StoreUnavailableError || isFatal(error)) throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(messageOf(error), error);
        throw error;
      }
    });
    readerChain = next.catch(() => undefined);
    return next;
  }

  function writeTask<T>(fn: (c: Connections) => Promise<T>): Promise<T> {
    return enqueue(async () => {
      const c = await ensureOpen();
      if (readOnly) throw new StoreUnavailableError('the store is open read-only');
      try {
        await c.writer.run('BEGIN TRANSACTION');
        const result = await fn(c);
        await c.writer.run('COMMIT');
        return result;
      } catch (error) {
        await rollbackQuietly(c, error);
        if (error instanceof StoreUnavailableError) throw error;
        throw new StoreUnavailableError(`the change could not be committed: ${messageOf(error)}`, error);
      }
    });
  }

  function selected(events: readonly string[] | undefined): EventLayout[] {
    const all = [...layout.events.values()];
    if (events === undefined) return all;
    const set = new Set(events);
    return all.filter((e) => set.has(e.event));
  }

  function subjectWhere(pseudonyms: readonly string[]): string {
    return `pid IN (${pseudonyms.map((p) => pseudonymPrefix(p).toString()).join(', ')}) AND pseudonym IN (${hexList(pseudonyms)})`;
  }

  function flagSum(e: EventLayout, subset: number): string {
    // Rows written while the event allowed one report per period carry no flags: each is a first.
    return e.tracksRows && layout.flagWords > subset >> 6 ? `coalesce((${flagColumn(subset >> 6)} >> ${subset & 63}) & 1, 1)` : '1';
  }

  async function queryAggregates(query: AggregateQuery): Promise<AggregateCell[]> {
    await ensureOpen();
    const e = layout.events.get(query.event);
    if (e === undefined) return [];
    for (const f of query.groupBy) if (!e.fields.has(f)) throw new RangeError(`unknown field ${query.event}.${f}`);
    const linkage = schema!.linkage;
    const bucket = query.granularity === 'day' ? 'day' : `date_trunc(${str(query.granularity)}, day)::DATE`;
    const positions = query.groupBy.map((f) => e.flagged.indexOf(f));
    const fast =
      query.groupBy.length <= 2 &&
      positions.every((p) => p >= 0) &&
      query.groupBy.every((f) => (e.fieldSince.get(f) ?? '9999-12-31') < query.from) &&
      coversWholePeriods(linkage, query);
    // The fast path reads values in position order (as rollups store them) and reorders them after.
    const order = fast ? query.groupBy.map((_, i) => i).sort((a, b) => positions[a]! - positions[b]!) : query.groupBy.map((_, i) => i);
    const values = order.map((i) => slotColumn(e.slots.get(query.groupBy[i]!)!));
    const from = dateLit(query.from);
    const to = dateLit(query.to);
    const inEvent = `event_id = ${e.id} AND day BETWEEN ${from} AND ${to}`;
    const sqlFor = (liveDays: readonly string[] | null): string => {
      if (!fast || liveDays === null) {
        // Distinct pseudonyms per linkage period, then summed: the same definition the flags give.
        const v = values.map((x, i) => `${x} AS v${i + 1}`);
        const names = values.map((_, i) => `v${i + 1}`);
        return `WITH per AS (
          SELECT ${bucket} AS b, period${v.length > 0 ? `, ${v.join(', ')}` : ''}, count(*) AS events, count(DISTINCT pid) AS installs
            FROM candor_events WHERE ${inEvent} GROUP BY ALL)
        SELECT strftime(b, '%Y-%m-%d') AS p${names.length > 0 ? `, ${names.join(', ')}` : ''}, sum(events)::BIGINT, sum(installs)::BIGINT, max(installs)::BIGINT
          FROM per GROUP BY ALL`;
      }
      // Rows below are per day; with daily linkage a day is a period, so the peak is their maximum.
      // With weekly or monthly linkage the fast path has one period per cell, so the peak is the sum.
      const subset = subsetIndex(positions);
      const v = [0, 1].map((i) => values[i] ?? 'NULL::VARCHAR');
      // Days without a valid rollup are read raw, named as day ranges so that DuckDB's zone maps skip every other day.
      const live =
        liveDays.length === 0
          ? ''
          : `UNION ALL
        SELECT day, ${v[0]} AS v1, ${v[1]} AS v2, count(*) AS events, sum(${flagSum(e, subset)}) AS installs FROM candor_events
         WHERE event_id = ${e.id} AND (${dayRanges(liveDays)}) AND day NOT IN (SELECT day FROM candor_rollup_days WHERE event_id = ${e.id}) GROUP BY ALL`;
      return `WITH cells AS (
        SELECT day, v1, v2, events, installs FROM candor_rollup
         WHERE event_id = ${e.id} AND subset = ${subset} AND day BETWEEN ${from} AND ${to} AND day IN (SELECT day FROM candor_rollup_days WHERE event_id = ${e.id})
        ${live})
      SELECT strftime(${bucket}, '%Y-%m-%d') AS p, v1, v2, sum(events)::BIGINT, sum(installs)::BIGINT, ${linkage === 'day' ? 'max' : 'sum'}(installs)::BIGINT FROM cells GROUP BY ALL`;
    };
    const types = query.groupBy.map((f) => e.fields.get(f)!.type);
    let rows: unknown[][] = [];
    if (!fast) {
      rows = await read(async (c) => (await c.reader.runAndReadAll(sqlFor(null))).getRowsJS());
    } else {
      // Optimistic: days rolled up per the in-memory set are read from rollups. If a rollup was
      // invalidated while the query ran, its day may be missing: ask again, and in the end read
      // every day raw (the NOT IN guard keeps rolled-up days from counting twice).
      const all = daysBetween(query.from, query.to);
      for (let attempt = 0; ; attempt++) {
        const seen = invalidations;
        const liveDays = attempt >= 2 ? all : all.filter((d) => !validRollups.has(pairKey(e.event, d)));
        rows = await read(async (c) => (await c.reader.runAndReadAll(sqlFor(liveDays))).getRowsJS());
        if (seen === invalidations || attempt >= 2) break;
      }
    }
    const width = fast ? 2 : query.groupBy.length;
    return rows
      .map((r) => ({
        period: periodLabel(text(r[0]), query.granularity),
        values: types.map((t, i) => decode(r[1 + order.indexOf(i)], t)),
        events: Number(r[1 + width]),
        installs: Number(r[2 + width]),
        peakInstalls: Number(r[3 + width]),
      }))
      .sort(compareCells);
  }

  async function buildRollup(e: EventLayout, day: string): Promise<boolean> {
    const key = pairKey(e.event, day);
    const gen = writeGen.get(key) ?? 0;
    const c = await ensureOpen();
    const parts = listSubsets(e.flagged.length).map((positions, subset) => {
      const cols = positions.map((p) => slotColumn(e.slots.get(e.flagged[p]!)!));
      return `SELECT ${subset} AS subset, ${cols[0] ?? 'NULL::VARCHAR'} AS v1, ${cols[1] ?? 'NULL::VARCHAR'} AS v2, count(*)::BIGINT AS events, sum(${flagSum(e, subset)})::BIGINT AS installs
        FROM candor_events WHERE event_id = ${e.id} AND day = ${dateLit(day)} GROUP BY ALL`;
    });
    const cells = (await c.maintenance.runAndReadAll(parts.join(' UNION ALL '))).getRowsJS();
    return enqueue(async () => {
      // Installed only if no write touched the day since the snapshot was read.
      if ((writeGen.get(key) ?? 0) !== gen || conn !== c) return false;
      try {
        await c.writer.run('BEGIN TRANSACTION');
        await c.writer.run(`DELETE FROM candor_rollup WHERE event_id = ${e.id} AND day = ${dateLit(day)}`);
        await c.writer.run(`DELETE FROM candor_rollup_days WHERE event_id = ${e.id} AND day = ${dateLit(day)}`);
        const a = await appender(c, 'candor_rollup');
        const d = new DuckDBDateValue(epochDay(day));
        for (const r of cells) {
          a.appendUSmallInt(e.id);
          a.appendDate(d);
          a.appendInteger(Number(r[0]));
          if (r[1] === null) a.appendNull();
          else a.appendVarchar(text(r[1]));
          if (r[2] === null) a.appendNull();
          else a.appendVarchar(text(r[2]));
          a.appendBigInt(BigInt(r[3] as bigint));
          a.appendBigInt(BigInt(r[4] as bigint));
          a.endRow();
        }
        a.flushSync();
        await c.writer.run(`INSERT INTO candor_rollup_days VALUES (${e.id}, ${dateLit(day)})`);
        await c.writer.run('COMMIT');
      } catch (error) {
        await rollbackQuietly(c, error);
        throw new StoreUnavailableError(`a rollup could not be committed: ${messageOf(error)}`, error);
      }
      validRollups.add(key);
      return true;
    });
  }

  const store: DuckDbStore = {
    async open(s) {
      schema = s;
      closed = false;
      lastAttemptMs = -Infinity;
      await ensureOpen();
    },

    append(batch) {
      // Appends are queued with their batch; the drain loop commits them in groups and never calls `run`.
      return enqueue<AppendResult>(() => Promise.reject(new Error('appends are committed in groups')), batch);
    },

    async lookupBatch(batchKey) {
      const rows = await read(async (c) => (await c.reader.runAndReadAll(`SELECT accepted, bounded FROM candor_batches WHERE batch_key = ${str(batchKey)} LIMIT 1`)).getRowsJS());
      const r = rows[0];
      return r === undefined ? null : { accepted: Number(r[0]), bounded: Number(r[1]) };
    },

    queryAggregates,

    async deleteSubjects(selector) {
      if (selector.pseudonyms.length === 0) return 0;
      await ensureOpen();
      const targets = selected(selector.events);
      if (targets.length === 0) return 0;
      const byId = new Map(targets.map((e) => [e.id, e.event]));
      const touched: string[] = [];
      const deleted = await writeTask(async (c) => {
        const days = (await c.writer.runAndReadAll(`DELETE FROM candor_events WHERE ${subjectWhere(selector.pseudonyms)} AND event_id IN (${[...byId.keys()].join(', ')}) RETURNING event_id, strftime(day, '%Y-%m-%d')`)).getRowsJS();
        for (const key of new Set(days.map((r) => pairKey(byId.get(Number(r[0]))!, text(r[1]))))) touched.push(key);
        const stale = touched.filter((k) => validRollups.has(k));
        if (stale.length > 0) await invalidateRollups(c.writer, stale);
        return days.length;
      });
      for (const key of touched) {
        validRollups.delete(key);
        const [event, day] = key.split('\u0000') as [string, string];
        touch(event, day);
      }
      ledger.forget(selector.pseudonyms, selector.events);
      return deleted;
    },

    async exportSubjects(selector) {
      if (selector.pseudonyms.length === 0) return [];
      await ensureOpen();
      const targets = selected(selector.events);
      if (targets.length === 0) return [];
      const byId = new Map(targets.map((e) => [e.id, e]));
      const slots = Array.from({ length: layout.slotCount }, (_, i) => slotColumn(i));
      const sql = `SELECT event_id, strftime(day, '%Y-%m-%d'), period, pseudonym, catalog_version${slots.map((x) => `, ${x}`).join('')}
        FROM candor_events WHERE ${subjectWhere(selector.pseudonyms)} AND event_id IN (${[...byId.keys()].join(', ')}) ORDER BY day, event_id, period`;
      const rows = await read(async (c) => (await c.reader.runAndReadAll(sql)).getRowsJS());
      return rows.map((r) => {
        const e = byId.get(Number(r[0]))!;
        const fields: Record<string, WireValue> = {};
        for (const [name, f] of e.fields) fields[name] = decode(r[5 + e.slots.get(name)!], f.type);
        return { event: e.event, day: text(r[1]), period: text(r[2]), pseudonym: text(r[3]), catalogVersion: text(r[4]), fields };
      });
    },

    async applyRetention(request: RetentionRequest): Promise<RetentionResult> {
      await ensureOpen();
      const linkage = schema!.linkage;
      const start = linkage === 'day' ? 'day' : `date_trunc(${str(linkage)}, day)::DATE`;
      const result = await writeTask(async (c) => {
        const deletedByEvent: Record<string, number> = {};
        for (const { event, beforeDay } of request.events) {
          const e = layout.events.get(event);
          if (e === undefined) continue;
          // Whole linkage periods go together, so that first flags of what remains stay right.
          invalidations++;
          for (const key of [...validRollups]) if (key.startsWith(`${event}\u0000`) && key.slice(event.length + 1) < beforeDay) validRollups.delete(key);
          const r = await c.writer.run(`DELETE FROM candor_events WHERE event_id = ${e.id} AND ${start} < ${dateLit(beforeDay)}`);
          deletedByEvent[event] = r.rowsChanged;
          await c.writer.run(`DELETE FROM candor_rollup WHERE event_id = ${e.id} AND day < ${dateLit(beforeDay)}`);
          await c.writer.run(`DELETE FROM candor_rollup_days WHERE event_id = ${e.id} AND day < ${dateLit(beforeDay)}`);
        }
        const keys = await c.writer.run(`DELETE FROM candor_batches WHERE period_end < ${dateLit(request.batchKeysBeforeDay)}`);
        return { deletedByEvent, batchKeysDeleted: keys.rowsChanged };
      });
      for (const { beforeDay, event } of request.events) {
        const days = dataDays.get(event);
        if (days !== undefined) for (const d of [...days]) if (d < beforeDay) days.delete(d);
      }
      ledger.clear();
      return result;
    },

    async spendBudget(spend: BudgetSpend): Promise<BudgetResult> {
      await ensureOpen();
      return writeTask(async (c) => {
        const where = `dataset = ${str(spend.dataset)} AND day = ${dateLit(spend.day)}`;
        const rows = (await c.writer.runAndReadAll(`SELECT sum(spent) FROM candor_budget WHERE ${where}`)).getRowsJS();
        const spent = Number(rows[0]?.[0] ?? 0);
        // A tiny tolerance so that spending exactly the budget in equal parts is not refused by rounding.
        if (spent + spend.epsilon > spend.limit + 1e-9) return { granted: false, spent };
        await c.writer.run(`DELETE FROM candor_budget WHERE ${where}`);
        await c.writer.run(`INSERT INTO candor_budget VALUES (${str(spend.dataset)}, ${dateLit(spend.day)}, ${spent + spend.epsilon})`);
        return { granted: true, spent: spent + spend.epsilon };
      });
    },

    async maintain() {
      if (maintenanceRunning !== undefined) return maintenanceRunning;
      const run = async (): Promise<void> => {
        await ensureOpen();
        if (readOnly) return;
        const t = now();
        for (const e of layout.events.values()) {
          for (const day of [...(dataDays.get(e.event) ?? [])].sort()) {
            const key = pairKey(e.event, day);
            if (validRollups.has(key)) continue;
            if (t - (lastWriteMs.get(key) ?? -Infinity) < rollupQuietMs) continue;
            await buildRollup(e, day);
          }
        }
        // Rows appended since the last checkpoint live in DuckDB's memory (and its write-ahead
        // log) until a checkpoint writes them to the file; DuckDB checkpoints by itself only when
        // the log reaches 16 MB. Checkpointing here, once per maintenance run, keeps a collector's
        // memory flat under a steady trickle of batches and the log a restart replays short, at
        // no cost to bursts (measured: a 4 MB log threshold instead cut ingest by a fifth).
        if (writeJobs > checkpointedThrough) {
          const through = writeJobs + 1;
          await enqueue(async () => {
            const c = await ensureOpen();
            await c.writer.run('CHECKPOINT');
          }).then(
            () => void (checkpointedThrough = through),
            () => undefined, // the log stays and DuckDB's own threshold still applies
          );
        }
      };
      maintenanceRunning = run().finally(() => {
        maintenanceRunning = undefined;
      });
      return maintenanceRunning;
    },

    async health(): Promise<StoreHealth> {
      try {
        await ensureOpen();
      } catch (error) {
        return { ok: false, detail: messageOf(error) };
      }
      if (readOnly) return { ok: false, detail: 'the store is open read-only' };
      return { ok: true };
    },

    async close() {
      if (closed) return;
      await enqueue(async () => undefined).catch(() => undefined);
      await maintenanceRunning?.catch(() => undefined);
      await readerChain;
      closed = true;
      const c = conn;
      conn = undefined;
      if (c === undefined) return;
      for (const a of c.appenders.values()) {
        try {
          a.closeSync();
        } catch {
          // pending rows were committed or rolled back already
        }
      }
      if (!readOnly) {
        try {
          // Merges the write-ahead log into the database file, so that the next start replays nothing.
          await c.writer.run('CHECKPOINT');
        } catch {
          // the WAL stays and is replayed on the next open
        }
      }
      c.writer.closeSync();
      c.reader.closeSync();
      c.maintenance.closeSync();
      c.instance.closeSync();
    },

    layout: () => layout,
  };

  return store;
}

/** A stored text value typed back by its field's type. */
function decode(value: unknown, type: StoredFieldType): WireValue {
  if (value === null || value === undefined) return null;
  const t = text(value);
  if (type === 'number') return Number(t);
  if (type === 'boolean') return t === 'true';
  return t;
}

/** A scalar read from DuckDB as text. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `${value}`;
  if (value === null || value === undefined) return '';
  return JSON.stringify(value);
}

/** Every day from `from` to `to`, inclusive. */
function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += ONE_DAY_MS) out.push(dayOf(t));
  return out;
}

/** A SQL condition on `day` for a sorted list of days, as BETWEEN ranges of consecutive days. */
function dayRanges(days: readonly string[]): string {
  const ranges: [string, string][] = [];
  for (const d of days) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && Date.parse(`${d}T00:00:00Z`) - Date.parse(`${last[1]}T00:00:00Z`) === ONE_DAY_MS) last[1] = d;
    else ranges.push([d, d]);
  }
  return ranges.map(([a, b]) => (a === b ? `day = ${dateLit(a)}` : `day BETWEEN ${dateLit(a)} AND ${dateLit(b)}`)).join(' OR ');
}

function periodLabel(startDay: string, granularity: AggregateQuery['granularity']): string {
  if (granularity === 'day') return startDay;
  if (granularity === 'month') return startDay.slice(0, 7);
  return periodOf(Date.parse(`${startDay}T00:00:00Z`), 'week');
}

/** Whether a query's buckets contain whole linkage periods, which first flags need. */
function coversWholePeriods(linkage: StoreSchema['linkage'], query: AggregateQuery): boolean {
  if (linkage === 'day') return true;
  if (linkage !== query.granularity) return false;
  const first = periodRange(periodOf(Date.parse(`${query.from}T00:00:00Z`), linkage))!;
  const last = periodRange(periodOf(Date.parse(`${query.to}T00:00:00Z`), linkage))!;
  return dayOf(first.startMs) === query.from && dayOf(last.endMs - ONE_DAY_MS) === query.to;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Errors after which DuckDB may have invalidated the database: close it and reopen later. */
function isFatal(error: unknown): boolean {
  const m = messageOf(error);
  return /FATAL|invalidated|IO Error|Could not set lock|read-only|disk|No space/i.test(m);
}
