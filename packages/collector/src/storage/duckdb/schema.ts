import type { DuckDBConnection } from '@duckdb/node-api';
import type { StoreSchema, StoredEventSchema, StoredField, StoredFieldType } from '../contract.js';
import { maskWords } from '../subsets.js';
import { dateLit, str } from './sql.js';

/** How one event kind is laid out in the shared events table. */
export interface EventLayout {
  readonly event: string;
  /** The small integer stored in `event_id`. */
  readonly id: number;
  readonly category: string;
  /** Every field the store holds for the event (current catalogs and earlier ones), by name. */
  readonly fields: ReadonlyMap<string, StoredField>;
  /** The value column (`s0`, `s1`, …) of each field. */
  readonly slots: ReadonlyMap<string, number>;
  /**
   * Fields in their stable position order, each position fixed when the field first appeared:
   * first flags are computed over these (subset indices never shift).
   */
  readonly flagged: readonly string[];
  /** Whether rows carry first flags (a pseudonym may have several rows per period). */
  readonly tracksRows: boolean;
  /** Per groupable field, the day it was added: first flags cover it only for later days. */
  readonly fieldSince: ReadonlyMap<string, string>;
}

/** The physical layout of the store. */
export interface StoreLayout {
  readonly events: ReadonlyMap<string, EventLayout>;
  /** Value columns `s0 … s(n-1)` in the events table. */
  readonly slotCount: number;
  /** First-flag columns `first_0 …` in the events table. */
  readonly flagWords: number;
}

/** Name of a value column. */
export function slotColumn(slot: number): string {
  return `s${slot}`;
}

/** Name of a first-flag word column. */
export function flagColumn(word: number): string {
  return `first_${word}`;
}

/** Columns of the events table before the value and flag columns, in order. */
export const BASE_COLUMNS = ['event_id', 'day', 'period', 'pid', 'pseudonym', 'catalog_version'] as const;

const META_DDL = [
  'CREATE TABLE IF NOT EXISTS candor_meta (key VARCHAR, value VARCHAR)',
  'CREATE TABLE IF NOT EXISTS candor_event_kinds (event VARCHAR, id USMALLINT, category VARCHAR)',
  'CREATE TABLE IF NOT EXISTS candor_fields (event VARCHAR, field VARCHAR, type VARCHAR, slot INTEGER, position INTEGER, added_day DATE)',
  'CREATE TABLE IF NOT EXISTS candor_events (event_id USMALLINT, day DATE, period VARCHAR, pid UBIGINT, pseudonym VARCHAR, catalog_version VARCHAR)',
  'CREATE TABLE IF NOT EXISTS candor_batches (batch_key VARCHAR, period VARCHAR, period_end DATE, accepted INTEGER, bounded INTEGER)',
  'CREATE TABLE IF NOT EXISTS candor_rollup (event_id USMALLINT, day DATE, subset INTEGER, v1 VARCHAR, v2 VARCHAR, events BIGINT, installs BIGINT)',
  'CREATE TABLE IF NOT EXISTS candor_rollup_days (event_id USMALLINT, day DATE)',
  'CREATE TABLE IF NOT EXISTS candor_budget (dataset VARCHAR, day DATE, spent DOUBLE)',
];

/** The schema format written to `candor_meta`; a store refuses files of another format. */
export const SCHEMA_FORMAT = '1';

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? `${value}` : JSON.stringify(value);
}

async function rows(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await connection.runAndReadAll(sql)).getRowsJS();
}

/**
 * Creates or migrates the store for a schema and returns its layout. All events share one
 * table: a commit then touches one table whatever the mix of events in its batches (DuckDB
 * pays per table per commit), and columns hold values as text in per-event slots (`s0`, `s1`,
 * …), typed back by the catalog when read. A field added by a newer catalog takes a new slot;
 * nothing is ever dropped, so data of earlier catalog versions stays queryable and exportable.
 */
