import type { DuckDBConnection } from '@duckdb/node-api';
import type { StoreSchema, StoredEventSchema, StoredField, StoredFieldType } from '../contract.js';
import { maskWords } from '../subsets.js';
import { dateLit, ident, str } from './sql.js';

/** One column of an event table, in table order, as the appender fills it. */
export type ColumnSlot =
  | { readonly kind: 'day' | 'period' | 'pid' | 'pseudonym' | 'version' }
  | { readonly kind: 'flag'; readonly word: number }
  | { readonly kind: 'field'; readonly field: StoredField }
  | { readonly kind: 'unused' };

/** How one event kind is laid out in DuckDB. */
export interface TableLayout {
  readonly event: string;
  readonly category: string;
  readonly table: string;
  /** Columns in table order. */
  readonly slots: readonly ColumnSlot[];
  /** Every field the table holds (current catalogs and earlier ones). */
  readonly fields: ReadonlyMap<string, StoredField>;
  /** Groupable fields in their stable position order: first flags are computed over these. */
  readonly groupable: readonly string[];
  /** Whether rows carry first flags (a pseudonym may have several rows per period). */
  readonly tracksRows: boolean;
  /** Per groupable field, the day its column was added: first flags are complete only for later days. */
  readonly fieldSince: ReadonlyMap<string, string>;
}

const SQL_TYPE: Record<StoredFieldType, string> = { string: 'VARCHAR', number: 'DOUBLE', boolean: 'BOOLEAN' };

/** Column name of a field. */
export function fieldColumn(field: string): string {
  return `f_${field}`;
}

/** Column name of a first-flag word. */
export function flagColumn(word: number): string {
  return `first_${word}`;
}

const META_DDL = [
  'CREATE TABLE IF NOT EXISTS candor_meta (key VARCHAR, value VARCHAR)',
  'CREATE TABLE IF NOT EXISTS candor_events (event VARCHAR, table_name VARCHAR, category VARCHAR)',
  'CREATE TABLE IF NOT EXISTS candor_fields (event VARCHAR, field VARCHAR, type VARCHAR, position INTEGER, added_day DATE)',
  'CREATE TABLE IF NOT EXISTS candor_batches (batch_key VARCHAR, period VARCHAR, period_end DATE, accepted INTEGER, bounded INTEGER)',
  'CREATE TABLE IF NOT EXISTS candor_rollup (event VARCHAR, day DATE, subset INTEGER, v1 VARCHAR, v2 VARCHAR, events BIGINT, installs BIGINT)',
  'CREATE TABLE IF NOT EXISTS candor_rollup_days (event VARCHAR, day DATE)',
  'CREATE TABLE IF NOT EXISTS candor_budget (dataset VARCHAR, day DATE, spent DOUBLE)',
];

/** The schema format written to `candor_meta`; a store refuses files of a newer format. */
export const SCHEMA_FORMAT = '1';

function tableNameFor(event: string, taken: ReadonlySet<string>): string {
  const base = `ev_${event.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')}`.slice(0, 48);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? `${value}` : JSON.stringify(value);
}

async function rows(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await connection.runAndReadAll(sql)).getRowsJS();
}

/**
 * Creates or migrates the tables a schema needs and returns their layouts. Fields added by a
 * newer catalog become new columns (old rows read null); nothing is ever dropped, so data of
 * earlier catalog versions stays queryable and exportable. `today` dates the added columns.
 */
export async function migrate(connection: DuckDBConnection, schema: StoreSchema, today: string, readOnly: boolean): Promise<Map<string, TableLayout>> {
  if (!readOnly) for (const ddl of META_DDL) await connection.run(ddl);
  const format = await rows(connection, "SELECT value FROM candor_meta WHERE key = 'format'");
  if (format.length === 0) {
    if (!readOnly) await connection.run(`INSERT INTO candor_meta VALUES ('format', ${str(SCHEMA_FORMAT)}), ('catalog', ${str(schema.catalogId)})`);
  } else if (text(format[0]![0]) !== SCHEMA_FORMAT) {
    throw new Error(`the store was written in format ${text(format[0]![0])}, this collector reads format ${SCHEMA_FORMAT}`);
  }
  const known = new Map((await rows(connection, 'SELECT event, table_name FROM candor_events')).map((r) => [text(r[0]), text(r[1])]));
  const layouts = new Map<string, TableLayout>();
  for (const event of schema.events) {
    let table = known.get(event.name);
    if (table === undefined) {
      if (readOnly) continue;
      table = tableNameFor(event.name, new Set(known.values()));
      known.set(event.name, table);
      await connection.run(`INSERT INTO candor_events VALUES (${str(event.name)}, ${str(table)}, ${str(event.category)})`);
      await connection.run(`CREATE TABLE ${ident(table)} (day DATE, period VARCHAR, pid UBIGINT, pseudonym VARCHAR, catalog_version VARCHAR)`);
    }
    layouts.set(event.name, await migrateTable(connection, table, event, today, readOnly));
  }
  return layouts;
}

