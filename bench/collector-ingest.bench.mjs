// Ingest throughput of the collector on DuckDB, driven by the load generator (`candor load`'s
// engine), against the combined limit of its two halves measured in the same run:
//   a = events/s of a bare fastify endpoint that only gunzips and parses the same batches,
//   b = rows/s of raw DuckDB appends of the same rows in the same batch sizes,
//   limit = 1 / (1/a + 1/b).  Bar: collector ≥ 60% of limit; stored count = accepted count.
// The three are measured in interleaved rounds (a, b, collector, a, b, collector, …) and each
// figure is the median of its rounds, so that load from other processes on a shared machine
// weighs on all three alike.
// Usage: npm run bench -- collector-ingest   (BENCH_ROUNDS, BENCH_SECONDS per phase, BENCH_INSTALLS, BENCH_CONCURRENCY)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));

if (process.argv[2] === '--serve-bare') {
  // The baseline server: the same HTTP stack and body decoding, no validation and no store.
  const { fastify } = await import('fastify');
  const app = fastify({ bodyLimit: 1_048_576 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      const text = request.headers['content-encoding'] === 'gzip' ? gunzipSync(body, { maxOutputLength: 4_194_304 }) : body;
      done(null, JSON.parse(text.toString('utf8')));
    } catch (error) {
      done(error, undefined);
    }
  });
  app.post('/v1/batches', async (request, reply) => reply.code(202).send({ batchKey: request.body.batchKey, accepted: request.body.events.length, bounded: 0, duplicate: false }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ port: app.server.address().port })}\n`);
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
} else {
  await main();
}

function startChild(args, match) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
      for (const line of out.split('\n')) {
        try {
          const msg = JSON.parse(line);
          const port = match(msg);
          if (port !== undefined) return resolve({ child, port });
        } catch {
          // not a whole JSON line yet
        }
      }
    });
    child.stderr.on('data', () => {});
    child.on('exit', (code) => reject(new Error(`child exited with ${code} before listening: ${out.slice(0, 500)}`)));
  });
}

function stopChild(child) {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

async function main() {
  const { createFleet, prepareBatch, runLoad, createCatalogRegistry } = await import('@candor/collector');
  const { mediaServerCatalog } = await import('@candor/catalog/media-server');
  const { DuckDBInstance, DuckDBDateValue } = await import('@duckdb/node-api');
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const seconds = Number(process.env.BENCH_SECONDS ?? 4);
  const installs = Number(process.env.BENCH_INSTALLS ?? 40_000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);

  let t = performance.now();
  const wire = [...createFleet({ installs, days: 2, seed: 42 }).batches()];
  const prepared = wire.map(prepareBatch);
  const totalEvents = wire.reduce((s, b) => s + b.events.length, 0);
  console.log(`fleet: ${installs} installs, ${wire.length} batches, ${totalEvents} events (mean ${(totalEvents / wire.length).toFixed(1)} events/batch, ${(prepared.reduce((s, b) => s + b.body.length, 0) / wire.length).toFixed(0)} gzip bytes/batch), generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  console.log(`${rounds} interleaved rounds of ${seconds} s per phase, ${concurrency} requests in flight`);
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

  // The same batches feed every phase. The collector walks them once, so that it never receives
  // a batch twice (a repeat would be answered as a duplicate, at no cost); the bare server, which
  // keeps nothing, goes round them as often as it needs.
  let collectorRanDry = false;
  function* once(list) {
    for (const item of list) yield item;
    collectorRanDry = true;
  }
  function* cycle(list) {
    for (;;) yield* list;
  }
  const forBare = cycle(prepared);
  const forCollector = once(prepared);

  // b: raw appends of the same rows into a table of the collector's shape, batch by batch.
  const registry = createCatalogRegistry(mediaServerCatalog);
  const ids = new Map(registry.schema.events.map((e, i) => [e.name, i + 1]));
  const slotOf = new Map(registry.schema.events.map((e) => [e.name, e.fields.map((f) => f.name)]));
  const dir = mkdtempSync(join(tmpdir(), 'cingest-bench-'));
  // groupBatches: batches per transaction (1 = autocommit); flushEach: flush after every batch or once per transaction.
  const rawStrategies = [
    ['b1 raw, flush+commit per batch', 1, true],
    [`b2 raw, flush/batch, commit/${concurrency}`, concurrency, true],
    [`b3 raw, flush+commit per ${concurrency}`, concurrency, false],
  ];
  const raws = [];
  for (const [name, groupBatches, flushEach] of rawStrategies) {
    const db = await DuckDBInstance.create(join(dir, `raw-${raws.length}.duckdb`));
    const c = await db.connect();
    await c.run(`CREATE TABLE ev (event_id USMALLINT, day DATE, period VARCHAR, pid UBIGINT, pseudonym VARCHAR, catalog_version VARCHAR, ${Array.from({ length: 11 }, (_, i) => `s${i} VARCHAR`).join(', ')}, first_0 UBIGINT, first_1 UBIGINT)`);
    raws.push({ name, groupBatches, flushEach, db, c, ap: await c.createAppender('ev'), next: 0, rates: [] });
  }
  const rawRound = async (r, budgetSeconds) => {
    const start = performance.now();
    const deadline = start + budgetSeconds * 1000;
    let rows = 0;
    while (r.next < wire.length && performance.now() < deadline) {
      if (r.groupBatches > 1) await r.c.run('BEGIN TRANSACTION');
      for (let g = 0; g < r.groupBatches && r.next < wire.length; g++, r.next++) {
        const b = wire[r.next];
        const pid = BigInt(`0x${b.pseudonym.slice(0, 16)}`);
        for (const e of b.events) {
          const ap = r.ap;
          ap.appendUSmallInt(ids.get(e.name));
          ap.appendDate(new DuckDBDateValue(Math.round(Date.parse(`${e.time}T00:00:00Z`) / 86_400_000)));
          ap.appendVarchar(b.period);
          ap.appendUBigInt(pid);
          ap.appendVarchar(b.pseudonym);
          ap.appendVarchar(b.catalog.version);
          const names = slotOf.get(e.name);
          for (let s = 0; s < 11; s++) {
            const v = names[s] === undefined ? null : e.fields[names[s]];
            if (v === null || v === undefined) ap.appendNull();
            else ap.appendVarchar(typeof v === 'string' ? v : `${v}`);
          }
          ap.appendNull();
          ap.appendNull();
          ap.endRow();
          rows++;
        }
        if (r.flushEach) r.ap.flushSync();
      }
      if (!r.flushEach) r.ap.flushSync();
      if (r.groupBatches > 1) await r.c.run('COMMIT');
    }
    r.rates.push(rows / ((performance.now() - start) / 1000));
  };

  const bare = await startChild([fileURLToPath(import.meta.url), '--serve-bare'], (m) => m.port);
  const dataDir = join(dir, 'collector');
  const cli = join(here, '..', 'packages', 'cli', 'bin', 'candor.js');
  const col = await startChild([cli, 'collector', 'start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--ingest-per-minute', '0', '--log-level', 'info'], (m) => (m.msg === 'collector listening' ? m.port : undefined));

  // A short warm-up of both servers (JIT, connection pools); its batches count in the stored total.
  await runLoad({ target: `http://127.0.0.1:${bare.port}`, batches: forBare, durationSeconds: 1, concurrency });
  const warm = await runLoad({ target: `http://127.0.0.1:${col.port}`, batches: forCollector, durationSeconds: 1, concurrency });
  const aRuns = [];
  const cRuns = [];
  for (let round = 1; round <= rounds; round++) {
    const a = await runLoad({ target: `http://127.0.0.1:${bare.port}`, batches: forBare, durationSeconds: seconds, concurrency });
    aRuns.push(a);
    for (const r of raws) await rawRound(r, seconds / raws.length);
    const c = await runLoad({ target: `http://127.0.0.1:${col.port}`, batches: forCollector, durationSeconds: seconds, concurrency });
    cRuns.push(c);
    const bRound = Math.max(...raws.map((r) => r.rates[r.rates.length - 1]));
    const limitRound = 1 / (1 / a.acceptedEventsPerSecond + 1 / bRound);
    console.log(`round ${round}: a ${Math.round(a.acceptedEventsPerSecond)}  b ${Math.round(bRound)}  collector ${Math.round(c.acceptedEventsPerSecond)} events/s  → ${((c.acceptedEventsPerSecond / limitRound) * 100).toFixed(0)}% of the limit`);
  }
  await stopChild(bare.child);
  await stopChild(col.child);
  for (const r of raws) {
    r.ap.closeSync();
    r.c.closeSync();
    r.db.closeSync();
  }

  const a = median(aRuns.map((r) => r.acceptedEventsPerSecond));
  const c = median(cRuns.map((r) => r.acceptedEventsPerSecond));
  console.log(`${'a  bare fastify (gunzip+parse)'.padEnd(34)} ${String(Math.round(a)).padStart(8)} events/s (median)  p99 ${median(aRuns.map((r) => r.latencyMs.p99)).toFixed(1)} ms`);
  for (const r of raws) console.log(`${r.name.padEnd(34)} ${String(Math.round(median(r.rates))).padStart(8)} rows/s (median)`);
  // The strictest limit: the fastest of the raw append strategies.
  const b = Math.max(...raws.map((r) => median(r.rates)));
  const limit = 1 / (1 / a + 1 / b);
  console.log(`${'collector (DuckDB, validated)'.padEnd(34)} ${String(Math.round(c)).padStart(8)} events/s (median)`);

  const db = await DuckDBInstance.create(join(dataDir, 'candor.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  const stored = Number((await conn.runAndReadAll('SELECT count(*) FROM candor_events')).getRowsJS()[0][0]);
  const storedBatches = Number((await conn.runAndReadAll('SELECT count(*) FROM candor_batches')).getRowsJS()[0][0]);
  conn.closeSync();
  db.closeSync();
  rmSync(dir, { recursive: true, force: true });

  const accepted = [warm, ...cRuns].reduce((s, r) => s + r.acceptedEvents, 0);
  const acceptedBatches = [warm, ...cRuns].reduce((s, r) => s + r.acceptedBatches, 0);
  const refused = [warm, ...cRuns].reduce((s, r) => s + Object.values(r.failures).reduce((x, y) => x + y, 0), 0);
  const ratio = c / limit;
  console.log(`combined limit 1/(1/a+1/b)        ${Math.round(limit)} events/s   (a ${Math.round(a)}, b ${Math.round(b)})`);
  console.log(`collector / limit                 ${(ratio * 100).toFixed(1)}%   collector / a ${((c / a) * 100).toFixed(1)}%   collector / b ${((c / b) * 100).toFixed(1)}%`);
  console.log(`collector latency ms (median of rounds)  p50 ${median(cRuns.map((r) => r.latencyMs.p50)).toFixed(1)}  p90 ${median(cRuns.map((r) => r.latencyMs.p90)).toFixed(1)}  p99 ${median(cRuns.map((r) => r.latencyMs.p99)).toFixed(1)}  (worst round p99 ${Math.max(...cRuns.map((r) => r.latencyMs.p99)).toFixed(1)})`);
  console.log(`stored events ${stored} / accepted ${accepted};  stored batches ${storedBatches} / answered 202 ${acceptedBatches};  refused ${refused}`);
  // A phase that ran out of batches or measured nothing would make the ratio meaningless.
  const measured = Number.isFinite(ratio) && a > 0 && b > 0 && c > 0 && !collectorRanDry;
  if (collectorRanDry) console.log(`the collector's batches ran out before its rounds ended: raise BENCH_INSTALLS (now ${installs})`);
  const pass = measured && ratio >= 0.6;
  const exact = stored === accepted && storedBatches === acceptedBatches;
  console.log(`${pass ? 'PASS' : 'FAIL'} ingest ≥ 60% of the combined limit (${(ratio * 100).toFixed(1)}%)`);
  console.log(`${exact ? 'PASS' : 'FAIL'} stored count = accepted count`);
  if (!pass || !exact) process.exitCode = 1;
}
