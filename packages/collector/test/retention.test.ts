import { mediaServerCatalog } from '@candor/catalog/media-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCatalogRegistry } from '../src/catalogs/catalog-registry.js';
import { createPeriodicTask } from '../src/ops/periodic-task.js';
import { retentionRequest } from '../src/ops/retention.js';
import { createDuckDbStore } from '../src/storage/duckdb/duckdb-store.js';
import { batchOf, hex, playback } from './storage-contract.js';

const DAY = 86_400_000;
const registry = createCatalogRegistry(mediaServerCatalog);
let dir: string;

afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe('retention job', () => {
  it('deletes each event once past its retention, on schedule, driven by a fake clock', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    dir = mkdtempSync(join(tmpdir(), 'candor-retention-'));
    let now = Date.UTC(2026, 0, 10, 12);
    const day0 = new Date(now).toISOString().slice(0, 10);
    const store = createDuckDbStore({ path: join(dir, 'r.duckdb'), now: () => now });
    await store.open(registry.schema);
    const p = hex(32);
    const crash = { event: 'crash.report', day: day0, maxPerPeriod: 20, fields: { serverVersion: '10.9', platform: 'linux', errorType: 'TypeError', message: 'x', stack: 'y', count: '1' } };
    const key = hex(16);
    await store.append(batchOf(p, day0, [playback(day0), crash], key));
    const runs: number[] = [];
    const task = createPeriodicTask({
      intervalMs: 3_600_000,
      run: async () => {
        runs.push(now);
        await store.applyRetention(retentionRequest(registry, now, 31));
      },
      onError: (error) => {
        throw error;
      },
    });
    const held = async () => (await store.exportSubjects({ pseudonyms: [p] })).map((e) => e.event).sort();

    task.start();
    await task.runOnce();
    expect(await held()).toEqual(['crash.report', 'playback.session']);
    expect(runs).toHaveLength(1);

    // An hour later nothing is due; 91 days later the crash report (90 days) is.
    now += 3_600_000;
    await vi.advanceTimersByTimeAsync(3_600_000);
    await task.runOnce();
    expect(runs).toHaveLength(2);
    expect(await store.lookupBatch(key)).toEqual({ accepted: 2, bounded: 0 });
    now += 91 * DAY;
    await vi.advanceTimersByTimeAsync(3_600_000);
    await task.runOnce();
    expect(runs).toHaveLength(3);
    expect(await held()).toEqual(['playback.session']);
    // The batch key is forgotten once its period is too old to be accepted.
    expect(await store.lookupBatch(key)).toBeNull();
    now += 310 * DAY;
    await vi.advanceTimersByTimeAsync(3_600_000);
    await task.runOnce();
    expect(await held()).toEqual([]);
    await task.stop();
    const count = runs.length;
    await vi.advanceTimersByTimeAsync(10 * 3_600_000);
    expect(runs).toHaveLength(count);
    await store.close();
  });

  it('computes cutoffs from the newest declaration of each event', () => {
    const now = Date.UTC(2026, 5, 1);
    const request = retentionRequest(registry, now, 31);
    const byEvent = new Map(request.events.map((e) => [e.event, e.beforeDay]));
    expect(byEvent.get('crash.report')).toBe('2026-03-03');
    expect(byEvent.get('marketing.preference')).toBe('2024-06-01');
    expect(request.batchKeysBeforeDay).toBe('2026-04-30');
  });
});
