// GET /v1/stats over 10,000,000 stored playback events, grouped by two fields, 30 days, daily
// cells, answered over HTTP by the collector app. Bar: p95 ≤ 100 ms. Baseline in the same run:
// the naive SQL (GROUP BY with COUNT(DISTINCT) over the raw rows) on the same data.
// The rows are generated with DuckDB SQL straight into the store's schema (never through HTTP),
// with first flags computed in SQL exactly as the collector computes them at ingest.
// Usage: npm run bench -- collector-stats   (BENCH_ROWS, BENCH_QUERIES to change the run)
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createCatalogRegistry, createDuckDbStore, percentiles, resolveCollectorOptions } from '@candor/collector';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { DuckDBInstance } from '@duckdb/node-api';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 60);
const DAYS = 30;
const PER_PSEUDONYM = 3; // playback.session allows three a day: every pseudonym uses them all
const DAY_MS = 86_400_000;
const TOKEN = 'bench-admin-token-0123456789';

const registry = createCatalogRegistry(mediaServerCatalog);
const dir = mkdtempSync(join(tmpdir(), 'cstats-bench-'));
const path = join(dir, 'candor.duckdb');
const today = new Date().toISOString().slice(0, 10);
const first = new Date(Date.parse(`${today}T00:00:00Z`) - (DAYS - 1) * DAY_MS).toISOString().slice(0, 10);

// 1. The store creates its schema.
let store = createDuckDbStore({ path });
await store.open(registry.schema);
const layout = store.layout().events.get('playback.session');
const flaggedCount = layout.flagged.length;
await store.close();

// 2. Fill it with SQL. Each pseudonym has three rows on one day; a field's value is a hash of
// (pseudonym, field) for device-like fields and of (pseudonym, row, field) for the others, so
// that rows of one pseudonym agree on some fields and not others, as real ones do.
const schemaEvent = registry.schema.events.find((e) => e.name === 'playback.session');
const outputs = new Map(registry.current.events.get('playback.session').fields.map((f) => [f.name, f.generalizer.outputs ?? [f.generalizer.example]]));
const perPseudonymFields = new Set(['deviceType', 'decision', 'hdr']);
const fields = layout.flagged.map((name, k) => {
  const type = schemaEvent.fields.find((f) => f.name === name).type;
  const values = (outputs.get(name) ?? ['x']).map((v) => (type === 'boolean' ? String(v) : String(v)));
  const list = `[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}]`;
  const index = (r) => (perPseudonymFields.has(name) ? `hash(p, ${k}) % ${values.length}` : `hash(p, ${r}, ${k}) % ${values.length}`);
  return { name, slot: layout.slots.get(name), list, index, n: values.length };
});
const subsets = [[]];
for (let k = 0; k < flaggedCount; k++) {
  subsets.push([k]);
  for (let i = 0; i < k; i++) subsets.push([i, k]);
}
const agree = (back) => fields.map((f, k) => `CASE WHEN r >= ${back} AND ${f.index('r')} = ${f.index(`r - ${back}`)} THEN ${2 ** k} ELSE 0 END`).join(' + ');
const flagWord = (w) =>
  subsets
    .slice(w * 64, w * 64 + 64)
    .map((s, b) => {
      const mask = s.reduce((m, k) => m + 2 ** k, 0);
      // First on subset s unless an earlier row of the pseudonym agrees on all of s's fields.
      const seen = `(r >= 1 AND (a1 & ${mask}) = ${mask}) OR (r >= 2 AND (a2 & ${mask}) = ${mask})`;
      return `CASE WHEN ${seen} THEN 0::UBIGINT ELSE (1::UBIGINT << ${b}) END`;
    })
    .join(' + ');
const words = Math.ceil(subsets.length / 64);
let t = performance.now();
const db = await DuckDBInstance.create(path);
const conn = await db.connect();
const pseudonyms = Math.ceil(ROWS / PER_PSEUDONYM);
const perDay = Math.ceil(pseudonyms / DAYS);
const slots = Array.from({ length: store.layout().slotCount }, (_, i) => i);
await conn.run(`INSERT INTO candor_events (event_id, day, period, pid, pseudonym, catalog_version, ${slots.map((s) => `s${s}`).join(', ')}, ${Array.from({ length: words }, (_, w) => `first_${w}`).join(', ')})
  WITH base AS (SELECT i // ${PER_PSEUDONYM} AS p, i % ${PER_PSEUDONYM} AS r FROM range(${ROWS}) t(i)),
  agreed AS (SELECT p, r, (${agree(1)}) AS a1, (${agree(2)}) AS a2 FROM base)
  SELECT ${layout.id}, DATE '${first}' + (p // ${perDay})::INT AS day, strftime(DATE '${first}' + (p // ${perDay})::INT, '%Y-%m-%d'),
    hash(p, 'pid'), printf('%016x', hash(p, 'pid')) || printf('%016x', hash(p, 'b')) || printf('%016x', hash(p, 'c')) || printf('%016x', hash(p, 'd')), '1.0.0',
    ${slots.map((s) => {
      const f = fields.find((x) => x.slot === s);
      return f === undefined ? 'NULL' : `(${f.list})[1 + (${f.index('r')})::INT]`;
    }).join(', ')},
    ${Array.from({ length: words }, (_, w) => flagWord(w)).join(', ')}
  FROM agreed`);
