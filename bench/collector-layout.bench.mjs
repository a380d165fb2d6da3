// Why the DuckDB store keeps every event kind in one table: the cost of one commit when a
// group of batches spreads its rows over one table, against the same rows spread over nine
// (one table per event kind of the media-server catalog), in the same run.
// Usage: npm run bench -- collector-layout
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, DuckDBDateValue } from '@duckdb/node-api';

const COMMITS = Number(process.env.BENCH_COMMITS ?? 40);
const dir = mkdtempSync(join(tmpdir(), 'clayout-bench-'));
const db = await DuckDBInstance.create(join(dir, 'layout.duckdb'));
const c = await db.connect();
const TABLES = 9;
for (let t = 0; t < TABLES; t++) await c.run(`CREATE TABLE t${t} (event_id USMALLINT, day DATE, period VARCHAR, pid UBIGINT, pseudonym VARCHAR, catalog_version VARCHAR, s0 VARCHAR, s1 VARCHAR, s2 VARCHAR)`);
const appenders = [];
for (let t = 0; t < TABLES; t++) appenders.push(await c.createAppender(`t${t}`));
const pseudonym = 'ab'.repeat(32);
const day = new DuckDBDateValue(20_400);

async function measure(tables, rows) {
  const start = performance.now();
  for (let k = 0; k < COMMITS; k++) {
    await c.run('BEGIN TRANSACTION');
    for (let r = 0; r < rows; r++) {
      const a = appenders[r % tables];
      a.appendUSmallInt(r % 9);
      a.appendDate(day);
      a.appendVarchar('2026-11-29');
      a.appendUBigInt(BigInt(r));
      a.appendVarchar(pseudonym);
      a.appendVarchar('1.0.0');
      a.appendVarchar('tv');
      a.appendVarchar('mkv');
      a.appendVarchar('1080p');
      a.endRow();
    }
    for (let t = 0; t < tables; t++) appenders[t].flushSync();
    await c.run('COMMIT');
  }
  return (performance.now() - start) / COMMITS;
}

const results = [];
for (const rows of [300, 3000]) {
  const one = await measure(1, rows);
  const nine = await measure(TABLES, rows);
  results.push([rows, one, nine]);
  console.log(`${String(rows).padStart(5)} rows per commit: one table ${one.toFixed(1)} ms, nine tables ${nine.toFixed(1)} ms  → one table ${(nine / one).toFixed(1)}× cheaper per commit`);
}
for (const a of appenders) a.closeSync();
c.closeSync();
db.closeSync();
rmSync(dir, { recursive: true, force: true });
const pass = results.every(([, one, nine]) => one < nine);
console.log(`${pass ? 'PASS' : 'FAIL'} one table costs less per commit than nine`);
if (!pass) process.exitCode = 1;
