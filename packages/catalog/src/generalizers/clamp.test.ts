import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rejection } from '../generalizer.js';
import { clamp } from './clamp.js';

describe('clamp', () => {
  it('collapses extremes onto the bounds', () => {
    const g = clamp({ min: 0, max: 16 });
    expect([-3, 0, 3.4, 3.6, 16, 40, 1e300].map((v) => g.apply(v))).toEqual([0, 0, 3, 4, 16, 16, 16]);
    expect(g.outputs).toHaveLength(17);
  });

  it('counts steps from min and never exceeds max', () => {
    const g = clamp({ min: 1, max: 10, step: 2 });
    expect(g.outputs).toEqual([1, 3, 5, 7, 9]);
    expect([0, 4, 6.1, 10, 100].map((v) => g.apply(v))).toEqual([1, 5, 7, 9, 9]);
    expect(g.accepts(4)).toBe(false);
    expect(g.accepts(10)).toBe(false);
    expect(g.accepts(9)).toBe(true);
  });

  it('only outputs values its check accepts', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 100 }), fc.integer({ min: 1, max: 300 }), fc.constantFrom(1, 0.5, 0.25, 3), fc.double({ noNaN: true, noDefaultInfinity: true }), (min, span, step, raw) => {
        const g = clamp({ min, max: min + span, step });
        const out = g.apply(raw);
        expect(out).not.toBeInstanceOf(Rejection);
        expect(g.accepts(out)).toBe(true);
        if (g.outputs) expect(g.outputs).toContain(out);
      }),
    );
  });

  it('rejects non-numbers and non-finite numbers', () => {
    const g = clamp({ min: 0, max: 1 });
    expect(g.apply(Number.POSITIVE_INFINITY)).toMatchObject({ reason: 'not_finite' });
    expect(g.apply(Number.NaN)).toMatchObject({ reason: 'not_finite' });
    expect(g.apply('1')).toMatchObject({ reason: 'wrong_type' });
  });

  it('names bounds in the wrong order and a bad step', () => {
    expect(clamp({ min: 5, max: 5 }).problems).toEqual([expect.stringContaining('min must be less than max')]);
    expect(clamp({ min: 0, max: 5, step: 0 }).problems).toEqual([expect.stringContaining('step must be positive')]);
  });
});
