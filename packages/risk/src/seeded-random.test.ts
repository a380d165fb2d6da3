import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './seeded-random.js';

describe('createSeededRandom', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const take = (seed: number): number[] => {
      const r = createSeededRandom(seed);
      return Array.from({ length: 5 }, () => r());
    };
    expect(take(1)).toEqual(take(1));
    expect(take(1)).not.toEqual(take(2));
  });

  it('draws uniformly from [0, 1)', () => {
    const r = createSeededRandom(42);
    const bins = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = r();
      if (u < 0 || u >= 1) outside++;
      else bins[Math.floor(u * 10)]!++;
    }
    expect(outside).toBe(0);
    // Each bin expects 10,000; 5 standard deviations is ±474.
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(474);
  });
});
