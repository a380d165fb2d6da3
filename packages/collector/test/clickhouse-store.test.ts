import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { WireValue } from '@candor/protocol';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../src/errors.js';
import { createClickHouseStore, type ClickHouseStore } from '../src/storage/clickhouse/clickhouse-store.js';
import { BOOKKEEPING, SHARDING_KEY_SQL } from '../src/storage/clickhouse/schema.js';
import { stringLiteral } from '../src/storage/clickhouse/sql-literal.js';
import { firstFlags } from '../src/storage/subsets.js';
import type { AggregateQuery, AppendEvent, StoreSchema } from '../src/storage/contract.js';
import { dropDatabase, freshDatabase, useClickHouseCluster } from './clickhouse-harness.js';
import { CONTRACT_SCHEMA, batchOf, clientSession, hex, playback } from './storage-contract.js';

const cluster = useClickHouseCluster(2);
const DAY = '2026-11-20';
const T0 = Date.UTC(2026, 10, 20, 12);

let clients: ClickHouseClient[] = [];
beforeAll(() => {
  clients = cluster().urls.map((url) => createClient({ url }));
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

async function rows<T>(shard: number, query: string): Promise<T[]> {
  return (await clients[shard]!.query({ query, format: 'JSONEachRow' })).json<T>();
}

async function count(shard: number, query: string): Promise<number> {
  const [r] = await rows<{ n: string }>(shard, query);
  return Number(r?.n ?? 0);
}

/** Two stores on the same database: two collector processes behind one load balancer. */
async function twoCollectors(database: string): Promise<[ClickHouseStore, ClickHouseStore]> {
  const make = async (): Promise<ClickHouseStore> => {
    const s = createClickHouseStore({ urls: cluster().urls, database, cluster: cluster().cluster, now: () => T0, flushIntervalMs: 5 });
    await s.open(CONTRACT_SCHEMA);
    return s;
  };
  return Promise.all([make(), make()]);
}

describe('ClickHouse store', () => {
  let database: string;
  let stores: ClickHouseStore[] = [];

  afterEach(async () => {
    await Promise.all(stores.map((s) => s.close()));
    stores = [];
    await dropDatabase(cluster().urls, database);
  });

  it('writes string literals that the real server reads back unchanged', async () => {
    database = freshDatabase();
    const samples = fc.sample(fc.string({ unit: 'binary', maxLength: 40 }), 300).filter((s) => !/[\ud800-\udfff]/.test(s));
    samples.push("'; DROP DATABASE x; --", '\\', "\\'", '\u0000\u001f\u007f', 'ünïcödé ✓');
    const query = `SELECT arrayJoin([${samples.map(stringLiteral).join(', ')}]) AS s`;
    const back = await rows<{ s: string }>(0, query);
    expect(back.map((r) => r.s)).toEqual(samples);
  });

  it('keeps each pseudonym on the shard the Distributed table would choose, and serves the same rows through it', async () => {
    database = freshDatabase();
    const [a] = await twoCollectors(database);
    stores = [a];
    const pseudonyms = Array.from({ length: 40 }, () => hex(32));
    for (const p of pseudonyms) await a.append(batchOf(p, DAY, [playback(DAY)]));
    const table = a.tables().get('playback.session')!.table;
    for (const p of pseudonyms) {
      const where = `pseudonym = ${stringLiteral(p)}`;
      const home = a.shardOf(p);
      expect(await count(home, `SELECT count() AS n FROM ${database}.${table} WHERE ${where}`)).toBe(1);
      expect(await count(1 - home, `SELECT count() AS n FROM ${database}.${table} WHERE ${where}`)).toBe(0);
      // The sharding expression of the Distributed table picks the same shard.
      expect(await count(0, `SELECT ${SHARDING_KEY_SQL} % 2 AS n FROM (SELECT ${stringLiteral(p)} AS pseudonym)`)).toBe(home);
    }
    expect(new Set(pseudonyms.map((p) => a.shardOf(p))).size).toBe(2);
    expect(await count(0, `SELECT count() AS n FROM ${database}.${table}_all`)).toBe(40);
    expect(a.features().map((f) => f.version)).toHaveLength(2);
  });

  it('honours a batch key across collectors, also when both receive it at the same moment', async () => {
    database = freshDatabase();
    const [a, b] = await twoCollectors(database);
    stores = [a, b];
    const batches = Array.from({ length: 40 }, () => batchOf(hex(32), DAY, [playback(DAY), clientSession(DAY, 'tv', 'web')]));
    const answers = await Promise.all(batches.map((x) => Promise.all([a.append(x), b.append(x)])));
    for (const [ra, rb] of answers) {
      expect([ra.accepted, ra.bounded]).toEqual([rb.accepted, rb.bounded]);
      expect(ra.accepted).toBe(2);
    }
    // A later retry to either collector is a duplicate.
    for (const x of batches.slice(0, 5)) expect(await b.append(x)).toMatchObject({ duplicate: true, accepted: 2 });
    const q: AggregateQuery = { event: 'playback.session', groupBy: [], from: DAY, to: DAY, granularity: 'day' };
    const expected = [{ period: DAY, values: [], events: 40, installs: 40, peakInstalls: 40 }];
    expect(await a.queryAggregates(q)).toEqual(expected);
    expect(await b.queryAggregates({ ...q, event: 'client.session' })).toEqual(expected);
    await a.maintain();
    // Exactly one visible marker per key remains.
    const markers = await count(0, `SELECT count() AS n FROM ${database}.${BOOKKEEPING.batches}_all WHERE write_id NOT IN (SELECT write_id FROM ${database}.${BOOKKEEPING.hidden} WHERE scope = 'write')`);
    expect(markers).toBe(40);
  });

  it('bounds contributions across collectors that take turns', async () => {
    database = freshDatabase();
    const [a, b] = await twoCollectors(database);
    stores = [a, b];
    const p = hex(32);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await (i % 2 === 0 ? a : b).append(batchOf(p, DAY, [playback(DAY)])));
    expect(results.map((r) => r.accepted)).toEqual([1, 1, 1, 0, 0]);
  });

  it('completes a batch whose earlier attempt died half-way (some tables written, no marker) without doubling or miscounting', async () => {
    database = freshDatabase();
    const [a] = await twoCollectors(database);
    stores = [a];
    const p = hex(32);
    const x = batchOf(p, DAY, [playback(DAY), playback(DAY, { deviceType: 'web' }), clientSession(DAY, 'tv', 'web')]);
    const home = a.shardOf(p);
    const t = a.tables().get('playback.session')!;
    // What a shard killed between two inserts leaves behind: the playback rows (with the first
    // flags the adapter computed), no client.session rows, no marker.
    const valuesOf = (e: AppendEvent): WireValue[] => t.positions.map((pos) => e.fields[pos.field] ?? null);
    const orphan = [x.events[0]!, x.events[1]!].map((e, seq, all) => {
      const flags = firstFlags(valuesOf(e), all.slice(0, seq).map(valuesOf));
      const row: Record<string, unknown> = { period_day: DAY, day: DAY, pseudonym: p, batch_key: x.batchKey, write_id: '12345', ins_ms: T0, seq, catalog_version: '1.0.0', flag_fields: t.positions.length };
      flags.forEach((w, i) => (row[`first_${i}`] = w.toString()));
      for (const [f, v] of Object.entries(e.fields)) row[`f_${f}`] = typeof v === 'boolean' ? Number(v) : v;
      return row;
    });
    await clients[home]!.insert({ table: `${database}.${t.table}`, values: orphan, format: 'JSONEachRow' });
    // Meanwhile another batch of the same install: bounded and flagged against the visible orphan rows.
    expect(await a.append(batchOf(p, DAY, [playback(DAY), playback(DAY)]))).toMatchObject({ accepted: 1, bounded: 1 });
    // The retry keeps the orphan's rows as they are (copied) and writes the missing table.
    expect(await a.append(x)).toMatchObject({ accepted: 3, bounded: 0, duplicate: false });
    expect(await a.append(x)).toMatchObject({ accepted: 3, bounded: 0, duplicate: true });
    expect(await a.queryAggregates({ event: 'playback.session', groupBy: ['deviceType'], from: DAY, to: DAY, granularity: 'day' })).toEqual([
      { period: DAY, values: ['tv'], events: 2, installs: 1, peakInstalls: 1 },
      { period: DAY, values: ['web'], events: 1, installs: 1, peakInstalls: 1 },
    ]);
    expect(await a.queryAggregates({ event: 'client.session', groupBy: [], from: DAY, to: DAY, granularity: 'day' })).toEqual([{ period: DAY, values: [], events: 1, installs: 1, peakInstalls: 1 }]);
    expect(await count(home, `SELECT count() AS n FROM ${database}.${BOOKKEEPING.hidden} WHERE write_id = 12345 AND scope = 'write'`)).toBe(1);
    // The hidden attempt stays on disk until maintenance removes it in bulk.
    const physical = `SELECT count() AS n FROM ${database}.${t.table} WHERE write_id = 12345`;
    expect(await count(home, physical)).toBe(2);
    await a.maintain();
    await expect.poll(() => count(home, physical), { timeout: 30_000, interval: 200 }).toBe(0);
    expect(await a.queryAggregates({ event: 'playback.session', groupBy: [], from: DAY, to: DAY, granularity: 'day' })).toEqual([{ period: DAY, values: [], events: 3, installs: 1, peakInstalls: 1 }]);
  });

  it('hides deleted subjects at once, before the mutation has run, and the mutation removes the rows later', async () => {
    database = freshDatabase();
    const [a, b] = await twoCollectors(database);
    stores = [a, b];
    const gone = hex(32);
    const kept = hex(32);
    await a.append(batchOf(gone, DAY, [playback(DAY), clientSession(DAY, 'tv', 'web')]));
    await a.append(batchOf(kept, DAY, [playback(DAY)]));
    const table = a.tables().get('playback.session')!.table;
    const home = a.shardOf(gone);
    // Park the mutation: merges (and with them mutations) stopped on the table.
    await clients[home]!.command({ query: `SYSTEM STOP MERGES ${database}.${table}` });
    expect(await b.deleteSubjects({ pseudonyms: [gone], events: ['playback.session'] })).toBe(1);
    const q: AggregateQuery = { event: 'playback.session', groupBy: [], from: DAY, to: DAY, granularity: 'day' };
    expect(await a.queryAggregates(q)).toEqual([{ period: DAY, values: [], events: 1, installs: 1, peakInstalls: 1 }]);
    expect((await a.exportSubjects({ pseudonyms: [gone] })).map((e) => e.event)).toEqual(['client.session']);
    const physical = `SELECT count() AS n FROM ${database}.${table} WHERE pseudonym = ${stringLiteral(gone)}`;
    expect(await count(home, physical)).toBe(1);
    const pending = `SELECT count() AS n FROM system.mutations WHERE database = ${stringLiteral(database)} AND table = ${stringLiteral(table)} AND is_done = 0`;
    await expect.poll(() => count(home, pending), { timeout: 10_000 }).toBe(1);
    await clients[home]!.command({ query: `SYSTEM START MERGES ${database}.${table}` });
    await expect.poll(() => count(home, physical), { timeout: 30_000, interval: 200 }).toBe(0);
    expect(await a.queryAggregates(q)).toEqual([{ period: DAY, values: [], events: 1, installs: 1, peakInstalls: 1 }]);
  });

  it('counts distinct installs from first flags, and exactly from uniqExact where rows predate a grouped field', async () => {
    database = freshDatabase();
    const v1: StoreSchema = { catalogId: 'c', linkage: 'day', events: [{ name: 'x', category: 'usage', maxPerPeriod: 5, fields: [{ name: 'a', type: 'string', groupable: true }] }] };
    const v2: StoreSchema = { ...v1, events: [{ ...v1.events[0]!, fields: [...v1.events[0]!.fields, { name: 'b', type: 'boolean', groupable: true }] }] };
    const open = async (schema: StoreSchema): Promise<ClickHouseStore> => {
      const st = createClickHouseStore({ urls: cluster().urls, database, cluster: cluster().cluster, now: () => T0, flushIntervalMs: 0 });
      await st.open(schema);
      return st;
    };
    const e = (a: string, b?: boolean): AppendEvent => ({ event: 'x', day: DAY, maxPerPeriod: 5, fields: b === undefined ? { a } : { a, b } });
    const p1 = hex(32);
    const p2 = hex(32);
    let st = await open(v1);
    stores = [st];
    await st.append(batchOf(p1, DAY, [e('u'), e('u'), e('v')]));
    await st.close();
    st = await open(v2);
    stores = [st];
    await st.append(batchOf(p1, DAY, [e('u', true), e('v', false)]));
    await st.append(batchOf(p2, DAY, [e('u', true), e('u', true)]));
    const q = (groupBy: string[]): AggregateQuery => ({ event: 'x', groupBy, from: DAY, to: DAY, granularity: 'day' });
    expect((await st.queryAggregates(q(['a']))).map((c) => [c.values, c.events, c.installs])).toEqual([
      [['u'], 5, 2],
      [['v'], 2, 1],
    ]);
    // Rows of the first version have no b (null) and no flag for it: the answer is still exact.
    expect((await st.queryAggregates(q(['a', 'b']))).map((c) => [c.values, c.events, c.installs])).toEqual([
      [['u', null], 2, 1],
      [['u', true], 3, 2],
      [['v', null], 1, 1],
      [['v', false], 1, 1],
    ]);
    expect(st.tables().get('x')!.positions.map((p) => p.field)).toEqual(['a', 'b']);
  });

  it('applies retention by dropping whole day partitions (batch keys: whole months)', async () => {
    database = freshDatabase();
    const [a] = await twoCollectors(database);
    stores = [a];
    const days = ['2026-10-01', '2026-10-02', '2026-11-01'];
    for (const d of days) for (let i = 0; i < 6; i++) await a.append(batchOf(hex(32), d, [playback(d), clientSession(d, 'tv', 'web')]));
    const table = a.tables().get('playback.session')!.table;
    const other = a.tables().get('client.session')!.table;
    const partitions = async (t: string): Promise<string[]> => {
      const all = await Promise.all([0, 1].map((s) => rows<{ partition: string }>(s, `SELECT DISTINCT partition FROM system.parts WHERE database = ${stringLiteral(database)} AND table = ${stringLiteral(t)} AND active`)));
      return [...new Set(all.flat().map((r) => r.partition))].sort();
    };
    expect(await partitions(table)).toEqual(['20261001', '20261002', '20261101']);
    const result = await a.applyRetention({ events: [{ event: 'playback.session', beforeDay: '2026-10-15' }], batchKeysBeforeDay: '2026-10-31' });
    expect(result).toEqual({ deletedByEvent: { 'playback.session': 12 }, batchKeysDeleted: 0 });
    expect(await partitions(table)).toEqual(['20261101']);
    expect(await partitions(other)).toEqual(['20261001', '20261002', '20261101']);
    // Batch keys go by month, once the whole month has ended before the cutoff.
    expect(await partitions(BOOKKEEPING.batches)).toEqual(['202610', '202611']);
    expect(await a.applyRetention({ events: [], batchKeysBeforeDay: '2026-11-01' })).toEqual({ deletedByEvent: {}, batchKeysDeleted: 12 });
    expect(await partitions(BOOKKEEPING.batches)).toEqual(['202611']);
  });

  it('never overdraws a budget when collectors spend at the same moment', async () => {
    database = freshDatabase();
    const [a, b] = await twoCollectors(database);
    stores = [a, b];
    const spends = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).spendBudget({ dataset: 'playback.session', day: DAY, epsilon: 0.1, limit: 1 })));
    const granted = spends.filter((s) => s.granted).length;
    expect(granted).toBeGreaterThan(0);
    expect(granted).toBeLessThanOrEqual(10);
    const after = await a.spendBudget({ dataset: 'playback.session', day: DAY, epsilon: 0, limit: 1 });
    expect(after.spent).toBeCloseTo(granted * 0.1, 9);
  });

  it('answers StoreUnavailableError while a shard is down, serves the other shard, and recovers without losing anything', async () => {
    database = freshDatabase();
    const [a] = await twoCollectors(database);
    stores = [a];
    const onShard = (i: number): string => {
      for (;;) {
        const p = hex(32);
        if (a.shardOf(p) === i) return p;
      }
    };
    const stored = batchOf(onShard(1), DAY, [playback(DAY)]);
    await a.append(stored);
    await cluster().kill(1);
    // A collector started while a shard is down answers 503 until the shard is back.
    const late = createClickHouseStore({ urls: cluster().urls, database: freshDatabase(), cluster: cluster().cluster, now: () => T0, reopenIntervalMs: 0 });
    stores.push(late);
    await expect(late.open(CONTRACT_SCHEMA)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(late.append(batchOf(onShard(0), DAY, [playback(DAY)]))).rejects.toBeInstanceOf(StoreUnavailableError);
    try {
      await expect(a.append(batchOf(onShard(1), DAY, [playback(DAY)]))).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(await a.append(batchOf(onShard(0), DAY, [playback(DAY)]))).toMatchObject({ accepted: 1 });
      await expect(a.queryAggregates({ event: 'playback.session', groupBy: [], from: DAY, to: DAY, granularity: 'day' })).rejects.toBeInstanceOf(StoreUnavailableError);
      expect((await a.health()).ok).toBe(false);
    } finally {
      await cluster().restart(1);
    }
    expect((await a.health()).ok).toBe(true);
    expect(await late.append(batchOf(onShard(1), DAY, [playback(DAY)]))).toMatchObject({ accepted: 1 });
    await dropDatabase(cluster().urls, late.database);
    expect(await a.append(stored)).toMatchObject({ duplicate: true, accepted: 1 });
    expect(await a.queryAggregates({ event: 'playback.session', groupBy: [], from: DAY, to: DAY, granularity: 'day' })).toEqual([{ period: DAY, values: [], events: 2, installs: 2, peakInstalls: 2 }]);
  });
});
