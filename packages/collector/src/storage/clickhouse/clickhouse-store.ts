import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { dayOf, periodOf, periodRange, type WireValue } from '@candor/protocol';
import { CollectorConfigError, StoreUnavailableError } from '../../errors.js';
import { compareCells } from '../compare-cells.js';
import { maskWords, subsetIndex } from '../subsets.js';
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
import { planAppends, winnerOf, type PlannedAppend, type VisibleMarker, type VisibleRow } from './append-planner.js';
import {
  BOOKKEEPING,
  DISTRIBUTED_SUFFIX,
  EVENT_COLUMNS,
  SHARDING_KEY_SQL,
  createBookkeepingSql,
  createDistributedSql,
  createEventTableSql,
  eventTables,
  fieldColumn,
  fieldOfColumn,
  fieldType,
  flagColumn,
  partitionDays,
  shardOf,
  storedTypeOf,
  type EventTable,
  type ServerFeatures,
  type TableEngine,
} from './schema.js';
import { SqlLiteralError, dateLiteral, hexLiteral, identifier, inList, numberLiteral, qualifiedName, stringLiteral, uint64Literal } from './sql-literal.js';

/** Options of {@link createClickHouseStore}. */
export interface ClickHouseStoreOptions {
  /** One HTTP URL per shard, in the order of the cluster's `<remote_servers>` entry (a load balancer over a shard's replicas is fine). */
  readonly urls: readonly string[];
  /** The database holding Candor's tables; created when missing. @default 'candor' */
  readonly database?: string;
  /** The `<remote_servers>` cluster that lists the shards; reads go through Distributed tables over it. @default 'candor' (unused with one URL) */
  readonly cluster?: string;
  /** Table engine: plain MergeTree, or ReplicatedMergeTree under a ZooKeeper path prefix. @default { kind: 'merge-tree' } */
  readonly engine?: TableEngine;
  /** `insert_quorum` for every insert (replicated tables only): a batch is answered once this many replicas hold it. @default none */
  readonly insertQuorum?: number;
  /** The clock, in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Least time between two group commits to one shard, so that a busy fleet makes a few large parts, not many small ones (ClickHouse wants about one insert per table and second). @default 1000 */
  readonly flushIntervalMs?: number;
  /** Most events written in one group commit. @default 20000 */
  readonly maxGroupEvents?: number;
  /** Timeout of each HTTP request to ClickHouse. @default 10000 */
  readonly requestTimeoutMs?: number;
  /** Most open HTTP connections per shard. @default 16 */
  readonly maxConnections?: number;
  /** ClickHouse user. @default 'default' */
  readonly username?: string;
  /** ClickHouse password. @default '' */
  readonly password?: string;
  /** Least time between two attempts to create the tables after ClickHouse was unreachable. @default 1000 */
  readonly reopenIntervalMs?: number;
  /** Least time between two sweeps in `maintain()` that issue mutations for rows still hidden. @default 600000 */
  readonly mutationSweepIntervalMs?: number;
}

/** A ClickHouse store, with what tests and benchmarks need to look inside. */
export interface ClickHouseStore extends CollectorStore {
  /** The tables of each event, once open. */
  tables(): ReadonlyMap<string, EventTable>;
  /** The database name. */
  readonly database: string;
  /** Server versions and features found at open, per shard. */
  features(): readonly ServerFeatures[];
  /** The shard (0-based) that holds a pseudonym's rows. */
  shardOf(pseudonym: string): number;
}

interface Pending {
  readonly batch: AppendBatch;
  readonly periodDay: string;
  readonly resolve: (r: AppendResult) => void;
  readonly reject: (e: unknown) => void;
}

interface Shard {
  readonly index: number;
  readonly url: string;
  readonly client: ClickHouseClient;
  queue: Pending[];
  queuedEvents: number;
  flushing: Promise<void> | undefined;
  timer: NodeJS.Timeout | undefined;
  lastFlushStartMs: number;
}

const QUERY_SETTINGS: ClickHouseSettings = { max_query_size: '16777216' };
// Point look-ups on the write path read a few granules: one thread avoids starting a pool per query.
const POINT_SETTINGS: ClickHouseSettings = { ...QUERY_SETTINGS, max_threads: 1 };
const BUDGET_TOLERANCE = 1e-9;
/** Marks an attempt hidden by a concurrent one that had not committed yet when we checked. */
const TAKEN_OVER = Symbol('taken over');
const TAKEOVER_CHECKS = 6;
const TAKEOVER_STEP_MS = 150;

/**
 * The scale-out store on ClickHouse over HTTP (`@clickhouse/client`), for Debian's 18.16 and
 * current releases. One MergeTree table per event kind on every shard, partitioned by the first
 * day of the linkage period, with a Distributed twin for reads; a pseudonym's rows all live on
 * one shard (first 64 bits of the pseudonym modulo the shard count), so that distinct counts
 * merge exactly and one shard answers every per-pseudonym question.
 *
 * Writes go straight to the owning shard's local tables in group commits: the rows of each
 * event kind, then one marker row per batch (its key and answer). An insert returns once the
 * part is on the server's disk (with `insertQuorum`, on that many replicas). Every attempt has
 * its own random write id; an attempt that never wrote its marker, and the later of two
 * concurrent attempts of one key, are hidden by write id (a small table every query filters
 * with NOT IN) and removed by mutations later. Deletion hides the same way, at once, and
 * issues mutations. The guarantees and their limits are in docs/scale.md.
 */
