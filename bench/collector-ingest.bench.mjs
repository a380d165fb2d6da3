// Ingest throughput of the collector on DuckDB, driven by the load generator (`candor load`'s
// engine), against the combined limit of its two halves measured in the same run:
//   a = events/s of a bare fastify endpoint that only gunzips and parses the same batches,
//   b = rows/s of raw DuckDB appends of the same rows in the same batch sizes,
//   limit = 1 / (1/a + 1/b).  Bar: collector ≥ 60% of limit; stored count = accepted count.
// Usage: npm run bench -- collector-ingest   (BENCH_SECONDS, BENCH_INSTALLS, BENCH_CONCURRENCY to change the run)
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
  const seconds = Number(process.env.BENCH_SECONDS ?? 8);
  const installs = Number(process.env.BENCH_INSTALLS ?? 40_000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 64);

  let t = performance.now();
  const wire = [...createFleet({ installs, days: 2, seed: 42 }).batches()];
  const prepared = wire.map(prepareBatch);
  const totalEvents = wire.reduce((s, b) => s + b.events.length, 0);
  console.log(`fleet: ${installs} installs, ${wire.length} batches, ${totalEvents} events (mean ${(totalEvents / wire.length).toFixed(1)} events/batch, ${(prepared.reduce((s, b) => s + b.body.length, 0) / wire.length).toFixed(0)} gzip bytes/batch), generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const line = (name, r) => console.log(`${name.padEnd(30)} ${String(Math.round(r.acceptedEventsPerSecond)).padStart(8)} events/s  p50 ${r.latencyMs.p50.toFixed(1)} ms  p99 ${r.latencyMs.p99.toFixed(1)} ms  (${r.acceptedEvents} events, ${Object.keys(r.failures).length === 0 ? 'no refusals' : JSON.stringify(r.failures)})`);

  // a: the bare endpoint.
  const bare = await startChild([fileURLToPath(import.meta.url), '--serve-bare'], (m) => m.port);
  const a = await runLoad({ target: `http://127.0.0.1:${bare.port}`, batches: prepared, durationSeconds: seconds, concurrency });
  await stopChild(bare.child);
  line('a  bare fastify (gunzip+parse)', a);

  // b: raw appends of the same rows into a table of the collector's shape, batch by batch.
  const registry = createCatalogRegistry(mediaServerCatalog);
  const ids = new Map(registry.schema.events.map((e, i) => [e.name, i + 1]));
  const slotOf = new Map(registry.schema.events.map((e) => [e.name, e.fields.map((f) => f.name)]));
  const dir = mkdtempSync(join(tmpdir(), 'cingest-bench-'));
  // groupBatches: batches per transaction (1 = autocommit); flushEach: flush after every batch or once per transaction.
  const raw = async (groupBatches, flushEach) => {
    const path = join(dir, `raw-${groupBatches}-${flushEach}.duckdb`);
    const db = await DuckDBInstance.create(path);
    const c = await db.connect();
    await c.run(`CREATE TABLE ev (event_id USMALLINT, day DATE, period VARCHAR, pid UBIGINT, pseudonym VARCHAR, catalog_version VARCHAR, ${Array.from({ length: 11 }, (_, i) => `s${i} VARCHAR`).join(', ')}, first_0 UBIGINT, first_1 UBIGINT)`);
    const ap = await c.createAppender('ev');
    const start = performance.now();
    const deadline = start + seconds * 1000;
    let rows = 0;
    let i = 0;
    while (i < wire.length && performance.now() < deadline) {
      if (groupBatches > 1) await c.run('BEGIN TRANSACTION');
      for (let g = 0; g < groupBatches && i < wire.length; g++, i++) {
        const b = wire[i];
        const pid = BigInt(`0x${b.pseudonym.slice(0, 16)}`);
        for (const e of b.events) {
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
        if (flushEach) ap.flushSync();
      }
      if (!flushEach) ap.flushSync();
      if (groupBatches > 1) await c.run('COMMIT');
    }
    const s = (performance.now() - start) / 1000;
    ap.closeSync();
    c.closeSync();
    db.closeSync();
    return rows / s;
  };
  const b1 = await raw(1, true);
  const b2 = await raw(concurrency, true);
  const b3 = await raw(concurrency, false);
  console.log(`${'b1 raw, flush+commit per batch'.padEnd(30)} ${String(Math.round(b1)).padStart(8)} rows/s`);
  console.log(`${`b2 raw, flush/batch, commit/${concurrency}`.padEnd(30)} ${String(Math.round(b2)).padStart(8)} rows/s`);
  console.log(`${`b3 raw, flush+commit per ${concurrency}`.padEnd(30)} ${String(Math.round(b3)).padStart(8)} rows/s`);
  // The strictest limit: the fastest of the raw append strategies.
  const b = Math.max(b1, b2, b3);
  const limit = 1 / (1 / a.acceptedEventsPerSecond + 1 / b);

  // The collector, a child process started by the CLI, on a fresh data directory.
  const dataDir = join(dir, 'collector');
  const cli = join(here, '..', 'packages', 'cli', 'bin', 'candor.js');
  const col = await startChild([cli, 'collector', 'start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--ingest-per-minute', '0', '--log-level', 'info'], (m) => (m.msg === 'collector listening' ? m.port : undefined));
  const c = await runLoad({ target: `http://127.0.0.1:${col.port}`, batches: prepared, durationSeconds: seconds, concurrency });
  await stopChild(col.child);
  line('collector (DuckDB, validated)', c);

  const db = await DuckDBInstance.create(join(dataDir, 'candor.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await db.connect();
  const stored = Number((await conn.runAndReadAll('SELECT count(*) FROM candor_events')).getRowsJS()[0][0]);
  const storedBatches = Number((await conn.runAndReadAll('SELECT count(*) FROM candor_batches')).getRowsJS()[0][0]);
  conn.closeSync();
  db.closeSync();
  rmSync(dir, { recursive: true, force: true });

  const ratio = c.acceptedEventsPerSecond / limit;
  console.log(`combined limit 1/(1/a+1/b)        ${Math.round(limit)} events/s   (a ${Math.round(a.acceptedEventsPerSecond)}, b ${Math.round(b)})`);
  console.log(`collector / limit                 ${(ratio * 100).toFixed(1)}%   collector / a ${((c.acceptedEventsPerSecond / a.acceptedEventsPerSecond) * 100).toFixed(1)}%   collector / b ${((c.acceptedEventsPerSecond / b) * 100).toFixed(1)}%`);
  console.log(`collector latency ms              p50 ${c.latencyMs.p50.toFixed(1)}  p90 ${c.latencyMs.p90.toFixed(1)}  p99 ${c.latencyMs.p99.toFixed(1)}  max ${c.latencyMs.max.toFixed(1)}`);
  console.log(`stored events ${stored} / accepted ${c.acceptedEvents};  stored batches ${storedBatches} / answered 202 ${c.acceptedBatches}`);
  const pass = ratio >= 0.6;
  const exact = stored === c.acceptedEvents && storedBatches === c.acceptedBatches;
  console.log(`${pass ? 'PASS' : 'FAIL'} ingest ≥ 60% of the combined limit (${(ratio * 100).toFixed(1)}%)`);
  console.log(`${exact ? 'PASS' : 'FAIL'} stored count = accepted count`);
  if (!pass || !exact) process.exitCode = 1;
}
