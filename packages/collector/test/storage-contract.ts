import { randomBytes } from 'node:crypto';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { periodOf, type WireValue } from '@candor/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCatalogRegistry } from '../src/catalogs/catalog-registry.js';
import { compareCells } from '../src/storage/compare-cells.js';
import type { AggregateCell, AggregateQuery, AppendBatch, AppendEvent, CollectorStore, Granularity, StoreSchema } from '../src/storage/contract.js';

/** A store under test, and how to reach the same data again after closing it. */
export interface StoreHarness {
  readonly store: CollectorStore;
  /** Closes the store and opens a new one on the same data (same clock). */
  reopen(): Promise<CollectorStore>;
  /** Closes whatever is open and removes the data. */
  dispose(): Promise<void>;
}

/**
 * A harness over a store that `open` opens (on the same data every time) and `removeData`
 * removes once the store is closed.
 */
export async function reopeningHarness<S extends CollectorStore>(open: () => Promise<S>, removeData: () => Promise<void> | void): Promise<StoreHarness & { readonly store: S }> {
  let current = await open();
  return {
    get store() {
      return current;
    },
    async reopen() {
      await current.close();
      current = await open();
      return current;
    },
    async dispose() {
      await current.close();
      await removeData();
    },
  };
}

/** Builds a harness; `now` is the clock the store must use. */
export type CreateStoreHarness = (options: { readonly now: () => number }) => Promise<StoreHarness>;

const DAY_MS = 86_400_000;
const registry = createCatalogRegistry(mediaServerCatalog);
/** The schema every adapter is tested with: the default catalog's. */
export const CONTRACT_SCHEMA: StoreSchema = registry.schema;

/** A random pseudonym or batch key of `bytes` bytes, lower-case hex. */
export function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

const DEVICE = ['tv', 'mobile', 'tablet', 'desktop', 'web'];
const CONTAINER = ['mkv', 'mp4', 'flac', 'mp3'];
const MEDIA = ['movie', 'episode', 'track'];
const PLATFORM = ['web', 'android', 'ios', 'roku'];

/** A deterministic pseudo-random generator (mulberry32), so that failures reproduce. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

/** A playback.session event with the given values. */
export function playback(day: string, values: { deviceType?: string; container?: string; mediaType?: string; hdr?: boolean } = {}): AppendEvent {
  return {
    event: 'playback.session',
    day,
    maxPerPeriod: 3,
    fields: {
      mediaType: values.mediaType ?? 'movie',
      duration: '45–75 min',
      played: '30–60 min',
      bitrate: null,
      container: values.container ?? 'mkv',
      videoCodec: 'h264',
      audioCodec: 'aac',
      resolution: '1080p',
      deviceType: values.deviceType ?? 'tv',
      decision: 'directplay',
      hdr: values.hdr ?? false,
    },
  };
}

/** A client.session event. */
export function clientSession(day: string, deviceType: string, clientPlatform: string): AppendEvent {
  return { event: 'client.session', day, maxPerPeriod: 50, fields: { deviceType, clientPlatform, clientVersion: '10.9' } };
}

/** A batch of one pseudonym for a day period. */
export function batchOf(pseudonym: string, day: string, events: readonly AppendEvent[], batchKey = hex(16)): AppendBatch {
  return { batchKey, pseudonym, period: day, catalogVersion: '1.0.0', events };
}

interface KeptRow {
  readonly event: string;
  readonly day: string;
  readonly pseudonym: string;
  readonly fields: Readonly<Record<string, WireValue>>;
}

/** The truth: applies bounding and duplicates in arrival order, as the contract demands. */
class Reference {
  readonly rows: KeptRow[] = [];
  readonly #keys = new Set<string>();
  readonly #counts = new Map<string, number>();

