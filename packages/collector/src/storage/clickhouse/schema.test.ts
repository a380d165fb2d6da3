import { describe, expect, it } from 'vitest';
import type { StoreSchema } from '../contract.js';
import { createBookkeepingSql, createDistributedSql, createEventTableSql, eventTables, partitionDays, shardOf, tableNameOf } from './schema.js';
import { SqlLiteralError } from './sql-literal.js';

const schema: StoreSchema = {
  catalogId: 'c',
  linkage: 'day',
  events: [{ name: 'playback.session', category: 'playback', maxPerPeriod: 3, fields: [{ name: 'deviceType', type: 'string', groupable: true }, { name: 'hdr', type: 'boolean', groupable: true }, { name: 'bitrate', type: 'number', groupable: true }] }],
};
const v18 = { version: '18.16.1', fsyncAfterInsert: false };
const v24 = { version: '24.8.1', fsyncAfterInsert: true };

describe('ClickHouse schema', () => {
  it('names tables by a readable part and a hash, so that look-alike names never collide', () => {
    expect(tableNameOf('playback.session')).toMatch(/^ev_playback_session_[0-9a-f]{8}$/);
    expect(tableNameOf('a.b')).not.toBe(tableNameOf('a_b'));
    expect(tableNameOf('a.b')).toBe(tableNameOf('a.b'));
  });

  it('writes MergeTree DDL partitioned by period day that 18.16 accepts, with fsync settings only where the server has them', () => {
    const t = eventTables(schema).get('playback.session')!;
    const old = createEventTableSql('candor', t, { kind: 'merge-tree' }, v18);
    expect(old).toContain('ENGINE = MergeTree() PARTITION BY toYYYYMMDD(period_day) ORDER BY (pseudonym, day, write_id)');
    expect(old).toContain('`f_deviceType` Nullable(String), `f_hdr` Nullable(UInt8), `f_bitrate` Nullable(Float64)');
    expect(old).not.toContain('SETTINGS');
    expect(createEventTableSql('candor', t, { kind: 'merge-tree' }, v24)).toContain('SETTINGS fsync_after_insert = 1, fsync_part_directory = 1');
    const replicated = createBookkeepingSql('candor', { kind: 'replicated', zooPathPrefix: '/clickhouse/tables/' }, v18)[0]!.sql;
    expect(replicated).toContain("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/candor/candor_batches', '{replica}') PARTITION BY toYYYYMM(period_day)");
    expect(createDistributedSql('candor', t.table, 'fleet', 'cityHash64(pseudonym)')).toBe(
      `CREATE TABLE IF NOT EXISTS \`candor\`.\`${t.table}_all\` AS \`candor\`.\`${t.table}\` ENGINE = Distributed(\`fleet\`, 'candor', '${t.table}', cityHash64(pseudonym))`,
    );
  });

  it('refuses field names that are not safe identifiers', () => {
    expect(() => eventTables({ ...schema, events: [{ ...schema.events[0]!, fields: [{ name: 'a`; DROP', type: 'string', groupable: true }] }] })).toThrow(SqlLiteralError);
  });

  it('routes a pseudonym by its first 64 bits', () => {
    expect(shardOf('0'.repeat(63) + '1', 2)).toBe(0);
    expect(shardOf('0000000000000001' + '0'.repeat(48), 2)).toBe(1);
    expect(shardOf('ffffffffffffffff' + '0'.repeat(48), 3)).toBe(Number(0xffffffffffffffffn % 3n));
    expect(shardOf('zz', 1)).toBe(0);
    expect(() => shardOf('zz', 2)).toThrow(RangeError);
  });

  it('reads day and month partition ids back as the days they span', () => {
    expect(partitionDays('20261120')).toEqual({ first: '2026-11-20', last: '2026-11-20' });
    expect(partitionDays('202402')).toEqual({ first: '2024-02-01', last: '2024-02-29' });
    expect(partitionDays('tuple()')).toBeNull();
    expect(partitionDays("'20261120'")).toBeNull();
  });
});