export async function migrate(connection: DuckDBConnection, schema: StoreSchema, today: string, readOnly: boolean): Promise<StoreLayout> {
  if (!readOnly) for (const ddl of META_DDL) await connection.run(ddl);
  const format = await rows(connection, "SELECT value FROM candor_meta WHERE key = 'format'");
  if (format.length === 0) {
    if (!readOnly) await connection.run(`INSERT INTO candor_meta VALUES ('format', ${str(SCHEMA_FORMAT)}), ('catalog', ${str(schema.catalogId)})`);
  } else if (text(format[0]![0]) !== SCHEMA_FORMAT) {
    throw new Error(`the store was written in format ${text(format[0]![0])}, this collector reads format ${SCHEMA_FORMAT}`);
  }
  const kinds = new Map((await rows(connection, 'SELECT event, id FROM candor_event_kinds')).map((r) => [text(r[0]), Number(r[1])]));
  const events = new Map<string, EventLayout>();
  for (const event of schema.events) {
    let id = kinds.get(event.name);
    const fresh = id === undefined;
    if (id === undefined) {
      if (readOnly) continue;
      id = Math.max(0, ...kinds.values()) + 1;
      kinds.set(event.name, id);
      await connection.run(`INSERT INTO candor_event_kinds VALUES (${str(event.name)}, ${id}, ${str(event.category)})`);
    }
    events.set(event.name, await migrateEvent(connection, event, id, fresh, today, readOnly));
  }
  const slotCount = Math.max(0, ...[...events.values()].flatMap((e) => [...e.slots.values()].map((s) => s + 1)));
  const flagWords = Math.max(0, ...[...events.values()].map((e) => (e.tracksRows ? maskWords(e.flagged.length) : 0)));
  const columns = new Set((await rows(connection, "SELECT column_name FROM information_schema.columns WHERE table_name = 'candor_events'")).map((r) => text(r[0])));
  if (!readOnly) {
    for (let s = 0; s < slotCount; s++) if (!columns.has(slotColumn(s))) await connection.run(`ALTER TABLE candor_events ADD COLUMN ${slotColumn(s)} VARCHAR`);
    for (let w = 0; w < flagWords; w++) if (!columns.has(flagColumn(w))) await connection.run(`ALTER TABLE candor_events ADD COLUMN ${flagColumn(w)} UBIGINT`);
  }
  return { events, slotCount, flagWords };
}

async function migrateEvent(connection: DuckDBConnection, event: StoredEventSchema, id: number, fresh: boolean, today: string, readOnly: boolean): Promise<EventLayout> {
  const recorded = await rows(connection, `SELECT field, type, slot, position, strftime(added_day, '%Y-%m-%d') FROM candor_fields WHERE event = ${str(event.name)}`);
  const known = new Map<string, { type: StoredFieldType; slot: number; position: number; since: string }>();
  for (const r of recorded) known.set(text(r[0]), { type: text(r[1]) as StoredFieldType, slot: Number(r[2]), position: Number(r[3]), since: text(r[4]) });
  let nextSlot = Math.max(-1, ...[...known.values()].map((k) => k.slot)) + 1;
  let nextPosition = Math.max(-1, ...[...known.values()].map((k) => k.position)) + 1;
  const fields = new Map<string, StoredField>();
  for (const f of event.fields) {
    fields.set(f.name, f);
    const seen = known.get(f.name);
    if (seen !== undefined && (seen.position >= 0 || !f.groupable)) continue;
    if (readOnly) continue;
    // A field present from the start has flags on every row; one added later only on rows after today.
    const since = fresh ? '0001-01-01' : today;
    const slot = seen?.slot ?? nextSlot++;
    const position = f.groupable ? nextPosition++ : -1;
    await connection.run(`DELETE FROM candor_fields WHERE event = ${str(event.name)} AND field = ${str(f.name)}`);
    await connection.run(`INSERT INTO candor_fields VALUES (${str(event.name)}, ${str(f.name)}, ${str(f.type)}, ${slot}, ${position}, ${dateLit(since)})`);
    known.set(f.name, { type: f.type, slot, position, since });
  }
  // Fields of earlier catalogs that the union no longer names stay readable (export), never grouped.
  for (const [name, k] of known) if (!fields.has(name)) fields.set(name, { name, type: k.type, groupable: false });
  const byPosition = [...known].filter(([, k]) => k.position >= 0).sort((a, b) => a[1].position - b[1].position);
  return {
    event: event.name,
    id,
    category: event.category,
    fields,
    slots: new Map([...known].map(([name, k]) => [name, k.slot])),
    flagged: byPosition.map(([name]) => name),
    tracksRows: event.maxPerPeriod > 1,
    fieldSince: new Map(byPosition.filter(([name]) => event.fields.some((f) => f.name === name && f.groupable)).map(([name, k]) => [name, k.since])),
  };
}