  add(batch: AppendBatch): { accepted: number; bounded: number; duplicate: boolean } {
    if (this.#keys.has(batch.batchKey)) return { accepted: -1, bounded: -1, duplicate: true };
    this.#keys.add(batch.batchKey);
    let accepted = 0;
    let bounded = 0;
    for (const e of batch.events) {
      const key = `${batch.pseudonym}|${batch.period}|${e.event}`;
      const n = this.#counts.get(key) ?? 0;
      if (n >= e.maxPerPeriod) {
        bounded++;
        continue;
      }
      this.#counts.set(key, n + 1);
      this.rows.push({ event: e.event, day: e.day, pseudonym: batch.pseudonym, fields: e.fields });
      accepted++;
    }
    return { accepted, bounded, duplicate: false };
  }

  remove(pseudonyms: readonly string[], events?: readonly string[]): void {
    const p = new Set(pseudonyms);
    const ev = events === undefined ? undefined : new Set(events);
    for (let i = this.rows.length - 1; i >= 0; i--) {
      const r = this.rows[i]!;
      if (p.has(r.pseudonym) && (ev === undefined || ev.has(r.event))) this.rows.splice(i, 1);
    }
    for (const key of [...this.#counts.keys()]) {
      const [ps, , e] = key.split('|');
      if (p.has(ps!) && (ev === undefined || ev.has(e!))) this.#counts.delete(key);
    }
  }

  aggregate(q: AggregateQuery): AggregateCell[] {
    // Daily linkage: a row's linkage period is its day; installs count (pseudonym, period) pairs.
    const cells = new Map<string, { period: string; values: WireValue[]; events: number; installs: Map<string, Set<string>> }>();
    for (const r of this.rows) {
      if (r.event !== q.event || r.day < q.from || r.day > q.to) continue;
      const period = periodOf(Date.parse(`${r.day}T00:00:00Z`), q.granularity);
      const values = q.groupBy.map((f) => r.fields[f] ?? null);
      const key = JSON.stringify([period, values]);
      const cell = cells.get(key) ?? { period, values, events: 0, installs: new Map<string, Set<string>>() };
      cell.events++;
      const perDay = cell.installs.get(r.day) ?? new Set<string>();
      perDay.add(r.pseudonym);
      cell.installs.set(r.day, perDay);
      cells.set(key, cell);
    }
    return [...cells.values()]
      .map((c) => {
        const sizes = [...c.installs.values()].map((s) => s.size);
        return { period: c.period, values: c.values, events: c.events, installs: sizes.reduce((a, b) => a + b, 0), peakInstalls: Math.max(...sizes) };
      })
      .sort(compareCells);
  }
}

function dayAt(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The storage contract suite: every adapter runs exactly these tests.
 * @example describeStorageContract('duckdb', async ({ now }) => createDuckDbHarness(now))
 */
export function describeStorageContract(name: string, createHarness: CreateStoreHarness): void {
  describe(`storage contract: ${name}`, () => {
    const T0 = Date.UTC(2026, 10, 20, 12);
    let nowMs = T0;
    let harness: StoreHarness;
    let store: CollectorStore;
    const today = (): string => dayAt(nowMs);
    const daysAgo = (n: number): string => dayAt(nowMs - n * DAY_MS);

    beforeEach(async () => {
      nowMs = T0;
      harness = await createHarness({ now: () => nowMs });
      store = harness.store;
    });

    afterEach(async () => {
      await harness.dispose();
    });

    it('stores a batch and answers what it kept', async () => {
      const p = hex(32);
      const result = await store.append(batchOf(p, today(), [playback(today()), clientSession(today(), 'tv', 'roku')]));
      expect(result).toMatchObject({ accepted: 2, bounded: 0, duplicate: false });
      expect(result.byEvent['playback.session']).toEqual({ accepted: 1, bounded: 0 });
      const cells = await store.queryAggregates({ event: 'client.session', groupBy: ['deviceType'], from: today(), to: today(), granularity: 'day' });
      expect(cells).toEqual([{ period: today(), values: ['tv'], events: 1, installs: 1, peakInstalls: 1 }]);
    });

    it('answers a repeated batch key with the first answer and stores nothing', async () => {
      const p = hex(32);
      const b = batchOf(p, today(), [playback(today()), playback(today(), { deviceType: 'web' })]);
      const first = await store.append(b);
      const again = await store.append({ ...b, events: [playback(today())] });
      expect(again).toMatchObject({ accepted: first.accepted, bounded: first.bounded, duplicate: true });
      expect(await store.lookupBatch(b.batchKey)).toEqual({ accepted: 2, bounded: 0 });
      const cells = await store.queryAggregates({ event: 'playback.session', groupBy: [], from: today(), to: today(), granularity: 'day' });
      expect(cells).toEqual([{ period: today(), values: [], events: 2, installs: 1, peakInstalls: 1 }]);
      store = await harness.reopen();
      expect(await store.append(b)).toMatchObject({ accepted: 2, bounded: 0, duplicate: true });
    });

    it('keeps at most maxPerPeriod events per pseudonym, period and event, across batches and restarts', async () => {
      const p = hex(32);
      const five = Array.from({ length: 5 }, () => playback(today()));
      expect(await store.append(batchOf(p, today(), five))).toMatchObject({ accepted: 3, bounded: 2 });
      expect(await store.append(batchOf(p, today(), [playback(today())]))).toMatchObject({ accepted: 0, bounded: 1 });
      store = await harness.reopen();
      expect(await store.append(batchOf(p, today(), [playback(today()), clientSession(today(), 'tv', 'web')]))).toMatchObject({ accepted: 1, bounded: 1 });
      // Another pseudonym, or another period, has its own bound.
      expect(await store.append(batchOf(hex(32), today(), [playback(today())]))).toMatchObject({ accepted: 1, bounded: 0 });
      expect(await store.append(batchOf(p, daysAgo(1), [playback(daysAgo(1))]))).toMatchObject({ accepted: 1, bounded: 0 });
    });

    it('bounds late batches for old periods after a restart too', async () => {
      const p = hex(32);
      const old = daysAgo(20);
      expect(await store.append(batchOf(p, old, [playback(old), playback(old)]))).toMatchObject({ accepted: 2 });
      store = await harness.reopen();
      expect(await store.append(batchOf(p, old, [playback(old), playback(old)]))).toMatchObject({ accepted: 1, bounded: 1 });
    });

    it('commits concurrent appends without losing or doubling any', async () => {
      const ref = new Reference();
      const batches = Array.from({ length: 120 }, (_, i) => batchOf(hex(32), today(), [playback(today(), { deviceType: DEVICE[i % 5]! }), clientSession(today(), DEVICE[i % 3]!, 'web')]));
      const results = await Promise.all(batches.map((b) => store.append(b)));
      for (const b of batches) ref.add(b);
      expect(results.reduce((s, r) => s + r.accepted, 0)).toBe(240);
      const q: AggregateQuery = { event: 'playback.session', groupBy: ['deviceType'], from: today(), to: today(), granularity: 'day' };
      expect(await store.queryAggregates(q)).toEqual(ref.aggregate(q));
    });

    it('counts events and distinct pseudonyms per cell exactly, for any grouping and granularity, before and after maintenance', async () => {
      const random = seeded(7);
      const ref = new Reference();
      const pseudonyms = Array.from({ length: 40 }, () => hex(32));
      for (let d = 30; d >= 0; d--) {
        const day = daysAgo(d);
        const pending: Promise<void>[] = [];
        for (const p of pseudonyms) {
          if (random() < 0.5) continue;
          const events: AppendEvent[] = [];
          const n = 1 + Math.floor(random() * 5);
          for (let i = 0; i < n; i++) {
            events.push(playback(day, { deviceType: pick(random, DEVICE), container: pick(random, CONTAINER), mediaType: pick(random, MEDIA), hdr: random() < 0.3 }));
            if (random() < 0.5) events.push(clientSession(day, pick(random, DEVICE), pick(random, PLATFORM)));
          }
          const b = batchOf(p, day, events);
          const expected = ref.add(b);
          pending.push(store.append(b).then((r) => void expect(r).toMatchObject(expected)));
        }
        await Promise.all(pending);
      }
      const groupings: string[][] = [[], ['deviceType'], ['container', 'deviceType'], ['deviceType', 'container'], ['hdr', 'mediaType'], ['deviceType', 'container', 'mediaType']];
      const ranges: [string, string][] = [
        [daysAgo(30), today()],
        [daysAgo(13), daysAgo(2)],
      ];
      const check = async (): Promise<void> => {
        for (const groupBy of groupings) {
          for (const granularity of ['day', 'week', 'month'] as Granularity[]) {
            for (const [from, to] of ranges) {
              const q: AggregateQuery = { event: 'playback.session', groupBy, from, to, granularity };
              expect(await store.queryAggregates(q), JSON.stringify(q)).toEqual(ref.aggregate(q));
            }
          }
        }
        const q: AggregateQuery = { event: 'client.session', groupBy: ['deviceType', 'clientPlatform'], from: daysAgo(30), to: today(), granularity: 'week' };
        expect(await store.queryAggregates(q)).toEqual(ref.aggregate(q));
      };
      await check();
      nowMs += 60 * 60_000;
      await store.maintain();
      await check();
      // A late batch for a day that is rolled up already must show at once.
      const late = batchOf(hex(32), daysAgo(5), [playback(daysAgo(5), { deviceType: 'web', container: 'mp4' })]);
      ref.add(late);
      await store.append(late);
      await check();
      store = await harness.reopen();
      await check();
    });

    it('deletes subjects for every later query and export, optionally by event', async () => {
      const a = hex(32);
      const b = hex(32);
      const ref = new Reference();
      for (const [p, d] of [
        [a, daysAgo(3)],
        [a, daysAgo(2)],
        [b, daysAgo(2)],
      ] as const) {
        const batch = batchOf(p, d, [playback(d), clientSession(d, 'tv', 'web')]);
        ref.add(batch);
        await store.append(batch);
      }
      nowMs += 60 * 60_000;
      await store.maintain();
      expect(await store.deleteSubjects({ pseudonyms: [a], events: ['playback.session'] })).toBe(2);
      ref.remove([a], ['playback.session']);
      const q: AggregateQuery = { event: 'playback.session', groupBy: [], from: daysAgo(5), to: today(), granularity: 'day' };
      expect(await store.queryAggregates(q)).toEqual(ref.aggregate(q));
      const exported = await store.exportSubjects({ pseudonyms: [a] });
      expect(exported.map((e) => e.event)).toEqual(['client.session', 'client.session']);
      expect(await store.deleteSubjects({ pseudonyms: [a, b] })).toBe(4);
      ref.remove([a, b]);
      store = await harness.reopen();
      await store.maintain();
      expect(await store.exportSubjects({ pseudonyms: [a, b] })).toEqual([]);
      for (const event of ['playback.session', 'client.session']) {
        const all: AggregateQuery = { event, groupBy: ['deviceType'], from: daysAgo(5), to: today(), granularity: 'week' };
        expect(await store.queryAggregates(all)).toEqual(ref.aggregate(all));
      }
      // A deleted pseudonym that reports again (consent given back) starts with a fresh bound.
      expect(await store.append(batchOf(a, daysAgo(2), [playback(daysAgo(2)), playback(daysAgo(2)), playback(daysAgo(2))]))).toMatchObject({ accepted: 3 });
    });

    it('exports what it holds of some pseudonyms, oldest first', async () => {
      const p = hex(32);
      await store.append(batchOf(p, daysAgo(1), [playback(daysAgo(1), { deviceType: 'web' })]));
      await store.append(batchOf(p, daysAgo(4), [clientSession(daysAgo(4), 'mobile', 'ios')]));
      await store.append(batchOf(hex(32), daysAgo(1), [playback(daysAgo(1))]));
      const out = await store.exportSubjects({ pseudonyms: [p] });
      expect(out).toHaveLength(2);
      expect(out[0]).toEqual({ event: 'client.session', day: daysAgo(4), pseudonym: p, period: daysAgo(4), catalogVersion: '1.0.0', fields: { deviceType: 'mobile', clientPlatform: 'ios', clientVersion: '10.9' } });
      expect(out[1]!.fields).toMatchObject({ deviceType: 'web', bitrate: null, hdr: false });
      expect(await store.exportSubjects({ pseudonyms: [p], events: ['crash.report'] })).toEqual([]);
    });

    it('applies retention per event and forgets old batch keys', async () => {
      const p = hex(32);
      const oldKey = hex(16);
      await store.append(batchOf(p, daysAgo(100), [playback(daysAgo(100)), clientSession(daysAgo(100), 'tv', 'web')], oldKey));
      await store.append(batchOf(p, daysAgo(10), [playback(daysAgo(10)), clientSession(daysAgo(10), 'tv', 'web')]));
      const result = await store.applyRetention({ events: [{ event: 'playback.session', beforeDay: daysAgo(50) }], batchKeysBeforeDay: daysAgo(50) });
      expect(result.deletedByEvent['playback.session']).toBe(1);
      expect(result.batchKeysDeleted).toBe(1);
      expect(await store.lookupBatch(oldKey)).toBeNull();
      const kept = await store.exportSubjects({ pseudonyms: [p] });
      expect(kept.map((e) => `${e.event}@${e.day}`).sort()).toEqual([`client.session@${daysAgo(100)}`, `client.session@${daysAgo(10)}`, `playback.session@${daysAgo(10)}`].sort());
    });

    it('spends a differential-privacy budget per dataset and day, and refuses beyond it, durably', async () => {
      expect(await store.spendBudget({ dataset: 'playback.session', day: today(), epsilon: 0.5, limit: 1 })).toEqual({ granted: true, spent: 0.5 });
      expect(await store.spendBudget({ dataset: 'playback.session', day: today(), epsilon: 0.5, limit: 1 })).toEqual({ granted: true, spent: 1 });
      store = await harness.reopen();
      expect(await store.spendBudget({ dataset: 'playback.session', day: today(), epsilon: 0.1, limit: 1 })).toEqual({ granted: false, spent: 1 });
      expect((await store.spendBudget({ dataset: 'client.session', day: today(), epsilon: 0.1, limit: 1 })).granted).toBe(true);
      expect((await store.spendBudget({ dataset: 'playback.session', day: daysAgo(-1), epsilon: 0.1, limit: 1 })).granted).toBe(true);
    });

    it('reports health', async () => {
      expect((await store.health()).ok).toBe(true);
    });
  });
}
