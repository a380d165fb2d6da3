import { describe, expect, it } from 'vitest';
import { resolveCollectorOptions } from '../../config/resolve-collector-options.js';
import { clickHouseStoreOptions } from './clickhouse-store-options.js';

describe('clickHouseStoreOptions', () => {
  const now = (): number => 0;

  it('maps the collector options, environment included', () => {
    const options = resolveCollectorOptions(
      { store: 'clickhouse', clickhouseUrl: 'http://a:8123,http://b:8123' },
      { CANDOR_CLICKHOUSE_DATABASE: 'fleet', CANDOR_CLICKHOUSE_REPLICATED_PATH: '/clickhouse/tables', CANDOR_CLICKHOUSE_INSERT_QUORUM: '2', CANDOR_CLICKHOUSE_FLUSH_INTERVAL_MS: '500' },
    );
    expect(clickHouseStoreOptions(options, now)).toEqual({
      urls: ['http://a:8123', 'http://b:8123'],
      database: 'fleet',
      cluster: 'candor',
      now,
      flushIntervalMs: 500,
      engine: { kind: 'replicated', zooPathPrefix: '/clickhouse/tables' },
      insertQuorum: 2,
    });
  });

  it('leaves replication off by default', () => {
    const o = clickHouseStoreOptions(resolveCollectorOptions({ store: 'clickhouse', clickhouseUrl: 'http://a:8123' }), now);
    expect(o.engine).toBeUndefined();
    expect(o.insertQuorum).toBeUndefined();
    expect(o.flushIntervalMs).toBe(1000);
  });
});
