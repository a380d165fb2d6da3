import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rejection } from '../generalizer.js';
import { round } from './round.js';

describe('round', () => {
  it('rounds to the nearest step', () => {
    const g = round({ step: 10, max: 1000 });
    expect([0, 4, 5, 44, 47, 995, 1000].map((v) => g.apply(v))).toEqual([0, 0, 10, 40, 50, 1000, 1000]);
    expect(g.schema).toEqual({ type: 'number', minimum: 0, maximum: 1000, multipleOf: 10 });
  });

  it('gives clean decimals for fractional steps', () => {
    const g = round({ step: 0.1, max: 1 });
    expect(g.apply(0.3)).toBe(0.3);
    expect(g.apply(0.29)).toBe(0.3);
    expect(g.apply(0.7)).toBe(0.7);
    expect(g.outputs).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(g.accepts(0.3)).toBe(true);
    expect(g.accepts(0.1 + 0.2)).toBe(false);
    expect(g.accepts(0.35)).toBe(false);
  });

  it('only outputs values its check accepts', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1000, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), (step, raw) => {
        const g = round({ step, max: 1e6 });
        const out = g.apply(raw);
        expect(out).not.toBeInstanceOf(Rejection);
        expect(g.accepts(out)).toBe(true);
      }),
    );
  });

  it('rejects out-of-range and non-finite numbers', () => {
    const g = round({ step: 5, min: 0, max: 100 });
    for (const [v, reason] of [[-1, 'out_of_range'], [101, 'out_of_range'], [Number.NaN, 'not_finite'], [Number.NEGATIVE_INFINITY, 'not_finite'], ['5', 'wrong_type']] as const) {
      expect(g.apply(v)).toMatchObject({ reason });
    }
  });

  it('names an unusable step', () => {
    expect(round({ step: 0 }).problems).toEqual([expect.stringContaining('positive finite')]);
    expect(round({ step: -1 }).problems).toEqual([expect.stringContaining('positive finite')]);
    expect(round({ step: 1, min: 10, max: 5 }).problems).toEqual([expect.stringContaining('min must not exceed max')]);
  });
});
