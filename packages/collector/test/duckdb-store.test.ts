import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDuckDbStore } from '../src/storage/duckdb/duckdb-store.js';
import { CONTRACT_SCHEMA, describeStorageContract, reopeningHarness } from './storage-contract.js';

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
