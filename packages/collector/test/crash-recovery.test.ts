import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { PATHS, type IngestResponse } from '@candor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { fleetBatches, runLoad, type PreparedBatch } from '../src/load/run-load.js';

const cli = join(import.meta.dirname, '..', '..', 'cli', 'bin', 'candor.js');
let child: ChildProcess | undefined;
let dir: string;

afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the built CLI's collector as a child process and resolves with its port. */
function startCollectorProcess(dataDir: string): Promise<{ proc: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [cli, 'collector', 'start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--ingest-per-minute', '0', '--log-level', 'info'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"port":(\d+),"catalog"/.exec(out);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.stderr.on('data', () => undefined);
    proc.once('exit', (code) => reject(new Error(`collector exited with ${code}: ${out.slice(0, 400)}`)));
  });
}

describe('crash recovery', () => {
  it('keeps every batch that got a 202 when the collector is killed with SIGKILL during load', { timeout: 240_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-crash-'));
    const first = await startCollectorProcess(dir);
    child = first.proc;
    const acknowledged = new Map<string, { batch: PreparedBatch; answer: IngestResponse }>();
    const abort = new AbortController();
    const load = runLoad({
      target: `http://127.0.0.1:${first.port}`,
      batches: fleetBatches({ installs: 20_000, days: 2, seed: 7 }),
      durationSeconds: 120,
      concurrency: 48,
      signal: abort.signal,
      requestTimeoutMs: 5000,
      onResult: (batch, status, answer) => {
        if (status === 202 && answer !== undefined) acknowledged.set(batch.batchKey, { batch, answer });
        // Kill while batches are being committed, then stop sending.
        if (acknowledged.size === 400 && child === first.proc) {
          first.proc.kill('SIGKILL');
          child = undefined;
          abort.abort();
        }
      },
    });
    const report = await load;
    expect(acknowledged.size).toBeGreaterThanOrEqual(400);
    expect(report.failures.error ?? 0).toBeGreaterThan(0);

    // Restart on the same data: every acknowledged batch is there, with its first answer.
    const second = await startCollectorProcess(dir);
    child = second.proc;
    const target = `http://127.0.0.1:${second.port}${PATHS.batches}`;
    for (const { batch, answer } of acknowledged.values()) {
      const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: new Uint8Array(batch.body) });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ ...answer, duplicate: true });
    }
    await new Promise<void>((resolve) => {
      second.proc.once('exit', () => resolve());
      second.proc.kill('SIGTERM');
    });
    child = undefined;

    // And the store is consistent: each committed batch has all its rows, no more.
    const db = await DuckDBInstance.create(join(dir, 'candor.duckdb'), { access_mode: 'READ_ONLY' });
    const conn = await db.connect();
    const rows = Number((await conn.runAndReadAll('SELECT count(*) FROM candor_events')).getRowsJS()[0]![0]);
    const answered = Number((await conn.runAndReadAll('SELECT sum(accepted) FROM candor_batches')).getRowsJS()[0]![0]);
    const keys = Number((await conn.runAndReadAll('SELECT count(DISTINCT batch_key) FROM candor_batches')).getRowsJS()[0]![0]);
    conn.closeSync();
    db.closeSync();
    expect(rows).toBe(answered);
    expect(keys).toBeGreaterThanOrEqual(acknowledged.size);
    expect(rows).toBeGreaterThanOrEqual([...acknowledged.values()].reduce((s, a) => s + a.answer.accepted, 0));
  });
});