await conn.run('CHECKPOINT');
conn.closeSync();
db.closeSync();
console.log(`generated ${ROWS} playback events (${pseudonyms} pseudonyms, ${DAYS} days) with SQL in ${((performance.now() - t) / 1000).toFixed(1)} s`);

// 3. The collector: rollups brought up to date (a running collector does this every minute), then HTTP.
store = createDuckDbStore({ path, rollupQuietMs: 0 });
await store.open(registry.schema);
t = performance.now();
await store.maintain();
console.log(`rollups for ${DAYS} days built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const app = createApp({ store, registry, options: resolveCollectorOptions({ statsPerMinute: 0 }), adminToken: TOKEN });
await app.listen({ port: 0, host: '127.0.0.1' });
const port = app.server.address().port;

function get(url) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    request({ host: '127.0.0.1', port, path: url, headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ ms: performance.now() - t0, status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    })
      .on('error', reject)
      .end();
  });
}

const pairs = [
  ['deviceType', 'container'],
  ['mediaType', 'resolution'],
  ['decision', 'videoCodec'],
  ['bitrate', 'deviceType'],
  ['duration', 'mediaType'],
  ['audioCodec', 'hdr'],
];
const url = (pair) => `/v1/stats?event=playback.session&groupBy=${pair.join(',')}&from=${first}&to=${today}&granularity=day`;
async function series(label) {
  for (let i = 0; i < 12; i++) await get(url(pairs[i % pairs.length]));
  const times = [];
  let cells = 0;
  for (let i = 0; i < QUERIES; i++) {
    const r = await get(url(pairs[i % pairs.length]));
    if (r.status !== 200) throw new Error(`stats answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
    times.push(r.ms);
    cells += r.body.cells.length;
  }
  const p = percentiles(times);
  console.log(`${label.padEnd(44)} p50 ${p.p50.toFixed(1)} ms  p95 ${percentile95(times).toFixed(1)} ms  max ${p.max.toFixed(1)} ms  (${QUERIES} queries, ${Math.round(cells / QUERIES)} cells each)`);
  return percentile95(times);
}
function percentile95(times) {
  const s = [...times].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)];
}

// Today live: a batch for today invalidates its rollup, as ingest does all day long.
await store.append({ batchKey: 'f'.repeat(32), pseudonym: 'e'.repeat(64), period: today, catalogVersion: '1.0.0', events: [{ event: 'playback.session', day: today, maxPerPeriod: 3, fields: { mediaType: 'movie', duration: null, played: null, bitrate: null, container: 'mkv', videoCodec: 'h264', audioCodec: 'aac', resolution: '1080p', deviceType: 'tv', decision: 'directplay', hdr: false } }] });
const live = await series('today live (flags), 29 days rolled up');
await store.maintain();
const rolled = await series('all 30 days rolled up');

// Baseline: the naive query on the raw rows, and a check that the answers agree.
const naiveSql = (pair) => `SELECT day, ${pair.map((f) => `s${layout.slots.get(f)}`).join(', ')}, count(*), count(DISTINCT pid) FROM candor_events WHERE event_id = ${layout.id} AND day BETWEEN DATE '${first}' AND DATE '${today}' GROUP BY ALL`;
await store.close();
await app.close();
const ndb = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
const nconn = await ndb.connect();
const naiveTimes = [];
let naiveInstalls = 0;
for (let i = 0; i < 4; i++) {
  const t0 = performance.now();
  const rows = (await nconn.runAndReadAll(naiveSql(pairs[i % pairs.length]))).getRowsJS();
  naiveTimes.push(performance.now() - t0);
  if (i === 0) naiveInstalls = rows.reduce((s, r) => s + Number(r[4]), 0);
}
nconn.closeSync();
ndb.closeSync();
const naive = naiveTimes.sort((a, b) => a - b)[1];
store = createDuckDbStore({ path, rollupQuietMs: 0 });
await store.open(registry.schema);
const fast = await store.queryAggregates({ event: 'playback.session', groupBy: pairs[0], from: first, to: today, granularity: 'day' });
await store.close();
const fastInstalls = fast.reduce((s, c) => s + c.installs, 0);
rmSync(dir, { recursive: true, force: true });

console.log(`${'baseline: naive COUNT(DISTINCT) SQL'.padEnd(44)} median ${naive.toFixed(0)} ms (DuckDB alone, no HTTP)`);
console.log(`speed-up over the naive query               ${(naive / live).toFixed(1)}× (p95 with today live)  ${(naive / rolled).toFixed(1)}× (all rolled up)`);
const match = fastInstalls === naiveInstalls;
console.log(`installs summed over the cells of one query: flags+rollups ${fastInstalls}, naive COUNT(DISTINCT) ${naiveInstalls} → ${match ? 'MATCH' : 'MISMATCH'}`);
const worst = Math.max(live, rolled);
const pass = worst <= 100;
console.log(`${pass ? 'PASS' : 'FAIL'} GET /v1/stats p95 ≤ 100 ms over ${ROWS} events, two fields, 30 days (worst series ${worst.toFixed(1)} ms; today live ${live.toFixed(1)} ms, all rolled up ${rolled.toFixed(1)} ms)`);
if (!pass || !match) process.exitCode = 1;
