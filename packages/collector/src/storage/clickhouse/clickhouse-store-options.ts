import type { ResolvedCollectorOptions } from '../../config/resolve-collector-options.js';
import type { ClickHouseStoreOptions } from './clickhouse-store.js';
import { parseClickHouseUrls } from './parse-clickhouse-urls.js';

/** The ClickHouse store options of a resolved collector configuration (`--store clickhouse`). */
export function clickHouseStoreOptions(options: ResolvedCollectorOptions, now: () => number): ClickHouseStoreOptions {
  return {
    urls: parseClickHouseUrls(options.clickhouseUrl),
    database: options.clickhouseDatabase,
    cluster: options.clickhouseCluster,
    now,
    flushIntervalMs: options.clickhouseFlushIntervalMs,
    ...(options.clickhouseReplicatedPath === undefined ? {} : { engine: { kind: 'replicated', zooPathPrefix: options.clickhouseReplicatedPath } as const }),
    ...(options.clickhouseInsertQuorum > 0 ? { insertQuorum: options.clickhouseInsertQuorum } : {}),
  };
}
