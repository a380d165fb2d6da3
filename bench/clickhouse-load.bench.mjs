// Ingest through two collector processes into two ClickHouse shards, against one collector
// process on its embedded DuckDB measured in the same run with the same batches and the same
// total concurrency. Batches come from the collector's fleet simulator, gzipped before the
// clock starts. Both runs check that the store holds exactly the events the collectors accepted.
// Usage: npm run bench -- clickhouse-load     (CANDOR_BENCH_SECONDS, CANDOR_BENCH_INSTALLS, CANDOR_BENCH_DAYS, CANDOR_BENCH_CONCURRENCY)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createCatalogRegistry, createDuckDbStore, fleetBatches, runLoad } from '@candor/collector';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { createClickHouseStore } from '../packages/collector/dist/storage/clickhouse/clickhouse-store.js';
import { startLocalClickHouseCluster } from '../packages/collector/dist/storage/clickhouse/local-cluster.js';

const SECONDS = Number(process.env.CANDOR_BENCH_SECONDS ?? 15);
const INSTALLS = Number(process.env.CANDOR_BENCH_INSTALLS ?? 20_000);
const CONCURRENCY = Number(process.env.CANDOR_BENCH_CONCURRENCY ?? 1024);
const MAX_BATCHES = Number(process.env.CANDOR_BENCH_BATCHES ?? 60_000);
// Days of reports per install: 2 is steady state (today's period and late ones of yesterday);
// 30 replays a month of history, which touches 30 day partitions in every group commit.
const DAYS = Number(process.env.CANDOR_BENCH_DAYS ?? 2);
const DAY_MS = 86_400_000;

const schema = createCatalogRegistry(mediaServerCatalog).schema;

// The collector as `candor collector start` runs it: startCollector with options from the environment.
const COLLECTOR = `
import { resolveCollectorOptions, startCollector } from '@candor/collector';
const c = await startCollector(resolveCollectorOptions({ port: 0, host: '127.0.0.1', logLevel: 'warn', ingestPerMinute: 0 }, process.env));
process.stdout.write(JSON.stringify({ url: c.url }) + '\\n');
process.on('SIGTERM', () => { c.close().then(() => process.exit(0), () => process.exit(1)); });
`;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function startCollectorProcess(env) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', COLLECTOR], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const line = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`collector exited with ${code} before listening`)));
  });
  const { url } = JSON.parse(line);
  return {
    url,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function storedEvents(store) {
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - (DAYS + 10) * DAY_MS).toISOString().slice(0, 10);
  let n = 0;
  for (const e of schema.events) {
    const cells = await store.queryAggregates({ event: e.name, groupBy: [], from, to, granularity: 'month' });
    n += cells.reduce((s, c) => s + c.events, 0);
  }
  return n;
}

function summarize(label, reports, seconds) {
  const accepted = reports.reduce((s, r) => s + r.acceptedEvents, 0);
  const batches = reports.reduce((s, r) => s + r.acceptedBatches + r.duplicateBatches, 0);
  const refused = reports.flatMap((r) => Object.entries(r.failures)).map(([k, v]) => `${v}×${k}`).join(', ') || 'none';
  const p99 = Math.max(...reports.map((r) => r.latencyMs.p99));
  const p50 = Math.max(...reports.map((r) => r.latencyMs.p50));
  const perSecond = accepted / seconds;
  console.log(`${label}: ${Math.round(perSecond).toLocaleString('en')} accepted events/s (${accepted.toLocaleString('en')} events in ${batches.toLocaleString('en')} batches over ${seconds.toFixed(1)} s), latency p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, refused: ${refused}`);
  return { accepted, perSecond };
}

async function timedLoads(targets) {
  const share = Math.ceil(prepared.length / targets.length);
  const started = performance.now();
  const reports = await Promise.all(
    targets.map((target, i) => runLoad({ target, batches: prepared.slice(i * share, (i + 1) * share), durationSeconds: SECONDS, concurrency: Math.max(1, Math.floor(CONCURRENCY / targets.length)) })),
  );
  return { reports, seconds: (performance.now() - started) / 1000 };
}

