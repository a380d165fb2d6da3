import { mediaServerCatalog } from '@candor/catalog/media-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogRegistry } from '../src/catalogs/catalog-registry.js';
import { createBatchValidator } from '../src/ingest/validate-batch.js';
import { createFleet } from '../src/load/fleet.js';
import { formatLoadReport, fleetBatches, runLoad } from '../src/load/run-load.js';
import { createTestCollector, dayAt, type TestCollector } from './support/harness.js';

const NOW = Date.now();

describe('fleet simulator', () => {
  it('sends valid batches within the per-period bounds, with unique batch keys and realistic mixes', () => {
    const registry = createCatalogRegistry(mediaServerCatalog);
    const validate = createBatchValidator(registry, { maxEventsPerBatch: 1000, maxPeriodAgeDays: 31, clockSkewMs: 3_600_000 });
    const keys = new Set<string>();
    const perPeriod = new Map<string, number>();
    const devices = new Map<string, number>();
    let events = 0;
    for (const batch of createFleet({ installs: 300, days: 5, seed: 3, now: NOW }).batches()) {
      const appended = validate(batch, NOW);
      expect(keys.has(batch.batchKey)).toBe(false);
      keys.add(batch.batchKey);
      for (const e of appended.events) {
        const key = `${batch.pseudonym}|${batch.period}|${e.event}`;
        const n = (perPeriod.get(key) ?? 0) + 1;
        perPeriod.set(key, n);
        expect(n).toBeLessThanOrEqual(e.maxPerPeriod);
        events++;
        if (e.event === 'client.session') devices.set(String(e.fields.deviceType), (devices.get(String(e.fields.deviceType)) ?? 0) + 1);
      }
    }
    expect(events).toBeGreaterThan(3000);
    expect(devices.size).toBeGreaterThanOrEqual(6);
    // The same seed gives the same fleet (batch keys aside).
    const a = [...createFleet({ installs: 20, days: 1, seed: 9, now: NOW }).batches()].map((b) => [b.pseudonym, b.events]);
    const b = [...createFleet({ installs: 20, days: 1, seed: 9, now: NOW }).batches()].map((b) => [b.pseudonym, b.events]);
    expect(a).toEqual(b);
  });
});

describe('runLoad', () => {
  let c: TestCollector;
  let url: string;
  beforeAll(async () => {
    c = await createTestCollector({ now: () => NOW });
    url = await c.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await c.close();
  });

  it('reports accepted events per second and latency percentiles that match what was stored', async () => {
    const report = await runLoad({ target: url, batches: fleetBatches({ installs: 150, days: 2, seed: 5, now: NOW }), durationSeconds: 30, concurrency: 8 });
    expect(report.exhausted).toBe(true);
    expect(report.failures).toEqual({});
    expect(report.acceptedEvents).toBe(report.sentEvents);
    expect(report.acceptedEventsPerSecond).toBeGreaterThan(0);
    expect(report.latencyMs.p50).toBeLessThanOrEqual(report.latencyMs.p99);
    let stored = 0;
    for (const e of createCatalogRegistry(mediaServerCatalog).schema.events) {
      const cells = await c.store.queryAggregates({ event: e.name, groupBy: [], from: dayAt(NOW - 86_400_000), to: dayAt(NOW), granularity: 'month' });
      stored += cells.reduce((s, x) => s + x.events, 0);
    }
    expect(stored).toBe(report.acceptedEvents);
    expect(formatLoadReport(report)).toMatch(/accepted events\/s[\s\S]*p99/);
  });
});
