import { compileCatalog } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../util/seeded-random.js';
import { releaseSampledPeriod } from './release-sampled-period.js';
import { createReservoir, offerToReservoir } from './reservoir.js';

describe('reservoir sampling', () => {
  it('keeps every subset of 3 out of 7 equally likely, as the whole-period sample would', () => {
    const random = createSeededRandom(42);
    const runs = 70_000;
    const counts = new Map<string, number>();
    for (let r = 0; r < runs; r++) {
      const res = createReservoir<number>(3);
      for (let i = 0; i < 7; i++) offerToReservoir(res, i, random);
      const key = [...res.items].sort().join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    // C(7,3) = 35 subsets, 2,000 each expected; a chi-square test at 34 degrees of freedom.
    expect(counts.size).toBe(35);
    const expected = runs / 35;
    const chi2 = [...counts.values()].reduce((s, n) => s + (n - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(65); // p ≈ 0.001
  });

  it('never lets the position in the period bias which report is kept', () => {
    const random = createSeededRandom(7);
    const kept = new Array<number>(20).fill(0);
    for (let r = 0; r < 20_000; r++) {
      const res = createReservoir<number>(3);
      for (let i = 0; i < 20; i++) offerToReservoir(res, i, random);
      for (const i of res.items) kept[i]!++;
    }
    // Each of the 20 is kept with probability 3/20: 3,000 times of 20,000.
    for (const n of kept) expect(Math.abs(n - 3000)).toBeLessThan(250);
  });

  it('holds at most max items however many are offered', () => {
    const res = createReservoir<number>(3);
    const random = createSeededRandom(1);
    for (let i = 0; i < 10_000; i++) offerToReservoir(res, i, random);
    expect(res.items).toHaveLength(3);
    expect(res.count).toBe(10_000);
  });
});

describe('releaseSampledPeriod', () => {
  const catalog = compileCatalog(mediaServerCatalog);
  it('turns a period of playback reports into at most maxPerPeriod of them and the count event', () => {
    const reports = Array.from({ length: 12 }, (_, i) => ({ n: i }));
    const r = releaseSampledPeriod(catalog, 'playback.session', reports, createSeededRandom(3));
    expect(r.sample).toHaveLength(mediaServerCatalog.events['playback.session'].maxPerPeriod);
    for (const s of r.sample) expect(reports).toContain(s);
    expect(r.count).toBe(12);
    expect(r.countEvent).toEqual({ name: 'playback.daily', fields: { plays: mediaServerCatalog.events['playback.daily'].fields.plays.generalize.apply(12) } });
  });
  it('sends everything and the count when there were fewer reports than the bound, and nothing for none', () => {
    const two = releaseSampledPeriod(catalog, 'playback.session', ['a', 'b'], createSeededRandom(3));
    expect([...two.sample].sort()).toEqual(['a', 'b']);
    expect(two.countEvent?.fields.plays).toBe(mediaServerCatalog.events['playback.daily'].fields.plays.generalize.apply(2));
    expect(releaseSampledPeriod(catalog, 'playback.session', [], createSeededRandom(3))).toEqual({ sample: [], count: 0, countEvent: null });
  });
});