console.log(`preparing up to ${MAX_BATCHES.toLocaleString('en')} gzipped batches of a ${INSTALLS.toLocaleString('en')}-install fleet, ${DAYS} days of reports each…`);
const prepared = [];
for (const b of fleetBatches({ installs: INSTALLS, days: DAYS, seed: 42 })) {
  prepared.push(b);
  if (prepared.length >= MAX_BATCHES) break;
}
const preparedEvents = prepared.reduce((s, b) => s + b.events, 0);
console.log(`${prepared.length.toLocaleString('en')} batches, ${preparedEvents.toLocaleString('en')} events; ${SECONDS} s per run, ${CONCURRENCY} requests in flight in total; load average ${loadavg()[0].toFixed(1)} on this machine`);
let failed = false;

// 1. Baseline: one collector on DuckDB.
const duckDir = mkdtempSync(join(tmpdir(), 'candor-bench-duck-'));
let duck;
try {
  const c = await startCollectorProcess({ CANDOR_DATA_DIR: duckDir, CANDOR_STORE: 'duckdb' });
  const cpu0 = cpuSeconds(c.pid);
  const { reports, seconds } = await timedLoads([c.url]);
  const cpu = cpuSeconds(c.pid) - cpu0;
  await c.stop();
  duck = summarize('DuckDB, 1 collector', reports, seconds);
  console.log(`  CPU: collector ${cpu.toFixed(1)} s = ${((cpu / duck.accepted) * 1e6).toFixed(0)} CPU-seconds per million events`);
  const store = createDuckDbStore({ path: join(duckDir, 'candor.duckdb'), readOnly: true });
  await store.open(schema);
  const stored = await storedEvents(store);
  await store.close();
  if (stored !== duck.accepted) failed = true;
  console.log(`${stored === duck.accepted ? 'PASS' : 'FAIL'}: DuckDB holds ${stored.toLocaleString('en')} events, the collector accepted ${duck.accepted.toLocaleString('en')}`);
} finally {
  rmSync(duckDir, { recursive: true, force: true });
}

// 2. Two collectors, two ClickHouse shards.
const cluster = await startLocalClickHouseCluster({ shards: 2 });
const dirs = [mkdtempSync(join(tmpdir(), 'candor-bench-ch-')), mkdtempSync(join(tmpdir(), 'candor-bench-ch-'))];
try {
  const env = (dir) => ({ CANDOR_DATA_DIR: dir, CANDOR_STORE: 'clickhouse', CANDOR_CLICKHOUSE_URL: cluster.urls.join(','), CANDOR_CLICKHOUSE_DATABASE: 'candor_load', CANDOR_CLICKHOUSE_CLUSTER: cluster.cluster });
  const collectors = await Promise.all(dirs.map((d) => startCollectorProcess(env(d))));
  const pids = { collectors: collectors.map((c) => c.pid), shards: cluster.shards.map((s) => s.pid) };
  const sum = (list) => list.reduce((t, pid) => t + cpuSeconds(pid), 0);
  const before = { collectors: sum(pids.collectors), shards: sum(pids.shards) };
  const { reports, seconds } = await timedLoads(collectors.map((c) => c.url));
  const used = { collectors: sum(pids.collectors) - before.collectors, shards: sum(pids.shards) - before.shards };
  await Promise.all(collectors.map((c) => c.stop()));
  const ch = summarize('ClickHouse, 2 collectors × 2 shards', reports, seconds);
  const perMillion = (cpu) => ((cpu / ch.accepted) * 1e6).toFixed(0);
  console.log(`  CPU: collectors ${used.collectors.toFixed(1)} s (${perMillion(used.collectors)} CPU-s per million events), ClickHouse shards ${used.shards.toFixed(1)} s (${perMillion(used.shards)} CPU-s per million events)`);
  const store = createClickHouseStore({ urls: cluster.urls, database: 'candor_load', cluster: cluster.cluster });
  await store.open(schema);
  const stored = await storedEvents(store);
  await store.close();
  if (stored !== ch.accepted) failed = true;
  console.log(`${stored === ch.accepted ? 'PASS' : 'FAIL'}: ClickHouse holds ${stored.toLocaleString('en')} events, the collectors accepted ${ch.accepted.toLocaleString('en')}`);
  console.log(`ratio: ClickHouse (2 collectors, 2 shards) / DuckDB (1 collector) = ${(ch.perSecond / duck.perSecond).toFixed(2)}× on this ${'2'}-core machine shared by every process of both runs`);
} finally {
  await cluster.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
