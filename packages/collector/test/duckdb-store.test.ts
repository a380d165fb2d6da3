import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDuckDbStore } from '../src/storage/duckdb/duckdb-store.js';
import { describe, expect, it } from 'vitest';
import { CONTRACT_SCHEMA, batchOf, clientSession, describeStorageContract, hex, playback, reopeningHarness } from './storage-contract.js';

describeStorageContract('duckdb', async ({ now }) => {
  const dir = mkdtempSync(join(tmpdir(), 'candor-duckdb-'));
  const path = join(dir, 'store.duckdb');
  const open = async () => {
    const store = createDuckDbStore({ path, now, rollupQuietMs: 0, threads: 1 });
    await store.open(CONTRACT_SCHEMA);
    return store;
  };
  return reopeningHarness(open, () => rmSync(dir, { recursive: true, force: true }));
});

describe('the DuckDB store between maintenance runs', () => {
  it('checkpoints what was appended, so that the write-ahead log (and the memory behind it) does not grow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-duckdb-wal-'));
    const path = join(dir, 'store.duckdb');
    const day = '2026-11-20';
    const store = createDuckDbStore({ path, now: () => Date.parse(`${day}T12:00:00Z`), rollupQuietMs: 0, threads: 1 });
    try {
      await store.open(CONTRACT_SCHEMA);
      const walBytes = (): number => (existsSync(`${path}.wal`) ? statSync(`${path}.wal`).size : 0);
      for (let i = 0; i < 50; i++) await store.append(batchOf(hex(32), day, [clientSession(day, 'tv', 'roku'), playback(day)]));
      expect(walBytes()).toBeGreaterThan(0);
      await store.maintain();
      expect(walBytes()).toBe(0);
      // Nothing written since: the next run has nothing to checkpoint, and what was stored is all there.
      await store.maintain();
      expect(walBytes()).toBe(0);
      const cells = await store.queryAggregates({ event: 'client.session', groupBy: [], from: day, to: day, granularity: 'day' });
      expect(cells.reduce((s, c) => s + c.events, 0)).toBe(50);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
