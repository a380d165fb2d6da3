import { createHash } from 'node:crypto';
import type { StoreSchema, StoredEventSchema, StoredField, StoredFieldType } from '../contract.js';
import { maskWords } from '../subsets.js';
import { identifier, qualifiedName, stringLiteral } from './sql-literal.js';

/** What the servers can do, found out at open time (`SELECT version()` and feature probes). */
export interface ServerFeatures {
  /** `version()` of the server, e.g. `18.16.1`. */
  readonly version: string;
  /** MergeTree's `fsync_after_insert` / `fsync_part_directory` settings exist (newer releases; not 18.16). */
  readonly fsyncAfterInsert: boolean;
  /** `system.columns` has a `position` column (newer releases; 18.16 lists columns in table order without it). */
  readonly columnPositions?: boolean;
}

/** How tables are replicated. */
export type TableEngine =
  | { readonly kind: 'merge-tree' }
  /** ReplicatedMergeTree with the servers' `{shard}` and `{replica}` macros; needs ZooKeeper (or Keeper). */
  | { readonly kind: 'replicated'; readonly zooPathPrefix: string };

/** One field column in first-flag position order. */
export interface FlagPosition {
  readonly field: string;
  readonly type: StoredFieldType;
}

/** One stored event kind as laid out in ClickHouse. */
export interface EventTable {
  readonly event: string;
  readonly category: string;
  /** The local (per-shard) MergeTree table. */
  readonly table: string;
  /** The Distributed table over every shard's local table. */
  readonly distributed: string;
  readonly fields: readonly StoredField[];
  readonly fieldsByName: ReadonlyMap<string, StoredField>;
  /**
   * Every field column in the order the first shard's table holds them (new fields are added at
   * the end, so positions never move): the positions first flags are computed over.
   */
  readonly positions: readonly FlagPosition[];
}

/** Names of the bookkeeping tables (local; each has a `_all` Distributed twin). */
export const BOOKKEEPING = {
  batches: 'candor_batches',
  hidden: 'candor_hidden',
  budget: 'candor_budget',
} as const;

/** The suffix of Distributed tables. */
export const DISTRIBUTED_SUFFIX = '_all';

/** Columns every event table starts with, before the fields. */
export const EVENT_COLUMNS: readonly (readonly [name: string, type: string])[] = [
  // The first day of the pseudonym's linkage period: the partition, so that retention drops whole periods.
  ['period_day', 'Date'],
  ['day', 'Date'],
  ['pseudonym', 'String'],
  ['batch_key', 'String'],
  // One random id per attempt to store a batch; hiding an id hides that attempt's rows at once.
  ['write_id', 'UInt64'],
  ['ins_ms', 'UInt64'],
  ['seq', 'UInt16'],
  ['catalog_version', 'String'],
  // How many flag positions the row's first flags cover (fields added later are not covered).
  ['flag_fields', 'UInt16'],
];

/**
 * The first 64 bits of the pseudonym as a number, computed by ClickHouse at insert. Distinct
 * counts use it: uniqExact over 8-byte numbers reads an eighth of the bytes of the 64-character
 * text and hashes far faster, and two HMAC outputs share a 64-bit prefix with probability
 * about n²/2⁶⁵ (3·10⁻⁸ for a million installs in one cell), the DuckDB store's choice too.
 */
export const PID_COLUMN_SQL = '`pid` UInt64 MATERIALIZED reinterpretAsUInt64(reverse(unhex(substring(pseudonym, 1, 16))))';

const FIELD_TYPE: Record<StoredFieldType, string> = { string: 'Nullable(String)', number: 'Nullable(Float64)', boolean: 'Nullable(UInt8)' };

/** The ClickHouse column type of a field. */
export function fieldType(type: StoredFieldType): string {
  return FIELD_TYPE[type];
}

/** The column of first-flag word `word`. */
export function flagColumn(word: number): string {
  return `first_${word}`;
}

/** The field of a field column, or null for other columns. */
export function fieldOfColumn(column: string): string | null {
  return column.startsWith('f_') ? column.slice(2) : null;
}

/** The stored type of a field column's ClickHouse type. */
export function storedTypeOf(columnType: string): StoredFieldType {
  if (columnType.includes('UInt8')) return 'boolean';
  if (columnType.includes('Float64')) return 'number';
  return 'string';
}

/** The column of a field: prefixed so that no field name can collide with the fixed columns. */
export function fieldColumn(field: string): string {
  const name = `f_${field}`;
  identifier(name);
  return name;
}

/**
 * The table of an event: a readable part plus a hash of the exact name, so that two names that
 * read alike (`a.b`, `a_b`) never share a table and the name needs no stored mapping.
 */
export function tableNameOf(event: string): string {
  const readable = event.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40);
  const hash = createHash('sha256').update(event).digest('hex').slice(0, 8);
  return `ev_${readable}_${hash}`;
}

/** The tables of a store schema. */
export function eventTables(schema: StoreSchema): Map<string, EventTable> {
  const out = new Map<string, EventTable>();
  for (const e of schema.events) out.set(e.name, eventTable(e));
  return out;
}

function eventTable(e: StoredEventSchema): EventTable {
  for (const f of e.fields) fieldColumn(f.name);
  const table = tableNameOf(e.name);
  return {
    event: e.name,
    category: e.category,
    table,
    distributed: `${table}${DISTRIBUTED_SUFFIX}`,
    fields: e.fields,
    fieldsByName: new Map(e.fields.map((f) => [f.name, f])),
    positions: e.fields.map((f) => ({ field: f.name, type: f.type })),
  };
}