export function createClickHouseStore(options: ClickHouseStoreOptions): ClickHouseStore {
  if (options.urls.length === 0) throw new CollectorConfigError('CONFIG_INVALID_VALUE', 'clickhouse: at least one URL is needed');
  const database = options.database ?? 'candor';
  identifier(database);
  const cluster = options.cluster ?? 'candor';
  identifier(cluster);
  const engine: TableEngine = options.engine ?? { kind: 'merge-tree' };
  const now = options.now ?? Date.now;
  const flushIntervalMs = options.flushIntervalMs ?? 1000;
  const maxGroupEvents = options.maxGroupEvents ?? 20_000;
  const sweepIntervalMs = options.mutationSweepIntervalMs ?? 600_000;
  const reopenIntervalMs = options.reopenIntervalMs ?? 1000;
  const distributed = options.urls.length > 1;
  const insertSettings: ClickHouseSettings = options.insertQuorum === undefined ? {} : { insert_quorum: String(options.insertQuorum) };

  const shards: Shard[] = options.urls.map((url, index) => ({
    index,
    url,
    client: createClient({
      url,
      username: options.username ?? 'default',
      password: options.password ?? '',
      request_timeout: options.requestTimeoutMs ?? 10_000,
      max_open_connections: options.maxConnections ?? 16,
      compression: { request: false, response: false },
      log: { level: ClickHouseLogLevel.OFF },
    }),
    queue: [],
    queuedEvents: 0,
    flushing: undefined,
    timer: undefined,
    lastFlushStartMs: -Infinity,
  }));

  let schema: StoreSchema | undefined;
  let wanted: StoreSchema | undefined;
  let migrating: Promise<void> | undefined;
  let lastOpenAttemptMs = -Infinity;
  let lastOpenError = 'the store has not been opened';
  let tables = new Map<string, EventTable>();
  let serverFeatures: ServerFeatures[] = [];
  let closed = false;
  let draining = false;
  let readTurn = 0;
  let lastSweepMs = -Infinity;
  const background = new Set<Promise<unknown>>();

  const q = (table: string): string => qualifiedName(database, table);
  const readTable = (table: string): string => q(distributed ? `${table}${DISTRIBUTED_SUFFIX}` : table);

  function track(p: Promise<unknown>): void {
    const settled = p.catch(() => undefined);
    background.add(settled);
    void settled.finally(() => background.delete(settled));
  }

  async function select<T>(client: ClickHouseClient, query: string, settings: ClickHouseSettings = QUERY_SETTINGS): Promise<T[]> {
    const rs = await client.query({ query, format: 'JSONEachRow', clickhouse_settings: settings });
    return rs.json<T>();
  }

  async function command(client: ClickHouseClient, query: string, settings: ClickHouseSettings = {}): Promise<void> {
    await client.command({ query, clickhouse_settings: { ...QUERY_SETTINGS, ...settings } });
  }

  function readClient(): ClickHouseClient {
    readTurn = (readTurn + 1) % shards.length;
    return shards[readTurn]!.client;
  }

  /** The schema, once the tables exist; retries creating them (at most every `reopenIntervalMs`) after a failed open. */
  async function ready(): Promise<{ schema: StoreSchema }> {
    if (closed) throw new StoreUnavailableError('the store is closed');
    if (schema !== undefined) return { schema };
    if (wanted === undefined) throw new StoreUnavailableError('the store was used before open()');
    if (migrating === undefined) {
      if (performance.now() - lastOpenAttemptMs < reopenIntervalMs) throw new StoreUnavailableError(lastOpenError);
      migrating = migrate(wanted).finally(() => {
        migrating = undefined;
      });
    }
    await migrating;
    return { schema: schema! };
  }

  async function migrate(s: StoreSchema): Promise<void> {
    lastOpenAttemptMs = performance.now();
    try {
      serverFeatures = await Promise.all(shards.map(probe));
      await Promise.all(shards.map((shard, i) => migrateShard(shard, serverFeatures[i]!)));
      tables = await readPositions();
    } catch (error) {
      if (error instanceof CollectorConfigError) throw error;
      const e = unavailable('the ClickHouse schema could not be created', error);
      lastOpenError = e.message;
      throw e;
    }
    schema = s;
  }

  function tableOf(event: string): EventTable {
    const t = tables.get(event);
    if (t === undefined) throw new RangeError(`no stored event named ${JSON.stringify(event)}`);
    return t;
  }

  /** Write ids of hidden rows of an event (and of whole hidden attempts), optionally within period days. */
  function hiddenFilter(event: string | null, fromPeriodDay?: string, toDay?: string): string {
    const scopes = event === null ? [stringLiteral('write')] : [stringLiteral('write'), stringLiteral(event)];
    const range = fromPeriodDay === undefined || toDay === undefined ? '' : ` AND period_day >= ${dateLiteral(fromPeriodDay)} AND period_day <= ${dateLiteral(toDay)}`;
    return `write_id NOT IN (SELECT write_id FROM ${q(BOOKKEEPING.hidden)} WHERE scope IN ${inList(scopes)}${range})`;
  }

  async function guarded<T>(what: string, run: () => Promise<T>): Promise<T> {
    await ready();
    try {
      return await run();
    } catch (error) {
      throw unavailable(what, error);
    }
  }

  // ---- open -------------------------------------------------------------------------------

  async function probe(shard: Shard): Promise<ServerFeatures> {
    const [v] = await select<{ v: string }>(shard.client, 'SELECT version() AS v');
    const [f] = await select<{ n: string | number }>(shard.client, "SELECT count() AS n FROM system.merge_tree_settings WHERE name IN ('fsync_after_insert', 'fsync_part_directory')");
    const [p] = await select<{ n: string | number }>(shard.client, "SELECT count() AS n FROM system.columns WHERE database = 'system' AND table = 'columns' AND name = 'position'");
    return { version: v?.v ?? 'unknown', fsyncAfterInsert: Number(f?.n ?? 0) === 2, columnPositions: Number(p?.n ?? 0) === 1 };
  }

  async function migrateShard(shard: Shard, features: ServerFeatures): Promise<void> {
    const c = shard.client;
    await command(c, `CREATE DATABASE IF NOT EXISTS ${identifier(database)}`);
    for (const b of createBookkeepingSql(database, engine, features)) await command(c, b.sql);
    for (const t of tables.values()) await command(c, createEventTableSql(database, t, engine, features));
    if (distributed) {
      const [n] = await select<{ n: string | number }>(c, `SELECT count() AS n FROM system.clusters WHERE cluster = ${stringLiteral(cluster)} AND replica_num = 1`);
      if (Number(n?.n ?? 0) !== shards.length) {
        throw new CollectorConfigError('CONFIG_INVALID_VALUE', `clickhouse: the server at ${shard.url} has no cluster "${cluster}" with ${shards.length} shards in <remote_servers> (found ${Number(n?.n ?? 0)}); list the shards in the order of --clickhouse-url`);
      }
    }
    if (distributed) {
      // A new Distributed table copies its local table's columns; older ones get new columns below.
      for (const t of tables.values()) await command(c, createDistributedSql(database, t.table, cluster, SHARDING_KEY_SQL));
      await command(c, createDistributedSql(database, BOOKKEEPING.batches, cluster, SHARDING_KEY_SQL));
    }
    // Fields added by a newer catalog version: add their columns, refuse a changed type.
    const names = [...tables.values()].flatMap((t) => (distributed ? [t.table, t.distributed] : [t.table]));
    const existing = await select<{ table: string; name: string; type: string }>(c, `SELECT table, name, type FROM system.columns WHERE database = ${stringLiteral(database)} AND table IN ${inList(names.map(stringLiteral))}`);
    const columns = new Map(existing.map((r) => [`${r.table}.${r.name}`, r.type]));
    for (const t of tables.values()) {
      for (const f of t.fields) {
        const col = fieldColumn(f.name);
        const want = fieldType(f.type);
        for (const table of distributed ? [t.table, t.distributed] : [t.table]) {
          const have = columns.get(`${table}.${col}`);
          if (have === undefined) {
            await addColumn(c, table, col, want);
          } else if (have !== want) {
            throw new CollectorConfigError('CONFIG_CATALOG_INCOMPATIBLE', `clickhouse: ${t.event}.${f.name} is stored as ${have}, the catalog now needs ${want}; give the new meaning a new field name`);
          }
        }
      }
      // Enough first-flag words for every field column the table now has.
      const fieldColumns = new Set([...existing.filter((r) => r.table === t.table && fieldOfColumn(r.name) !== null).map((r) => r.name), ...t.fields.map((f) => fieldColumn(f.name))]);
      for (let w = 0; w < maskWords(fieldColumns.size); w++) {
        for (const table of distributed ? [t.table, t.distributed] : [t.table]) {
          if (!columns.has(`${table}.${flagColumn(w)}`)) await addColumn(c, table, flagColumn(w), 'UInt64');
        }
      }
    }
  }

  async function addColumn(c: ClickHouseClient, table: string, column: string, type: string): Promise<void> {
    await command(c, `ALTER TABLE ${q(table)} ADD COLUMN ${identifier(column)} ${type}`).catch((error: unknown) => {
      // Another collector added it a moment ago.
      if (!/already exists|DUPLICATE_COLUMN|Code: 15\b/.test(messageOf(error))) throw error;
    });
  }

  /** Flag positions: the field columns of each event table in the first shard's order (new ones come last). */
  async function readPositions(): Promise<Map<string, EventTable>> {
    const rows = await select<{ table: string; name: string; type: string }>(
      shards[0]!.client,
      // 18.16 has no position column but lists each table's columns in their order.
      `SELECT table, name, type FROM system.columns WHERE database = ${stringLiteral(database)} AND table IN ${inList([...tables.values()].map((t) => stringLiteral(t.table)))}${serverFeatures[0]?.columnPositions === true ? ' ORDER BY table, position' : ''}`,
    );
    const out = new Map<string, EventTable>();
    for (const t of tables.values()) {
      const positions = rows.flatMap((r) => {
        const field = r.table === t.table ? fieldOfColumn(r.name) : null;
        return field === null ? [] : [{ field, type: t.fieldsByName.get(field)?.type ?? storedTypeOf(r.type) }];
      });
      out.set(t.event, { ...t, positions });
    }
    return out;
  }

  // ---- append: group commit per shard ---------------------------------------------------------

  function schedule(shard: Shard): void {
    if (shard.flushing !== undefined || shard.timer !== undefined || shard.queue.length === 0) return;
    const wait = draining ? 0 : shard.lastFlushStartMs + flushIntervalMs - performance.now();
    if (wait <= 0 || shard.queuedEvents >= maxGroupEvents) {
      shard.flushing = flush(shard);
      return;
    }
    shard.timer = setTimeout(() => {
      shard.timer = undefined;
      schedule(shard);
    }, wait);
  }

  async function flush(shard: Shard): Promise<void> {
    shard.lastFlushStartMs = performance.now();
    const group: Pending[] = [];
    let events = 0;
    while (shard.queue.length > 0 && (group.length === 0 || events + shard.queue[0]!.batch.events.length <= maxGroupEvents)) {
      const p = shard.queue.shift()!;
      events += p.batch.events.length;
      group.push(p);
    }
    shard.queuedEvents -= events;
    try {
      await commitGroup(shard, group);
    } catch (error) {
      const e = unavailable(`shard ${shard.index + 1} could not store the batch`, error);
      for (const p of group) p.reject(e);
    } finally {
      shard.flushing = undefined;
      schedule(shard);
    }
  }

  async function lookup(shard: Shard, group: readonly Pending[]): Promise<{ markers: VisibleMarker[]; rows: VisibleRow[] }> {
    const keys = inList([...new Set(group.map((p) => p.batch.batchKey))].map(hexLiteral));
    const pseudonyms = inList([...new Set(group.map((p) => p.batch.pseudonym))].map(hexLiteral));
    const dayList = inList([...new Set(group.map((p) => p.periodDay))].map(dateLiteral));
    // Only the kinds this group carries: their rows bound it and give its first flags, and a
    // batch's earlier attempt wrote only to them. One query per table, all at once.
    const kinds = [...new Set(group.flatMap((p) => p.batch.events.map((e) => e.event)))].map(tableOf);
    const [found, ...perTable] = await Promise.all([
      select<{ batch_key: string; w: string; a: number | string; b: number | string }>(
        shard.client,
        `SELECT batch_key, toString(write_id) AS w, accepted AS a, bounded AS b FROM ${q(BOOKKEEPING.batches)} WHERE batch_key IN ${keys} AND ${hiddenFilter(null)}`,
        POINT_SETTINGS,
      ),
      ...kinds.map((t) =>
        select<Record<string, unknown>>(
          shard.client,
          `SELECT batch_key, toString(write_id) AS w, pseudonym, toString(period_day) AS pd${t.positions.map((p, i) => `, ${identifier(fieldColumn(p.field))} AS p${i}`).join('')}
             FROM ${q(t.table)} WHERE period_day IN ${dayList} AND pseudonym IN ${pseudonyms}
              AND write_id NOT IN (SELECT write_id FROM ${q(BOOKKEEPING.hidden)} WHERE scope IN ('write', ${stringLiteral(t.event)}) AND period_day IN ${dayList})`,
          POINT_SETTINGS,
        ),
      ),
    ]);
    const markers = found.map((r) => ({ batchKey: r.batch_key, writeId: BigInt(r.w), accepted: Number(r.a), bounded: Number(r.b) }));
    const rows: VisibleRow[] = [];
    kinds.forEach((t, k) => {
      for (const r of perTable[k]!) {
        const values = t.positions.map((p, i) => fromColumn(r[`p${i}`], p.type));
        rows.push({ batchKey: String(r.batch_key), writeId: BigInt(String(r.w)), pseudonym: String(r.pseudonym), periodDay: String(r.pd), event: t.event, values });
      }
    });
    return { markers, rows };
  }

  async function hide(shard: Shard, entries: readonly { periodDay: string; writeId: bigint; scope: string; reason: string }[]): Promise<void> {
    if (entries.length === 0) return;
    const insMs = now();
    await shard.client.insert({
      table: q(BOOKKEEPING.hidden),
      values: entries.map((e) => ({ period_day: e.periodDay, write_id: e.writeId.toString(), scope: e.scope, reason: e.reason, ins_ms: insMs })),
      format: 'JSONEachRow',
      clickhouse_settings: insertSettings,
    });
  }

  /** Asks the shard to remove hidden attempts' rows for good; queries ignore them already. */
  function mutateAway(shard: Shard, writeIds: readonly bigint[], eventNames: readonly string[] | null, markersToo: boolean): Promise<void> {
    if (writeIds.length === 0) return Promise.resolve();
    const ids = inList(writeIds.map((w) => uint64Literal(w)));
    const targets = (eventNames === null ? [...tables.values()] : eventNames.map(tableOf)).map((t) => t.table);
    if (markersToo) targets.push(BOOKKEEPING.batches);
    return Promise.all(targets.map((t) => command(shard.client, `ALTER TABLE ${q(t)} DELETE WHERE write_id IN ${ids}`))).then(() => undefined);
  }

  async function commitGroup(shard: Shard, group: readonly Pending[]): Promise<void> {
    const { markers, rows } = await lookup(shard, group);
    const plans = planAppends(
      group.map((p) => p.batch),
      group.map((p) => p.periodDay),
      markers,
      rows,
      (event) => tableOf(event).positions.map((p) => p.field),
      newWriteId,
    );
    const writes = plans.flatMap((p) => (p.kind === 'write' ? [p] : []));
    const insMs = now();

    // 1. Earlier attempts of these keys that never wrote a marker: hidden before anything new is written.
    const orphanHides = plans.flatMap((p, i) => (p.kind === 'write' ? p.orphans.map((w) => ({ periodDay: group[i]!.periodDay, writeId: w, scope: 'write', reason: 'uncommitted' })) : []));
    const extraHides = plans.flatMap((p, i) => (p.kind === 'duplicate' ? p.extraMarkers.map((w) => ({ periodDay: group[i]!.periodDay, writeId: w, scope: 'write', reason: 'concurrent' })) : []));
    await hide(shard, [...orphanHides, ...extraHides]);

    // 2. The rows, one insert per event table.
    const byTable = new Map<string, Record<string, unknown>[]>();
    plans.forEach((p, i) => {
      if (p.kind !== 'write') return;
      const b = group[i]!.batch;
      for (const r of p.rows) {
        const t = tableOf(r.event);
        const row: Record<string, unknown> = {
          period_day: p.periodDay,
          day: r.day,
          pseudonym: b.pseudonym,
          batch_key: b.batchKey,
          write_id: p.writeId.toString(),
          ins_ms: insMs,
          seq: r.seq,
          catalog_version: b.catalogVersion,
          flag_fields: t.positions.length,
        };
        r.flags.forEach((word, w) => {
          row[flagColumn(w)] = word.toString();
        });
        for (const f of t.fields) row[fieldColumn(f.name)] = toColumn(r.fields[f.name] ?? null, f.type);
        const list = byTable.get(t.table) ?? [];
        list.push(row);
        byTable.set(t.table, list);
      }
    });
    // Tables an uncommitted earlier attempt had written: its rows, copied under the new write id.
    const copies = plans.flatMap((p) => (p.kind === 'write' ? p.copies.map((c) => ({ ...c, to: p.writeId, periodDay: p.periodDay })) : []));
    await Promise.all([
      ...[...byTable].map(([table, values]) => shard.client.insert({ table: q(table), values, format: 'JSONEachRow', clickhouse_settings: insertSettings })),
      ...copies.map((c) => {
        const t = tableOf(c.event);
        const columns = [...EVENT_COLUMNS.map(([name]) => name), ...Array.from({ length: maskWords(t.positions.length) }, (_, w) => flagColumn(w)), ...t.positions.map((p) => fieldColumn(p.field))];
        const select = columns.map((col) => (col === 'write_id' ? uint64Literal(c.to) : col === 'ins_ms' ? uint64Literal(String(insMs)) : identifier(col)));
        return command(
          shard.client,
          `INSERT INTO ${q(t.table)} (${columns.map(identifier).join(', ')}) SELECT ${select.join(', ')} FROM ${q(t.table)} WHERE period_day = ${dateLiteral(c.periodDay)} AND write_id = ${uint64Literal(c.writeId)}`,
          insertSettings,
        );
      }),
    ]);

    // 3. The markers: from here on the attempts are committed.
    if (writes.length > 0) {
      await shard.client.insert({
        table: q(BOOKKEEPING.batches),
        values: plans.flatMap((p, i) => {
          if (p.kind !== 'write') return [];
          const b = group[i]!.batch;
          return [{ period_day: p.periodDay, batch_key: b.batchKey, write_id: p.writeId.toString(), pseudonym: b.pseudonym, accepted: p.result.accepted, bounded: p.result.bounded, ins_ms: insMs }];
        }),
        format: 'JSONEachRow',
        clickhouse_settings: insertSettings,
      });
    }

    // 4. Another collector may have committed the same key meanwhile: the smallest write id wins, everywhere.
    const outcomes = new Map<number, AppendResult | Error | typeof TAKEN_OVER>();
    const loserHides: { periodDay: string; writeId: bigint; scope: string; reason: string }[] = [];
    if (writes.length > 0) {
      const keys = inList(plans.flatMap((p, i) => (p.kind === 'write' ? [hexLiteral(group[i]!.batch.batchKey)] : [])));
      const committed = await select<{ batch_key: string; w: string; a: number | string; b: number | string }>(
        shard.client,
        `SELECT batch_key, toString(write_id) AS w, accepted AS a, bounded AS b FROM ${q(BOOKKEEPING.batches)} WHERE batch_key IN ${keys} AND ${hiddenFilter(null)}`,
        POINT_SETTINGS,
      );
      const byKey = new Map<string, VisibleMarker[]>();
      for (const r of committed) {
        const list = byKey.get(r.batch_key) ?? [];
        list.push({ batchKey: r.batch_key, writeId: BigInt(r.w), accepted: Number(r.a), bounded: Number(r.b) });
        byKey.set(r.batch_key, list);
      }
      plans.forEach((p, i) => {
        if (p.kind !== 'write') return;
        const visible = byKey.get(group[i]!.batch.batchKey) ?? [];
        const winner = winnerOf(visible);
        for (const m of visible) if (m !== winner) loserHides.push({ periodDay: p.periodDay, writeId: m.writeId, scope: 'write', reason: 'concurrent' });
        // Our rows were hidden by a concurrent attempt of the key that has not committed yet: wait for it below.
        if (winner === undefined) outcomes.set(i, TAKEN_OVER);
        else if (winner.writeId === p.writeId) outcomes.set(i, p.result);
        else outcomes.set(i, { accepted: winner.accepted, bounded: winner.bounded, duplicate: true, byEvent: {} });
      });
      await hide(shard, loserHides);
    }

    // 5. Answer.
    const answer = (i: number): AppendResult | Error | typeof TAKEN_OVER => {
      const p: PlannedAppend = plans[i]!;
      if (p.kind === 'duplicate') return p.result;
      if (p.kind === 'same-as') {
        const first = answer(p.index);
        return first instanceof Error || first === TAKEN_OVER ? first : { accepted: first.accepted, bounded: first.bounded, duplicate: true, byEvent: {} };
      }
      return outcomes.get(i) ?? new StoreUnavailableError('the batch has no outcome');
    };
    group.forEach((pending, i) => {
      const a = answer(i);
      if (a === TAKEN_OVER) track(awaitTakeover(shard, pending));
      else if (a instanceof Error) pending.reject(a);
      else pending.resolve(a);
    });
    // Hidden attempts are removed for good by the sweep in maintain(), in bulk: on 18.16 a
    // mutation rewrites every part of a table, too dear for each failed attempt.
  }

  /** Waits a little for the concurrent attempt that hid ours to commit, and answers with its outcome; else asks for a retry. */
  async function awaitTakeover(shard: Shard, pending: Pending): Promise<void> {
    const key = hexLiteral(pending.batch.batchKey);
    try {
      for (let attempt = 1; attempt <= TAKEOVER_CHECKS; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, TAKEOVER_STEP_MS * attempt));
        const rows = await select<{ w: string; a: number | string; b: number | string }>(
          shard.client,
          `SELECT toString(write_id) AS w, accepted AS a, bounded AS b FROM ${q(BOOKKEEPING.batches)} WHERE batch_key = ${key} AND ${hiddenFilter(null)}`,
          POINT_SETTINGS,
        );
        const winner = winnerOf(rows.map((r) => ({ batchKey: pending.batch.batchKey, writeId: BigInt(r.w), accepted: Number(r.a), bounded: Number(r.b) })));
        if (winner !== undefined) {
          pending.resolve({ accepted: winner.accepted, bounded: winner.bounded, duplicate: true, byEvent: {} });
          return;
        }
      }
      pending.reject(new StoreUnavailableError('a concurrent attempt of this batch key has not committed yet; retry'));
    } catch (error) {
      pending.reject(unavailable('the batch key could not be checked', error));
    }
  }

  // ---- the store --------------------------------------------------------------------------

  const store: ClickHouseStore = {
    database,

    async open(s) {
      closed = false;
      draining = false;
      tables = eventTables(s);
      schema = undefined;
      wanted = s;
      lastOpenAttemptMs = -Infinity;
      // A ClickHouse that is down now leaves the store answering 503 until a later call finds it up.
      await ready();
    },

    async append(batch) {
      await ready();
      const range = periodRange(batch.period);
      if (range === null) throw new RangeError(`not a period: ${JSON.stringify(batch.period.slice(0, 20))}`);
      for (const e of batch.events) {
        const t = tableOf(e.event);
        for (const f of t.fields) checkValue(e.event, f.name, e.fields[f.name] ?? null, f.type);
      }
      hexLiteral(batch.batchKey);
      const shard = shards[shardOf(batch.pseudonym, shards.length)]!;
      return new Promise<AppendResult>((resolve, reject) => {
        shard.queue.push({ batch, periodDay: dayOf(range.startMs), resolve, reject });
        shard.queuedEvents += batch.events.length;
        schedule(shard);
      });
    },

    async lookupBatch(batchKey) {
      const key = hexLiteral(batchKey);
      return guarded('the batch key could not be looked up', async () => {
        const rows = await select<{ w: string; a: number | string; b: number | string }>(
          readClient(),
          `SELECT toString(write_id) AS w, accepted AS a, bounded AS b FROM ${readTable(BOOKKEEPING.batches)} WHERE batch_key = ${key} AND ${hiddenFilter(null)}`,
        );
        const winner = winnerOf(rows.map((r) => ({ batchKey, writeId: BigInt(r.w), accepted: Number(r.a), bounded: Number(r.b) })));
        return winner === undefined ? null : { accepted: winner.accepted, bounded: winner.bounded };
      });
    },

    async queryAggregates(query: AggregateQuery): Promise<AggregateCell[]> {
      const { schema: s } = await ready();
      const t = tableOf(query.event);
      const types = query.groupBy.map((name) => {
        const f = t.fieldsByName.get(name);
        if (f === undefined || !f.groupable) throw new RangeError(`${query.event} has no groupable field ${JSON.stringify(name)}`);
        return f.type;
      });
      const bucket = query.granularity === 'day' ? 'day' : query.granularity === 'week' ? 'toMonday(day)' : 'toStartOfMonth(day)';
      const firstPeriodDay = dayOf(periodRange(periodOf(Date.parse(`${query.from}T00:00:00Z`), s.linkage))!.startMs);
      const values = query.groupBy.map((name, i) => `${identifier(fieldColumn(name))} AS v${i}`);
      const names = query.groupBy.map((_, i) => `v${i}`);
      const by = names.map((n) => `, ${n}`).join('');
      // Distinct pseudonyms per linkage period, then summed (installs) and maximised (peak).
      // Fast: the sum of the rows' first flag for the grouped fields (set at ingest), valid when
      // every bucket holds whole linkage periods and every row's flags cover those fields.
      // Otherwise uniqExact: a pseudonym lives on one shard, so the Distributed merge is exact.
      const positions = query.groupBy.map((name) => t.positions.findIndex((p) => p.field === name));
      const flagged = query.groupBy.length <= 2 && positions.every((p) => p >= 0) && coversWholePeriods(s.linkage, query);
      const subset = flagged ? subsetIndex(positions) : 0;
      const distinct = (fast: boolean): string => (fast ? `sum(bitAnd(bitShiftRight(${identifier(flagColumn(subset >> 6))}, ${subset & 63}), 1))` : 'uniqExact(pid)');
      const sqlFor = (fast: boolean): string => `SELECT toString(b) AS p${by}, sum(n) AS cell_events, sum(u) AS cell_installs, max(u) AS cell_peak, min(c) AS cover
        FROM (SELECT ${bucket} AS b, period_day AS pd${values.map((v) => `, ${v}`).join('')}, count() AS n, ${distinct(fast)} AS u, min(flag_fields) AS c
                FROM ${readTable(t.table)}
               WHERE day >= ${dateLiteral(query.from)} AND day <= ${dateLiteral(query.to)} AND ${hiddenFilter(t.event, firstPeriodDay, query.to)}
               GROUP BY b, pd${by})
        GROUP BY p${by}`;
      const needed = Math.max(0, ...positions) + 1;
      let rows = await guarded('the statistics could not be computed', () => select<Record<string, unknown>>(readClient(), sqlFor(flagged)));
      // Rows written before a grouped field existed have no flag for it: count those exactly instead.
      if (flagged && query.groupBy.length > 0 && rows.some((r) => Number(r.cover) < needed)) {
        rows = await guarded('the statistics could not be computed', () => select<Record<string, unknown>>(readClient(), sqlFor(false)));
      }
      return rows
        .map((r) => ({
          period: periodLabel(String(r.p), query.granularity),
          values: types.map((type, i) => fromColumn(r[`v${i}`], type)),
          events: Number(r.cell_events),
          installs: Number(r.cell_installs),
          peakInstalls: Number(r.cell_peak),
        }))
        .sort(compareCells);
    },

    async deleteSubjects(selector) {
      await ready();
      if (selector.pseudonyms.length === 0) return 0;
      const targets = selector.events === undefined ? [...tables.values()] : selector.events.flatMap((e) => (tables.has(e) ? [tables.get(e)!] : []));
      if (targets.length === 0) return 0;
      const perShard = groupByShard(selector.pseudonyms);
      const counts = await Promise.all(
        [...perShard].map(([index, pseudonyms]) =>
          guarded('the deletion could not be stored', async () => {
            const shard = shards[index]!;
            const list = inList(pseudonyms.map(hexLiteral));
            const sql = targets
              .map((t) => `SELECT ${stringLiteral(t.event)} AS event, toString(write_id) AS w, toString(period_day) AS pd, toUInt64(count()) AS n FROM ${q(t.table)} WHERE pseudonym IN ${list} AND ${hiddenFilter(t.event)} GROUP BY write_id, period_day`)
              .join('\nUNION ALL\n');
            const found = await select<{ event: string; w: string; pd: string; n: string | number }>(shard.client, sql);
            // Hidden at once (durably, before answering); the mutations below remove the rows later.
            await hide(shard, found.map((r) => ({ periodDay: r.pd, writeId: BigInt(r.w), scope: r.event, reason: 'subject-deletion' })));
            const byEvent = new Map<string, bigint[]>();
            for (const r of found) byEvent.set(r.event, [...(byEvent.get(r.event) ?? []), BigInt(r.w)]);
            track(Promise.all([...byEvent].map(([event, ids]) => mutateAway(shard, ids, [event], false))));
            return found.reduce((sum, r) => sum + Number(r.n), 0);
          }),
        ),
      );
      return counts.reduce((a, b) => a + b, 0);
    },

    async exportSubjects(selector) {
      const { schema: s } = await ready();
      if (selector.pseudonyms.length === 0) return [];
      const targets = selector.events === undefined ? [...tables.values()] : selector.events.flatMap((e) => (tables.has(e) ? [tables.get(e)!] : []));
      const out: StoredEvent[] = [];
      for (const [index, pseudonyms] of groupByShard(selector.pseudonyms)) {
        const shard = shards[index]!;
        const list = inList(pseudonyms.map(hexLiteral));
        for (const t of targets) {
          const cols = t.fields.map((f, i) => `${identifier(fieldColumn(f.name))} AS f${i}`);
          const sql = `SELECT toString(day) AS d, toString(period_day) AS pd, pseudonym, catalog_version AS v${cols.map((c) => `, ${c}`).join('')}
            FROM ${q(t.table)} WHERE pseudonym IN ${list} AND ${hiddenFilter(t.event)} ORDER BY day, ins_ms, seq`;
          const rows = await guarded('the export could not be read', () => select<Record<string, unknown>>(shard.client, sql));
          for (const r of rows) {
            const fields: Record<string, WireValue> = {};
            t.fields.forEach((f, i) => {
              fields[f.name] = fromColumn(r[`f${i}`], f.type);
            });
            out.push({ event: t.event, day: String(r.d), pseudonym: String(r.pseudonym), period: periodOf(Date.parse(`${String(r.pd)}T00:00:00Z`), s.linkage), catalogVersion: String(r.v), fields });
          }
        }
      }
      return out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    },

    async applyRetention(request: RetentionRequest): Promise<RetentionResult> {
      const { schema: s } = await ready();
      const deletedByEvent: Record<string, number> = {};
      let batchKeysDeleted = 0;
      for (const shard of shards) {
        await guarded(`retention could not be applied on shard ${shard.index + 1}`, async () => {
          for (const { event, beforeDay } of request.events) {
            const t = tables.get(event);
            if (t === undefined) continue;
            // Whole linkage periods go together: a partition is one period's first day.
            const old = (await partitionsOf(shard, t.table)).filter((p) => p.first < beforeDay);
            const [n] = old.length === 0 ? [] : await select<{ n: string | number }>(shard.client, `SELECT count() AS n FROM ${q(t.table)} WHERE period_day < ${dateLiteral(beforeDay)} AND ${hiddenFilter(t.event)}`);
            deletedByEvent[event] = (deletedByEvent[event] ?? 0) + Number(n?.n ?? 0);
            for (const p of old) await command(shard.client, `ALTER TABLE ${q(t.table)} DROP PARTITION ${p.partition}`);
          }
          // A month of batch keys goes once every period in it ended before the cutoff.
          const ended = (await partitionsOf(shard, BOOKKEEPING.batches)).filter((p) => lastDayOfPeriod(p.last, s.linkage) < request.batchKeysBeforeDay);
          if (ended.length > 0) {
            const [n] = await select<{ n: string | number }>(
              shard.client,
              `SELECT count() AS n FROM ${q(BOOKKEEPING.batches)} WHERE toYYYYMM(period_day) IN ${inList(ended.map((p) => uint64Literal(p.partition)))} AND ${hiddenFilter(null)}`,
            );
            batchKeysDeleted += Number(n?.n ?? 0);
            for (const p of ended) await command(shard.client, `ALTER TABLE ${q(BOOKKEEPING.batches)} DROP PARTITION ${p.partition}`);
          }
          // Hides are needed while any event of their period may still hold rows.
          const cutoffs = s.events.map((e) => request.events.find((r) => r.event === e.name)?.beforeDay);
          const known = cutoffs.filter((c) => c !== undefined);
          if (known.length === cutoffs.length && known.length > 0) {
            const oldest = known.reduce((a, b) => (a < b ? a : b));
            for (const p of await partitionsOf(shard, BOOKKEEPING.hidden)) {
              if (p.first < oldest) await command(shard.client, `ALTER TABLE ${q(BOOKKEEPING.hidden)} DROP PARTITION ${p.partition}`);
            }
          }
        });
      }
      return { deletedByEvent, batchKeysDeleted };
    },

    async spendBudget(spend: BudgetSpend): Promise<BudgetResult> {
      await ready();
      // Every collector reserves on the same shard; a spend is granted only if all reservations
      // it can see (its own included) fit the limit, so concurrent spends never overdraw.
      const shard = shards[0]!;
      const id = newWriteId();
      const where = `dataset = ${stringLiteral(spend.dataset)} AND day = ${dateLiteral(spend.day)}`;
      numberLiteral(spend.epsilon);
      return guarded('the budget could not be charged', async () => {
        const row = (kind: string): Record<string, unknown> => ({ dataset: spend.dataset, day: spend.day, spend_id: id.toString(), epsilon: spend.epsilon, kind, ins_ms: now() });
        await shard.client.insert({ table: q(BOOKKEEPING.budget), values: [row('reserve')], format: 'JSONEachRow', clickhouse_settings: insertSettings });
        const rows = await select<{ id: string; e: number }>(
          shard.client,
          `SELECT toString(spend_id) AS id, epsilon AS e FROM ${q(BOOKKEEPING.budget)} WHERE ${where} AND kind = 'reserve'
             AND spend_id NOT IN (SELECT spend_id FROM ${q(BOOKKEEPING.budget)} WHERE ${where} AND kind = 'cancel') ORDER BY spend_id`,
        );
        const others = rows.filter((r) => r.id !== id.toString()).reduce((sum, r) => sum + Number(r.e), 0);
        if (others + spend.epsilon <= spend.limit + BUDGET_TOLERANCE) return { granted: true, spent: others + spend.epsilon };
        await shard.client.insert({ table: q(BOOKKEEPING.budget), values: [row('cancel')], format: 'JSONEachRow', clickhouse_settings: insertSettings });
        return { granted: false, spent: others };
      });
    },

    async maintain() {
      await ready();
      const t = now();
      await guarded('maintenance failed', async () => {
        for (const shard of shards) {
          // Concurrent attempts whose later writer died before hiding the loser.
          const dup = await select<{ pd: string; ws: string[] }>(
            shard.client,
            `SELECT toString(any(period_day)) AS pd, groupArray(toString(write_id)) AS ws FROM ${q(BOOKKEEPING.batches)} WHERE ${hiddenFilter(null)} GROUP BY batch_key HAVING count() > 1`,
          );
          const losers = dup.flatMap((d) => {
            const ids = d.ws.map((w) => BigInt(w)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
            return ids.slice(1).map((writeId) => ({ periodDay: d.pd, writeId, scope: 'write', reason: 'concurrent' }));
          });
          await hide(shard, losers);
        }
        if (t - lastSweepMs < sweepIntervalMs) return;
        lastSweepMs = t;
        await Promise.all(shards.map(sweep));
      });
    },

    async health(): Promise<StoreHealth> {
      if (closed) return { ok: false, detail: 'the store is closed' };
      const down: string[] = [];
      await Promise.all(
        shards.map(async (s) => {
          const r = await s.client.ping().catch((error: unknown) => ({ success: false as const, error }));
          if (!r.success) down.push(`shard ${s.index + 1} (${s.url}): ${messageOf((r as { error?: unknown }).error)}`);
        }),
      );
      return down.length === 0 ? { ok: true } : { ok: false, detail: `unreachable: ${down.join('; ')}` };
    },

    async close() {
      if (closed) return;
      // Answer what was accepted before close: those callers are waiting. No linger while draining.
      draining = true;
      for (;;) {
        for (const sh of shards) {
          if (sh.timer !== undefined) clearTimeout(sh.timer);
          sh.timer = undefined;
          schedule(sh);
        }
        const busy = shards.flatMap((sh) => (sh.flushing === undefined ? [] : [sh.flushing]));
        if (busy.length === 0) break;
        await Promise.all(busy);
      }
      await Promise.all([...background]);
      closed = true;
      await Promise.all(shards.map((sh) => sh.client.close()));
    },

    tables: () => tables,
    features: () => serverFeatures,
    shardOf: (pseudonym) => shardOf(pseudonym, shards.length),
  };

  /** The partitions of a table with the days they span; only numeric day or month partitions (ours). */
  async function partitionsOf(shard: Shard, table: string): Promise<{ partition: string; first: string; last: string }[]> {
    const rows = await select<{ partition: string }>(shard.client, `SELECT DISTINCT partition FROM system.parts WHERE database = ${stringLiteral(database)} AND table = ${stringLiteral(table)} AND active`);
    return rows.flatMap((r) => {
      const days = partitionDays(r.partition);
      return days === null ? [] : [{ partition: r.partition, ...days }];
    });
  }

  /** Issues mutations, in bulk, for rows that are hidden but still on disk: failed and concurrent attempts, deletions whose mutation failed. */
  async function sweep(shard: Shard): Promise<void> {
    const pending = await select<{ n: string | number }>(shard.client, `SELECT count() AS n FROM system.mutations WHERE database = ${stringLiteral(database)} AND is_done = 0`);
    if (Number(pending[0]?.n ?? 0) > 0) return;
    for (const t of tables.values()) {
      const ids = await select<{ w: string }>(
        shard.client,
        `SELECT DISTINCT toString(write_id) AS w FROM ${q(t.table)} WHERE write_id IN (SELECT write_id FROM ${q(BOOKKEEPING.hidden)} WHERE scope IN ('write', ${stringLiteral(t.event)}))
          AND period_day IN (SELECT DISTINCT period_day FROM ${q(BOOKKEEPING.hidden)})`,
      );
      if (ids.length > 0) await mutateAway(shard, ids.map((r) => BigInt(r.w)), [t.event], false);
    }
    const markers = await select<{ w: string }>(
      shard.client,
      `SELECT toString(write_id) AS w FROM ${q(BOOKKEEPING.batches)} WHERE write_id IN (SELECT write_id FROM ${q(BOOKKEEPING.hidden)} WHERE scope = 'write')`,
    );
    if (markers.length > 0) await mutateAway(shard, markers.map((r) => BigInt(r.w)), [], true);
  }

  function groupByShard(pseudonyms: readonly string[]): Map<number, string[]> {
    const out = new Map<number, string[]>();
    for (const p of new Set(pseudonyms)) {
      hexLiteral(p);
      const i = shardOf(p, shards.length);
      out.set(i, [...(out.get(i) ?? []), p]);
    }
    return out;
  }

  return store;
}