async function migrateTable(connection: DuckDBConnection, table: string, event: StoredEventSchema, today: string, readOnly: boolean): Promise<TableLayout> {
  const recorded = await rows(connection, `SELECT field, type, position, strftime(added_day, '%Y-%m-%d') FROM candor_fields WHERE event = ${str(event.name)} ORDER BY position`);
  const positions = new Map<string, { position: number; since: string; type: string }>();
  for (const r of recorded) positions.set(text(r[0]), { position: Number(r[2]), type: text(r[1]), since: text(r[3]) });
  const columns = new Set((await rows(connection, `SELECT column_name FROM information_schema.columns WHERE table_name = ${str(table)}`)).map((r) => text(r[0]).toLowerCase()));
  const fresh = columns.size <= 5 && recorded.length === 0;
  const lowered = new Set<string>();
  const fields = new Map<string, StoredField>();
  let nextPosition = Math.max(-1, ...[...positions.values()].map((p) => p.position)) + 1;
  for (const f of event.fields) {
    const column = fieldColumn(f.name).toLowerCase();
    if (lowered.has(column)) throw new Error(`fields of ${event.name} differ only in letter case (${f.name}); DuckDB columns cannot tell them apart`);
    lowered.add(column);
    fields.set(f.name, f);
    const seen = positions.get(f.name);
    if (!columns.has(column) && !readOnly) {
      await connection.run(`ALTER TABLE ${ident(table)} ADD COLUMN ${ident(fieldColumn(f.name))} ${SQL_TYPE[f.type]}`);
      columns.add(column);
    }
    if (f.groupable && (seen === undefined || seen.position < 0) && !readOnly) {
      // A field groupable from the start has flags for every row; one added later only for days after today.
      const since = fresh ? '0001-01-01' : today;
      await connection.run(`DELETE FROM candor_fields WHERE event = ${str(event.name)} AND field = ${str(f.name)}`);
      await connection.run(`INSERT INTO candor_fields VALUES (${str(event.name)}, ${str(f.name)}, ${str(f.type)}, ${nextPosition}, ${dateLit(since)})`);
      positions.set(f.name, { position: nextPosition++, type: f.type, since });
    } else if (!f.groupable && seen === undefined && !readOnly) {
      await connection.run(`INSERT INTO candor_fields VALUES (${str(event.name)}, ${str(f.name)}, ${str(f.type)}, -1, ${dateLit(today)})`);
      positions.set(f.name, { position: -1, type: f.type, since: today });
    }
  }
  // Fields of earlier catalogs that the current union no longer names stay readable.
  for (const [name, p] of positions) {
    if (!fields.has(name) && columns.has(fieldColumn(name).toLowerCase())) fields.set(name, { name, type: p.type as StoredFieldType, groupable: false });
  }
  const groupable = [...positions].filter(([name, p]) => p.position >= 0 && event.fields.some((f) => f.name === name && f.groupable)).sort((a, b) => a[1].position - b[1].position);
  // Positions must be dense for the subset order; a field that lost groupability keeps its slot but is never grouped.
  const slotsByPosition = [...positions].filter(([, p]) => p.position >= 0).sort((a, b) => a[1].position - b[1].position).map(([name]) => name);
  const tracksRows = event.maxPerPeriod > 1;
  if (tracksRows && !readOnly) {
    for (let w = 0; w < maskWords(slotsByPosition.length); w++) {
      if (!columns.has(flagColumn(w))) {
        await connection.run(`ALTER TABLE ${ident(table)} ADD COLUMN ${ident(flagColumn(w))} UBIGINT`);
        columns.add(flagColumn(w));
      }
    }
  }
  const ordered = await rows(connection, `SELECT column_name FROM information_schema.columns WHERE table_name = ${str(table)} ORDER BY ordinal_position`);
  const slots: ColumnSlot[] = ordered.map((r) => {
    const name = text(r[0]);
    if (name === 'day' || name === 'period' || name === 'pid' || name === 'pseudonym') return { kind: name };
    if (name === 'catalog_version') return { kind: 'version' };
    const flag = /^first_(\d+)$/.exec(name);
    if (flag) return { kind: 'flag', word: Number(flag[1]) };
    const field = name.startsWith('f_') ? [...fields.values()].find((f) => fieldColumn(f.name).toLowerCase() === name.toLowerCase()) : undefined;
    return field === undefined ? { kind: 'unused' } : { kind: 'field', field };
  });
  return {
    event: event.name,
    category: event.category,
    table,
    slots,
    fields,
    // The flag layout follows every positioned field, groupable now or not, so that indices never shift.
    groupable: slotsByPosition,
    tracksRows: tracksRows && slots.some((s) => s.kind === 'flag'),
    fieldSince: new Map(groupable.map(([name, p]) => [name, p.since])),
  };
}