/**
 * The sharding expression: the first 64 bits of the pseudonym (an HMAC, so uniform) read as a
 * big-endian number. The adapter routes rows with the same rule in JavaScript ({@link shardOf}),
 * so rows written directly to a shard's local table sit where the Distributed table would put them.
 */
export const SHARDING_KEY_SQL = 'reinterpretAsUInt64(reverse(unhex(substring(pseudonym, 1, 16))))';


/** The shard (0-based, in cluster order, all weights 1) that holds a pseudonym's rows. */
export function shardOf(pseudonym: string, shards: number): number {
  if (shards <= 1) return 0;
  const prefix = pseudonym.slice(0, 16).padEnd(16, '0');
  if (!/^[0-9a-f]{16}$/.test(prefix)) throw new RangeError('a pseudonym must be lower-case hex');
  return Number(BigInt(`0x${prefix}`) % BigInt(shards));
}

function engineClause(engine: TableEngine, database: string, table: string, partitionBy: string, orderBy: string, features: ServerFeatures): string {
  const settings: string[] = [];
  // Newer servers can fsync each inserted part; 18.16 cannot (see docs/scale.md on durability).
  if (features.fsyncAfterInsert) settings.push('fsync_after_insert = 1', 'fsync_part_directory = 1');
  const tail = `PARTITION BY ${partitionBy} ORDER BY ${orderBy}${settings.length > 0 ? ` SETTINGS ${settings.join(', ')}` : ''}`;
  if (engine.kind === 'merge-tree') return `ENGINE = MergeTree() ${tail}`;
  const path = `${engine.zooPathPrefix.replace(/\/+$/, '')}/{shard}/${database}/${table}`;
  return `ENGINE = ReplicatedMergeTree(${stringLiteral(path)}, '{replica}') ${tail}`;
}

/** CREATE TABLE statements for the local table of an event (columns in a stable order: fixed, then fields). */
export function createEventTableSql(database: string, t: EventTable, engine: TableEngine, features: ServerFeatures): string {
  const flags = Array.from({ length: maskWords(t.fields.length) }, (_, w) => `${identifier(flagColumn(w))} UInt64`);
  const columns = [...EVENT_COLUMNS.map(([n, type]) => `${identifier(n)} ${type}`), PID_COLUMN_SQL, ...flags, ...t.fields.map((f) => `${identifier(fieldColumn(f.name))} ${fieldType(f.type)}`)];
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(database, t.table)} (${columns.join(', ')}) ${engineClause(engine, database, t.table, 'toYYYYMMDD(period_day)', '(pseudonym, day, write_id)', features)}`;
}

/** CREATE TABLE statements for the bookkeeping tables. */
export function createBookkeepingSql(database: string, engine: TableEngine, features: ServerFeatures): { table: string; sql: string }[] {
  const make = (table: string, columns: string, partitionBy: string, orderBy: string): { table: string; sql: string } => ({
    table,
    sql: `CREATE TABLE IF NOT EXISTS ${qualifiedName(database, table)} (${columns}) ${engineClause(engine, database, table, partitionBy, orderBy, features)}`,
  });
  return [
    // One row per committed attempt: the batch key and its answer. Written after the attempt's rows.
    // By month, not day: a group commit carrying late batches of many days then still writes one
    // or two parts here; batch keys are dropped a month at a time once the whole month has ended.
    make(BOOKKEEPING.batches, '`period_day` Date, `batch_key` String, `write_id` UInt64, `pseudonym` String, `accepted` UInt32, `bounded` UInt32, `ins_ms` UInt64', 'toYYYYMM(period_day)', '(batch_key, write_id)'),
    // Attempts (scope 'write') or an attempt's rows of one event (scope = event name) that no query may see.
    make(BOOKKEEPING.hidden, '`period_day` Date, `write_id` UInt64, `scope` String, `reason` String, `ins_ms` UInt64', 'toYYYYMMDD(period_day)', '(write_id, scope)'),
    // Reservations and cancellations of differential-privacy budget.
    make(BOOKKEEPING.budget, '`dataset` String, `day` Date, `spend_id` UInt64, `epsilon` Float64, `kind` String, `ins_ms` UInt64', 'toYYYYMM(day)', '(dataset, day, spend_id)'),
  ];
}

/** The Distributed twin of a local table. */
export function createDistributedSql(database: string, table: string, cluster: string, shardingKey: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(database, `${table}${DISTRIBUTED_SUFFIX}`)} AS ${qualifiedName(database, table)} ENGINE = Distributed(${identifier(cluster)}, ${stringLiteral(database)}, ${stringLiteral(table)}, ${shardingKey})`;
}

/**
 * The first and last day of a day partition (`toYYYYMMDD`, `20261120`) or a month partition
 * (`toYYYYMM`, `202611`), or null for anything else.
 */
export function partitionDays(partition: string): { first: string; last: string } | null {
  let m = /^(\d{4})(\d{2})(\d{2})$/.exec(partition);
  if (m !== null) {
    const day = `${m[1]}-${m[2]}-${m[3]}`;
    return { first: day, last: day };
  }
  m = /^(\d{4})(\d{2})$/.exec(partition);
  if (m === null) return null;
  const lastDate = new Date(Date.UTC(+m[1]!, +m[2]!, 0));
  return { first: `${m[1]}-${m[2]}-01`, last: lastDate.toISOString().slice(0, 10) };
}
