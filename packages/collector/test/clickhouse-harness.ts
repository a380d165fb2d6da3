import { randomBytes } from 'node:crypto';
import { createClient } from '@clickhouse/client';
import { afterAll, beforeAll } from 'vitest';
import { createClickHouseStore, type ClickHouseStore, type ClickHouseStoreOptions } from '../src/storage/clickhouse/clickhouse-store.js';
import { startLocalClickHouseCluster, type LocalClickHouseCluster } from '../src/storage/clickhouse/local-cluster.js';
import { CONTRACT_SCHEMA, reopeningHarness, type CreateStoreHarness } from './storage-contract.js';

/**
 * Starts real clickhouse-server shards once for the test file (beforeAll) and stops them
 * afterwards (afterAll). Returns a getter, since the cluster exists only once beforeAll ran.
 */
export function useClickHouseCluster(shards = 2): () => LocalClickHouseCluster {
  let cluster: LocalClickHouseCluster | undefined;
  beforeAll(async () => {
    cluster = await startLocalClickHouseCluster({ shards });
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  return () => {
    if (cluster === undefined) throw new Error('the ClickHouse cluster is not running (beforeAll failed?)');
    return cluster;
  };
}

/** A fresh database name, so that every store under test starts empty on the shared servers. */
export function freshDatabase(prefix = 'candor_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Drops a database on every shard. */
export async function dropDatabase(urls: readonly string[], database: string): Promise<void> {
  await Promise.all(
    urls.map(async (url) => {
      const client = createClient({ url });
      try {
        await client.command({ query: `DROP DATABASE IF EXISTS \`${database}\`` });
      } finally {
        await client.close();
      }
    }),
  );
}

/** A contract harness over the running cluster: a new database per test, dropped on dispose. */
export function clickHouseContractHarness(cluster: () => LocalClickHouseCluster, extra: Partial<ClickHouseStoreOptions> = {}): CreateStoreHarness {
  return async ({ now }) => {
    const urls = cluster().urls;
    const database = freshDatabase();
    const open = async (): Promise<ClickHouseStore> => {
      const store = createClickHouseStore({ urls, database, cluster: cluster().cluster, now, flushIntervalMs: 0, ...extra });
      await store.open(CONTRACT_SCHEMA);
      return store;
    };
    return reopeningHarness(open, () => dropDatabase(urls, database));
  };
}
