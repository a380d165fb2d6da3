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
  StoredEvent,
  StoredFieldType,
} from '../contract.js';
import { compareCells } from '../compare-cells.js';
import { ContributionLedger, type LedgerSnapshot, type PlannedBatch } from '../contribution-ledger.js';
import { listSubsets, subsetIndex } from '../subsets.js';
import { migrate, fieldColumn, flagColumn, type TableLayout } from './schema.js';
import { dateLit, epochDay, hexList, ident, pseudonymPrefix, str } from './sql.js';

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

/** A DuckDB store, with a hook for tools that fill it directly (benchmarks). */
export interface DuckDbStore extends CollectorStore {
  /** The layout of each event table, once open. */
  layouts(): ReadonlyMap<string, TableLayout>;
}

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
 * The embedded default store on DuckDB (`@duckdb/node-api`). One table per event kind with a
 * typed column per declared field, so that a GROUP BY reads only the columns it names. A single
 * writer commits concurrent batches together (group commit): each COMMIT writes and fsyncs
 * DuckDB's write-ahead log, and a batch is answered only after its COMMIT returned.
 * Distinct pseudonyms per cell come from first flags set at ingest and from per-day rollups,
 * never from COUNT(DISTINCT) over raw rows, except for queries the flags do not cover.
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
  let layouts = new Map<string, TableLayout>();
  let closed = false;
  const queue: Job[] = [];
  let draining = false;
  let readerChain: Promise<unknown> = Promise.resolve();
  let maintenanceRunning: Promise<void> | undefined;
  // Rollup bookkeeping: which (event, day) pairs have a valid rollup, which days hold data, and a
  // write generation per pair so that a rollup computed from a snapshot is not installed over newer writes.
  const validRollups = new Set<string>();
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
      layouts = await migrate(writer, schema, today, readOnly);
      for (const layout of layouts.values()) {
        ledger.setLayout({ event: layout.event, groupable: layout.groupable, tracksRows: layout.tracksRows });
      }
      validRollups.clear();
      dataDays.clear();
      if (layouts.size > 0) {
        const valid = await writer.runAndReadAll("SELECT event, strftime(day, '%Y-%m-%d') FROM candor_rollup_days");
        for (const r of valid.getRowsJS()) validRollups.add(pairKey(text(r[0]), text(r[1])));
        for (const layout of layouts.values()) {
          const days = await writer.runAndReadAll(`SELECT DISTINCT strftime(day, '%Y-%m-%d') FROM ${ident(layout.table)}`);
          dataDays.set(layout.event, new Set(days.getRowsJS().map((r) => text(r[0]))));
        }
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
    if (now() - lastAttemptMs < reopenIntervalMs && Number.isFinite(lastAttemptMs)) throw new StoreUnavailableError(lastError);
    lastAttemptMs = now();
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
    for (const p of planned) {
      if (p.result.duplicate) continue;
      const b = p.batch;
      const range = periodRange(b.period)!;
      batches.appendVarchar(b.batchKey);
      batches.appendVarchar(b.period);
      batches.appendDate(new DuckDBDateValue(Math.floor((range.endMs - 1) / ONE_DAY_MS)));
      batches.appendInteger(p.result.accepted);
      batches.appendInteger(p.result.bounded);
      batches.endRow();
      used.add(batches);
      const pid = pseudonymPrefix(b.pseudonym);
      for (const row of p.rows) {
        const layout = layouts.get(row.event);
        if (layout === undefined) throw new Error(`no table for event ${row.event}`);
        const a = await appender(c, layout.table);
        used.add(a);
        touched.add(pairKey(row.event, row.day));
        for (const slot of layout.slots) {
          switch (slot.kind) {
            case 'day':
              a.appendDate(new DuckDBDateValue(epochDay(row.day)));
              break;
            case 'period':
              a.appendVarchar(b.period);
              break;
            case 'pid':
              a.appendUBigInt(pid);
              break;
            case 'pseudonym':
              a.appendVarchar(b.pseudonym);
              break;
            case 'version':
              a.appendVarchar(b.catalogVersion);
              break;
            case 'flag': {
              const word = row.flags?.[slot.word];
              if (word === undefined) a.appendNull();
              else a.appendUBigInt(word);
              break;
            }
            case 'field':
              appendValue(a, slot.field.type, row.fields[slot.field.name] ?? null);
              break;
            default:
              a.appendNull();
          }
        }
        a.endRow();
      }
    }
    for (const a of used) a.flushSync();
  }

  async function invalidateRollups(writer: DuckDBConnection, keys: readonly string[]): Promise<void> {
    const conditions = keys.map((k) => {
      const [event, day] = k.split('\u0000') as [string, string];
      return `(event = ${str(event)} AND day = ${dateLit(day)})`;
    });
    for (let i = 0; i < conditions.length; i += 200) {
      await writer.run(`DELETE FROM candor_rollup_days WHERE ${conditions.slice(i, i + 200).join(' OR ')}`);
    }
  }

  async function loadLedger(period: string, pseudonyms: readonly string[] | null, keys: readonly string[] | null): Promise<LedgerSnapshot> {
    const c = conn;
    if (c === undefined) throw new Error('the store is not open');
    const batchFilter = keys === null ? '' : keys.length === 0 ? ' AND false' : ` AND batch_key IN (${hexList(keys)})`;
    const batchRows = (await c.writer.runAndReadAll(`SELECT batch_key, accepted, bounded FROM candor_batches WHERE period = ${str(period)}${batchFilter}`)).getRowsJS();
    const batches = batchRows.map((r) => [text(r[0]), Number(r[1]), Number(r[2])] as const);
    const subjectFilter = pseudonyms === null ? '' : pseudonyms.length === 0 ? ' AND false' : ` AND pid IN (${pseudonyms.map((p) => pseudonymPrefix(p).toString()).join(', ')}) AND pseudonym IN (${hexList(pseudonyms)})`;
    const out: { pseudonym: string; event: string; values: WireValue[] | null }[] = [];
    for (const layout of layouts.values()) {
      const where = `period = ${str(period)}${subjectFilter}`;
      if (!layout.tracksRows) {
        const counted = (await c.writer.runAndReadAll(`SELECT pseudonym, count(*) FROM ${ident(layout.table)} WHERE ${where} GROUP BY pseudonym`)).getRowsJS();
        for (const r of counted) for (let i = 0; i < Number(r[1]); i++) out.push({ pseudonym: text(r[0]), event: layout.event, values: null });
        continue;
      }
      const cols = layout.groupable.map((f) => ident(fieldColumn(f)));
      const sql = `SELECT pseudonym${cols.length > 0 ? `, ${cols.join(', ')}` : ''} FROM ${ident(layout.table)} WHERE ${where}`;
      const result = (await c.writer.runAndReadAll(sql)).getColumnsJS();
      const pcol = result[0] ?? [];
      for (let i = 0; i < pcol.length; i++) {
        out.push({ pseudonym: text(pcol[i]), event: layout.event, values: layout.groupable.map((_, j) => toWire(result[j + 1]![i])) });
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

  function selectedLayouts(events: readonly string[] | undefined): TableLayout[] {
    const all = [...layouts.values()];
    if (events === undefined) return all;
    const set = new Set(events);
    return all.filter((l) => set.has(l.event));
  }

  function subjectWhere(pseudonyms: readonly string[]): string {
    return `pid IN (${pseudonyms.map((p) => pseudonymPrefix(p).toString()).join(', ')}) AND pseudonym IN (${hexList(pseudonyms)})`;
  }

  async function queryAggregates(query: AggregateQuery): Promise<AggregateCell[]> {
    await ensureOpen();
    const layout = layouts.get(query.event);
    if (layout === undefined) return [];
    for (const f of query.groupBy) if (!layout.fields.has(f)) throw new RangeError(`unknown field ${query.event}.${f}`);
    const linkage = schema!.linkage;
    const bucket = query.granularity === 'day' ? 'day' : `date_trunc(${str(query.granularity)}, day)::DATE`;
    const positions = query.groupBy.map((f) => layout.groupable.indexOf(f));
    const fast =
      query.groupBy.length <= 2 &&
      positions.every((p) => p >= 0) &&
      query.groupBy.every((f) => (layout.fieldSince.get(f) ?? '9999-12-31') < query.from) &&
      coversWholePeriods(linkage, query);
    // The fast path reads values in position order (as rollups store them) and reorders them after.
    const order = fast ? query.groupBy.map((_, i) => i).sort((a, b) => positions[a]! - positions[b]!) : query.groupBy.map((_, i) => i);
    const values = order.map((i) => `CAST(${ident(fieldColumn(query.groupBy[i]!))} AS VARCHAR)`);
    const from = dateLit(query.from);
    const to = dateLit(query.to);
    let sql: string;
    if (fast) {
      // Rows below are per day; with daily linkage a day is a period, so the peak is their maximum.
      // With weekly or monthly linkage the fast path has one period per cell, so the peak is the sum.
      const subset = subsetIndex(positions);
      const flag = layout.tracksRows ? `coalesce((${ident(flagColumn(subset >> 6))} >> ${subset & 63}) & 1, 1)` : '1';
      const v = [0, 1].map((i) => values[i] ?? 'NULL::VARCHAR');
      const rolled = `SELECT day FROM candor_rollup_days WHERE event = ${str(layout.event)}`;
      sql = `WITH cells AS (
        SELECT day, v1, v2, events, installs FROM candor_rollup
         WHERE event = ${str(layout.event)} AND subset = ${subset} AND day BETWEEN ${from} AND ${to} AND day IN (${rolled})
        UNION ALL
        SELECT day, ${v[0]} AS v1, ${v[1]} AS v2, count(*) AS events, sum(${flag}) AS installs FROM ${ident(layout.table)}
         WHERE day BETWEEN ${from} AND ${to} AND day NOT IN (${rolled}) GROUP BY ALL)
      SELECT strftime(${bucket}, '%Y-%m-%d') AS p, v1, v2, sum(events)::BIGINT, sum(installs)::BIGINT, ${linkage === 'day' ? 'max' : 'sum'}(installs)::BIGINT FROM cells GROUP BY ALL`;
    } else {
      // Distinct pseudonyms per linkage period, then summed: the same definition the flags give.
      const v = values.map((x, i) => `${x} AS v${i + 1}`);
      const names = values.map((_, i) => `v${i + 1}`);
      sql = `WITH per AS (
        SELECT ${bucket} AS b, period${v.length > 0 ? `, ${v.join(', ')}` : ''}, count(*) AS events, count(DISTINCT pid) AS installs
          FROM ${ident(layout.table)} WHERE day BETWEEN ${from} AND ${to} GROUP BY ALL)
      SELECT strftime(b, '%Y-%m-%d') AS p${names.length > 0 ? `, ${names.join(', ')}` : ''}, sum(events)::BIGINT, sum(installs)::BIGINT, max(installs)::BIGINT
        FROM per GROUP BY ALL`;
    }
    const types = query.groupBy.map((f) => layout.fields.get(f)!.type);
    const rows = await read(async (c) => (await c.reader.runAndReadAll(sql)).getRowsJS());
    const width = fast ? 2 : query.groupBy.length;
    return rows
      .map((r) => ({
        period: periodLabel(text(r[0]), query.granularity),
        values: types.map((t, i) => fromText(r[1 + order.indexOf(i)], t)),
        events: Number(r[1 + width]),
        installs: Number(r[2 + width]),
        peakInstalls: Number(r[3 + width]),
      }))
      .sort(compareCells);
  }

  async function buildRollup(layout: TableLayout, day: string): Promise<boolean> {
    const key = pairKey(layout.event, day);
    const gen = writeGen.get(key) ?? 0;
    const c = await ensureOpen();
    const parts = listSubsets(layout.groupable.length).map((positions, subset) => {
      const cols = positions.map((p) => `CAST(${ident(fieldColumn(layout.groupable[p]!))} AS VARCHAR)`);
      const flag = layout.tracksRows ? `coalesce((${ident(flagColumn(subset >> 6))} >> ${subset & 63}) & 1, 1)` : '1';
      return `SELECT ${subset} AS subset, ${cols[0] ?? 'NULL::VARCHAR'} AS v1, ${cols[1] ?? 'NULL::VARCHAR'} AS v2, count(*)::BIGINT AS events, sum(${flag})::BIGINT AS installs
        FROM ${ident(layout.table)} WHERE day = ${dateLit(day)} GROUP BY ALL`;
    });
    const cells = (await c.maintenance.runAndReadAll(parts.join(' UNION ALL '))).getRowsJS();
    return enqueue(async () => {
      // Installed only if no write touched the day since the snapshot was read.
      if ((writeGen.get(key) ?? 0) !== gen || conn !== c) return false;
      try {
        await c.writer.run('BEGIN TRANSACTION');
        await c.writer.run(`DELETE FROM candor_rollup WHERE event = ${str(layout.event)} AND day = ${dateLit(day)}`);
        await c.writer.run(`DELETE FROM candor_rollup_days WHERE event = ${str(layout.event)} AND day = ${dateLit(day)}`);
        const a = await appender(c, 'candor_rollup');
        const d = new DuckDBDateValue(epochDay(day));
        for (const r of cells) {
          a.appendVarchar(layout.event);
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
        await c.writer.run(`INSERT INTO candor_rollup_days VALUES (${str(layout.event)}, ${dateLit(day)})`);
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
      const targets = selectedLayouts(selector.events);
      const touched: string[] = [];
      const deleted = await writeTask(async (c) => {
        let n = 0;
        for (const layout of targets) {
          const days = (await c.writer.runAndReadAll(`DELETE FROM ${ident(layout.table)} WHERE ${subjectWhere(selector.pseudonyms)} RETURNING strftime(day, '%Y-%m-%d')`)).getRowsJS();
          n += days.length;
          for (const d of new Set(days.map((r) => text(r[0])))) touched.push(pairKey(layout.event, d));
        }
        const stale = touched.filter((k) => validRollups.has(k));
        if (stale.length > 0) await invalidateRollups(c.writer, stale);
        return n;
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
      const out: StoredEvent[] = [];
      for (const layout of selectedLayouts(selector.events)) {
        const fields = [...layout.fields.values()];
        const cols = fields.map((f) => ident(fieldColumn(f.name)));
        const sql = `SELECT strftime(day, '%Y-%m-%d'), period, pseudonym, catalog_version${cols.length > 0 ? `, ${cols.join(', ')}` : ''}
          FROM ${ident(layout.table)} WHERE ${subjectWhere(selector.pseudonyms)} ORDER BY day, period`;
        const rows = await read(async (c) => (await c.reader.runAndReadAll(sql)).getRowsJS());
        for (const r of rows) {
          const values: Record<string, WireValue> = {};
          fields.forEach((f, i) => {
            values[f.name] = toWire(r[4 + i]);
          });
          out.push({ event: layout.event, day: text(r[0]), period: text(r[1]), pseudonym: text(r[2]), catalogVersion: text(r[3]), fields: values });
        }
      }
      return out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    },

    async applyRetention(request: RetentionRequest): Promise<RetentionResult> {
      await ensureOpen();
      const linkage = schema!.linkage;
      const start = linkage === 'day' ? 'day' : `date_trunc(${str(linkage)}, day)::DATE`;
      const result = await writeTask(async (c) => {
        const deletedByEvent: Record<string, number> = {};
        for (const { event, beforeDay } of request.events) {
          const layout = layouts.get(event);
          if (layout === undefined) continue;
          // Whole linkage periods go together, so that first flags of what remains stay right.
          const r = await c.writer.run(`DELETE FROM ${ident(layout.table)} WHERE ${start} < ${dateLit(beforeDay)}`);
          deletedByEvent[event] = r.rowsChanged;
          await c.writer.run(`DELETE FROM candor_rollup WHERE event = ${str(event)} AND day < ${dateLit(beforeDay)}`);
          await c.writer.run(`DELETE FROM candor_rollup_days WHERE event = ${str(event)} AND day < ${dateLit(beforeDay)}`);
        }
        const keys = await c.writer.run(`DELETE FROM candor_batches WHERE period_end < ${dateLit(request.batchKeysBeforeDay)}`);
        return { deletedByEvent, batchKeysDeleted: keys.rowsChanged };
      });
      for (const { event, beforeDay } of request.events) {
        for (const key of [...validRollups]) if (key.startsWith(`${event}\u0000`) && key.slice(event.length + 1) < beforeDay) validRollups.delete(key);
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
        for (const layout of layouts.values()) {
          for (const day of [...(dataDays.get(layout.event) ?? [])].sort()) {
            const key = pairKey(layout.event, day);
            if (validRollups.has(key)) continue;
            if (t - (lastWriteMs.get(key) ?? -Infinity) < rollupQuietMs) continue;
            await buildRollup(layout, day);
          }
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
      await enqueue(async () => undefined);
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

    layouts: () => layouts,
  };

  return store;
}

function appendValue(a: DuckDBAppender, type: StoredFieldType, value: WireValue): void {
  if (value === null) a.appendNull();
  else if (type === 'string') a.appendVarchar(String(value));
  else if (type === 'number') a.appendDouble(Number(value));
  else a.appendBoolean(value === true);
}

function toWire(value: unknown): WireValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return text(value);
}

function fromText(value: unknown, type: StoredFieldType): WireValue {
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