/** A random non-zero 63-bit id (positive in every signed reading, so tools never show it negative). */
function newWriteId(): bigint {
  for (;;) {
    const id = randomBytes(8).readBigUInt64BE() >> 1n;
    if (id !== 0n) return id;
  }
}

function checkValue(event: string, field: string, value: WireValue, type: StoredFieldType): void {
  if (value === null) return;
  const ok = type === 'string' ? typeof value === 'string' : type === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === 'boolean';
  if (!ok) throw new TypeError(`${event}.${field} must be a ${type} or null to be stored`);
}

function toColumn(value: WireValue, type: StoredFieldType): unknown {
  if (value === null) return null;
  if (type === 'boolean') return value === true ? 1 : 0;
  return value;
}

function fromColumn(value: unknown, type: StoredFieldType): WireValue {
  if (value === null || value === undefined) return null;
  if (type === 'boolean') return Number(value) === 1;
  if (type === 'number') return Number(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Whether a query's buckets hold whole linkage periods, which first flags need. */
function coversWholePeriods(linkage: StoreSchema['linkage'], query: AggregateQuery): boolean {
  if (linkage === 'day') return true;
  if (linkage !== query.granularity) return false;
  const first = periodRange(periodOf(Date.parse(`${query.from}T00:00:00Z`), linkage))!;
  const last = periodRange(periodOf(Date.parse(`${query.to}T00:00:00Z`), linkage))!;
  return dayOf(first.startMs) === query.from && dayOf(last.endMs - 86_400_000) === query.to;
}

function periodLabel(startDay: string, granularity: AggregateQuery['granularity']): string {
  if (granularity === 'day') return startDay;
  if (granularity === 'month') return startDay.slice(0, 7);
  return periodOf(Date.parse(`${startDay}T00:00:00Z`), 'week');
}

function lastDayOfPeriod(periodDay: string, linkage: StoreSchema['linkage']): string {
  const range = periodRange(periodOf(Date.parse(`${periodDay}T00:00:00Z`), linkage))!;
  return dayOf(range.endMs - 86_400_000);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The engine could not serve: the collector answers 503 and the client retries. */
function unavailable(what: string, error: unknown): Error {
  // Our own refusals pass through; everything the engine or the network throws means "not now".
  if (error instanceof StoreUnavailableError || error instanceof SqlLiteralError || error instanceof CollectorConfigError) return error;
  return new StoreUnavailableError(`${what}: ${messageOf(error).split('\n')[0]!.slice(0, 300)}`, error);
}
