// Reads what a collector stored, straight from its DuckDB file after the collector has shut
// down: the store is the truth every scenario's figures are checked against.
import { DuckDBInstance } from '@duckdb/node-api';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { createCatalogRegistry, createDuckDbStore } from '@candor/collector';

const text = (v) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean' ? `${v}` : JSON.stringify(v));

async function withDb(path, fn) {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY', threads: '1' });
  const c = await instance.connect();
  try {
    return await fn(c);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/**
 * Stored events per event kind, pseudonym and day, with the batch totals.
 * @param {string} path the DuckDB file
 */
export async function readStoreCounts(path) {
  return withDb(path, async (c) => {
    const rows = (
      await c.runAndReadAll("SELECT k.event, e.pseudonym, strftime(e.day, '%Y-%m-%d'), count(*) FROM candor_events e JOIN candor_event_kinds k ON k.id = e.event_id GROUP BY ALL")
    ).getRowsJS();
    const batches = (await c.runAndReadAll('SELECT count(*), count(DISTINCT batch_key), coalesce(sum(accepted), 0), coalesce(sum(bounded), 0) FROM candor_batches')).getRowsJS()[0];
    return {
      rows: rows.map((r) => ({ event: text(r[0]), pseudonym: text(r[1]), day: text(r[2]), n: Number(r[3]) })),
      total: rows.reduce((n, r) => n + Number(r[3]), 0),
      batchRows: Number(batches[0]),
      distinctBatchKeys: Number(batches[1]),
      acceptedInBatches: Number(batches[2]),
      bounded: Number(batches[3]),
    };
  });
}

/** The batch keys the store holds (each acknowledged batch is recorded with its key in the same commit). */
export async function readBatchKeys(path) {
  return withDb(path, async (c) => new Set((await c.runAndReadAll('SELECT batch_key FROM candor_batches')).getRowsJS().map((r) => text(r[0]))));
}

/** Every stored event of these pseudonyms with its fields, decoded by the collector's own store code. */
export async function exportStored(path, pseudonyms) {
  const store = createDuckDbStore({ path, readOnly: true, threads: 1 });
  await store.open(createCatalogRegistry(mediaServerCatalog).schema);
  try {
    const out = [];
    for (let i = 0; i < pseudonyms.length; i += 1000) out.push(...(await store.exportSubjects({ pseudonyms: pseudonyms.slice(i, i + 1000) })));
    return out;
  } finally {
    await store.close();
  }
}

/** The stored rows of one event kind as text (every column), one row per line. */
export async function eventRowsText(path, event) {
  return withDb(path, async (c) => {
    const rows = (await c.runAndReadAll(`SELECT e.* FROM candor_events e JOIN candor_event_kinds k ON k.id = e.event_id WHERE k.event = '${event.replaceAll("'", "''")}'`)).getRowsJS();
    return { count: rows.length, text: rows.map((r) => r.map(text).join('\t')).join('\n') };
  });
}

/** The text of every value in every table of the file, one row per line: what a logical search reads. */
export async function dumpStoreText(path) {
  return withDb(path, async (c) => {
    const tables = (await c.runAndReadAll("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")).getRowsJS().map((r) => text(r[0]));
    const parts = [];
    for (const t of tables) {
      const reader = await c.runAndReadAll(`SELECT * FROM "${t.replaceAll('"', '""')}"`);
      for (const row of reader.getRowsJS()) parts.push(`${t}\t${row.map(text).join('\t')}`);
    }
    return parts.join('\n');
  });
}
