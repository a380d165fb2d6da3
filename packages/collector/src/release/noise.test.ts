import { describe, expect, it } from 'vitest';
import { noisyCount, secureUniform } from './noise.js';

describe('noise', () => {
  it('draws uniform doubles strictly inside (0, 1)', () => {
    for (let i = 0; i < 10_000; i++) {
      const u = secureUniform();
      expect(u > 0 && u < 1).toBe(true);
    }
  });

  it('adds no noise at the median draw, and only non-negative integers come out', () => {
    expect(noisyCount(42, 1, 3, 'laplace', () => 0.5)).toBe(42);
    expect(noisyCount(42, 1, 3, 'geometric', () => 0.5)).toBe(42);
    for (let i = 0; i < 1000; i++) {
      const v = noisyCount(0, 0.1, 10, i % 2 === 0 ? 'laplace' : 'geometric');
      expect(Number.isInteger(v) && v >= 0).toBe(true);
    }
  });

  it('spreads as the mechanism says: mean absolute deviation about Δ/ε', () => {
    for (const mechanism of ['laplace', 'geometric'] as const) {
      let sum = 0;
      const n = 20_000;
      for (let i = 0; i < n; i++) sum += Math.abs(noisyCount(10_000, 0.5, 2, mechanism) - 10_000);
      // Laplace(b) has E|X| = b = Δ/ε = 4; the two-sided geometric is close to it.
      expect(sum / n).toBeGreaterThan(3);
      expect(sum / n).toBeLessThan(5);
    }
  });

  it('refuses a non-positive epsilon or sensitivity', () => {
    expect(() => noisyCount(1, 0, 1, 'laplace')).toThrow(RangeError);
    expect(() => noisyCount(1, 1, 0, 'geometric')).toThrow(RangeError);
  });
});
