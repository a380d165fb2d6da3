// Statistics over a large ClickHouse store: 50,000,000 playback.session events (default) on two
// real clickhouse-server shards, generated inside ClickHouse (INSERT … SELECT FROM numbers) with
// the first flags the adapter sets at ingest, then the collector's aggregate query (two fields
// over 30 days) through the adapter, repeated. Baseline in the same run: the same cells computed
// with uniqExact over the pseudonyms' 64-bit prefixes on the same Distributed table (what the
// adapter falls back to when flags cannot answer), without the hidden-rows filter.
// Usage: npm run bench -- clickhouse-stats      (CANDOR_BENCH_EVENTS=10000000 for a smaller run)
import { compileCatalog } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createClient } from '@clickhouse/client';
import { createCatalogRegistry } from '../packages/collector/dist/catalogs/catalog-registry.js';
import { createClickHouseStore } from '../packages/collector/dist/storage/clickhouse/clickhouse-store.js';
import { startLocalClickHouseCluster } from '../packages/collector/dist/storage/clickhouse/local-cluster.js';
import { listSubsets } from '../packages/collector/dist/storage/subsets.js';

const EVENTS = Number(process.env.CANDOR_BENCH_EVENTS ?? 50_000_000);
const DAYS = 30;
const RUNS = Number(process.env.CANDOR_BENCH_RUNS ?? 10);
const EVENTS_PER_INSTALL_DAY = 3; // playback.session's maxPerPeriod
const FIRST_DAY = '2026-10-01';
const SHARDS = 2;

const registry = createCatalogRegistry(mediaServerCatalog);
const compiled = compileCatalog(mediaServerCatalog).events.get('playback.session');

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function sqlString(s) {
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/**
 * A SELECT producing `rows` events for one shard: pseudonyms whose first 64 bits route to that
 * shard, three events per install-day, field values from each field's output set, and the first
 * flags the adapter would have set at ingest (each row compared with the install-day's earlier rows).
 */
function generator(shard, rows, columns, positions) {
  const perShardInstallsPerDay = Math.ceil(rows / EVENTS_PER_INSTALL_DAY / DAYS);
  const install = (n) => `intDiv(${n}, ${EVENTS_PER_INSTALL_DAY})`;
  const valueOf = (field, n) => {
    const i = compiled.fields.findIndex((f) => f.name === field);
    const schema = compiled.fields[i].generalizer.schema;
    if (schema.type === 'boolean') return `toUInt8(cityHash64(${n}, ${i}) % 5 = 0)`;
    if (Array.isArray(schema.enum)) return `[${schema.enum.map(sqlString).join(', ')}][1 + cityHash64(${n}, ${i}) % ${schema.enum.length}]`;
    return `''`;
  };
  // The values of this row (v<i>_0) and of the two rows before it (v<i>_1, v<i>_2), computed once.
  const inner = [
    'number',
    `number % ${EVENTS_PER_INSTALL_DAY} AS k`,
    ...positions.flatMap((f, i) => [0, 1, 2].map((d) => `${valueOf(f, d === 0 ? 'number' : `number - ${d}`)} AS v${i}_${d}`)),
  ];
  const subsets = listSubsets(positions.length);
  const first = (subset) => {
    const same = (d) => (subset.length === 0 ? '1' : subset.map((i) => `v${i}_0 = v${i}_${d}`).join(' AND '));
    return `NOT ((k >= 1 AND ${same(1)}) OR (k >= 2 AND ${same(2)}))`;
  };
  const words = [];
  for (let w = 0; w * 64 < subsets.length; w++) {
    const bits = subsets.slice(w * 64, w * 64 + 64).map((subset, b) => `bitShiftLeft(toUInt64(${first(subset)}), ${b})`);
    words.push(bits.reduce((acc, bit) => `bitOr(${acc}, ${bit})`));
  }
  const exprs = {
    period_day: `toDate('${FIRST_DAY}') + intDiv(${install('number')}, ${perShardInstallsPerDay})`,
    day: `toDate('${FIRST_DAY}') + intDiv(${install('number')}, ${perShardInstallsPerDay})`,
    // The first 16 hex digits are (install-day × shards + shard): the adapter's routing puts it on this shard.
    pseudonym: `lower(concat(hex(toUInt64(${install('number')} * ${SHARDS} + ${shard})), hex(sipHash64(${install('number')}, ${shard})), hex(cityHash64(${install('number')}, ${shard})), hex(intHash64(${install('number')} + ${shard}))))`,
    batch_key: `lower(concat(hex(sipHash64(${install('number')}, 1, ${shard})), hex(cityHash64(${install('number')}, 2, ${shard}))))`,
    write_id: `intHash64(${install('number')} * ${SHARDS} + ${shard}) % 9223372036854775807 + 1`,
    ins_ms: '0',
    seq: 'toUInt16(k)',
    catalog_version: `'1.0.0'`,
    flag_fields: String(positions.length),
  };
  words.forEach((expr, w) => {
    exprs[`first_${w}`] = expr;
  });
  positions.forEach((f, i) => {
    exprs[`f_${f}`] = `v${i}_0`;
  });
  return `SELECT ${columns.map((c) => exprs[c] ?? 'NULL').join(', ')} FROM (SELECT ${inner.join(', ')} FROM system.numbers LIMIT ${rows})`;
}

/** CPU seconds (user + system) the shard servers have used so far, from /proc (Linux). */
function serverCpuSeconds(cluster) {
  let total = 0;
  for (const s of cluster.shards) {
    const fields = readFileSync(`/proc/${s.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    total += (Number(fields[11]) + Number(fields[12])) / 100;
  }
  return total;
}

async function timeIt(fn) {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const cluster = await startLocalClickHouseCluster({ shards: SHARDS });
const clients = cluster.urls.map((url) => createClient({ url, request_timeout: 3_600_000, compression: { request: false, response: false }, log: { level: 127 } }));
const store = createClickHouseStore({ urls: cluster.urls, database: 'candor_bench', cluster: cluster.cluster, requestTimeoutMs: 600_000 });
try {
  await store.open(registry.schema);
  const t = store.tables().get('playback.session');
  const [{ cols: all }] = await (await clients[0].query({ query: `SELECT groupArray(name) AS cols FROM system.columns WHERE database = 'candor_bench' AND table = '${t.table}'`, format: 'JSONEachRow' })).json();
  const cols = all.filter((c) => c !== 'pid'); // computed by ClickHouse (MATERIALIZED)
  const perShard = Math.floor(EVENTS / SHARDS);
  const genMs = await timeIt(() =>
    Promise.all(clients.map((c, s) => c.command({ query: `INSERT INTO candor_bench.${t.table} (${cols.join(', ')}) ${generator(s, perShard, cols, t.positions.map((p) => p.field))}`, clickhouse_settings: { max_query_size: '10000000' } }))),
  );
  const [{ n, installs, bytes }] = await (
    await clients[0].query({
      query: `SELECT count() AS n, uniqExact(pseudonym) AS installs, (SELECT sum(bytes_on_disk) FROM system.parts WHERE database = 'candor_bench' AND active) AS bytes FROM candor_bench.${t.table}_all`,
      format: 'JSONEachRow',
    })
  ).json();
  console.log(`load average ${loadavg()[0].toFixed(1)} on this ${'2'}-core machine (shared) before the queries`);
  console.log(`generated ${Number(n).toLocaleString('en')} events (${Number(installs).toLocaleString('en')} install-days) on ${SHARDS} shards in ${(genMs / 1000).toFixed(1)} s; shard 1 holds ${(Number(bytes) / 1e6).toFixed(0)} MB on disk (${((SHARDS * Number(bytes)) / Number(n)).toFixed(1)} bytes/event)`);

  const lastDay = new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  const queries = [
    { label: 'day × deviceType × resolution', q: { event: 'playback.session', groupBy: ['deviceType', 'resolution'], from: FIRST_DAY, to: lastDay, granularity: 'day' } },
    { label: 'week × container × hdr', q: { event: 'playback.session', groupBy: ['container', 'hdr'], from: FIRST_DAY, to: lastDay, granularity: 'week' } },
  ];
  const bare = `SELECT toString(day) AS d, f_deviceType, f_resolution, count() AS n, uniqExact(pid) AS u FROM candor_bench.${t.table}_all
    WHERE day >= toDate('${FIRST_DAY}') AND day <= toDate('${lastDay}') GROUP BY d, f_deviceType, f_resolution`;
  let bareRows = [];
  const bareTimes = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const ms = await timeIt(async () => {
      bareRows = await (await clients[i % SHARDS].query({ query: bare, format: 'JSONEachRow' })).json();
    });
    if (i >= 2) bareTimes.push(ms);
  }
  bareTimes.sort((a, b) => a - b);
  const bareP95 = percentile(bareTimes, 95);
  console.log(`baseline GROUP BY with uniqExact (day × 2 fields): p50 ${percentile(bareTimes, 50).toFixed(0)} ms, p95 ${bareP95.toFixed(0)} ms (${bareRows.length} cells, ${RUNS} runs)`);
  for (const { label, q } of queries) {
    const times = [];
    let cells = [];
    let cpu = 0;
    for (let i = 0; i < RUNS + 2; i++) {
      const cpu0 = serverCpuSeconds(cluster);
      const ms = await timeIt(async () => {
        cells = await store.queryAggregates(q);
      });
      if (i >= 2) {
        times.push(ms);
        cpu += serverCpuSeconds(cluster) - cpu0;
      }
    }
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 95);
    const total = cells.reduce((s, c) => s + c.events, 0);
    console.log(`adapter queryAggregates ${label} over ${Number(n).toLocaleString('en')} events: p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms (${cells.length} cells, ${total.toLocaleString('en')} events counted; ${(p95 / bareP95).toFixed(2)}× the uniqExact baseline's p95)`);
    console.log(`  ClickHouse CPU: ${(cpu / RUNS).toFixed(2)} CPU-s per query = ${((Number(n) * RUNS) / cpu / 1e6).toFixed(1)} million rows per CPU-second`);
    if (total !== Number(n)) console.log(`FAIL: the cells count ${total} events, the store holds ${n}`);
    if (label.startsWith('day')) {
      const exact = new Map(bareRows.map((r) => [`${r.d}|${r.f_deviceType}|${r.f_resolution}`, Number(r.u)]));
      const wrong = cells.filter((c) => exact.get(`${c.period}|${c.values[0]}|${c.values[1]}`) !== c.installs).length;
      console.log(`${wrong === 0 ? 'PASS' : 'FAIL'}: installs from first flags equal uniqExact in ${cells.length - wrong} of ${cells.length} cells`);
    }
  }
  console.log(`PASS: stats p95 over ${Number(n).toLocaleString('en')} events reported (the issue sets no bar for ClickHouse; DuckDB's bar is 100 ms over 10M on one machine)`);
} finally {
  await store.close().catch(() => undefined);
  await Promise.all(clients.map((c) => c.close()));
  await cluster.stop();
}
