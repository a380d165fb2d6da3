import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rejection } from '../generalizer.js';
import { buckets, edgeProblems, labelsFor } from './buckets.js';

describe('buckets', () => {
  const g = buckets({ edges: [300, 900], unit: 'seconds', max: 86_400 });

  it('reports the label of the bucket; an edge belongs to the bucket above it', () => {
    expect(g.apply(0)).toBe('under 5 min');
    expect(g.apply(120)).toBe('under 5 min');
    expect(g.apply(299.999)).toBe('under 5 min');
    expect(g.apply(300)).toBe('5 min–15 min');
    expect(g.apply(899)).toBe('5 min–15 min');
    expect(g.apply(900)).toBe('15 min or more');
    expect(g.apply(86_400)).toBe('15 min or more');
  });

  it('uses declared labels', () => {
    const sized = buckets({ edges: [1, 10], labels: ['none', 'a few', 'many'] });
    expect([0, 1, 9, 10, 1e6].map((v) => sized.apply(v))).toEqual(['none', 'a few', 'a few', 'many', 'many']);
    expect(sized.outputs).toEqual(['none', 'a few', 'many']);
    expect(sized.schema).toEqual({ type: 'string', enum: ['none', 'a few', 'many'] });
  });

  it('rejects what is not a plausible number, never passing it on', () => {
    const reasons = [-1, 86_401, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '120', null, undefined, {}, [120], 10n].map((v) => {
      const r = g.apply(v);
      return r instanceof Rejection ? r.reason : r;
    });
    expect(reasons).toEqual(['out_of_range', 'out_of_range', 'not_finite', 'not_finite', 'not_finite', 'wrong_type', 'wrong_type', 'wrong_type', 'wrong_type', 'wrong_type', 'wrong_type']);
  });

  it('is monotonic: a larger value never lands in a lower bucket', () => {
    const edges = [1, 5, 25, 125];
    const b = buckets({ edges, max: 1000 });
    const index = (v: number) => b.outputs!.indexOf(b.apply(v) as string);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 0, max: 1000, noNaN: true }), (x, y) => {
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        expect(index(lo)).toBeLessThanOrEqual(index(hi));
      }),
    );
  });

  it('accepts exactly its labels on the wire', () => {
    for (const label of g.outputs!) expect(g.accepts(label)).toBe(true);
    for (const v of ['5 min', 300, null, 'under 5 minutes', '']) expect(g.accepts(v)).toBe(false);
  });

  it('names edges that do not increase, and label mismatches', () => {
    expect(buckets({ edges: [10, 5] }).problems).toEqual([expect.stringContaining('must increase')]);
    expect(buckets({ edges: [10, 10] }).problems).toEqual([expect.stringContaining('must increase')]);
    expect(buckets({ edges: [] }).problems).toEqual([expect.stringContaining('at least one edge')]);
    expect(buckets({ edges: [1, Number.NaN] }).problems).toEqual([expect.stringContaining('not a finite number')]);
    expect(buckets({ edges: [1, 2], labels: ['a', 'b'] }).problems).toEqual([expect.stringContaining('need 3 labels, got 2')]);
    expect(buckets({ edges: [1], labels: ['a', 'a'] }).problems).toEqual([expect.stringContaining('distinct')]);
    expect(g.problems).toEqual([]);
  });

  it('describes itself with every label, for the privacy tab', () => {
    for (const label of g.outputs!) expect(g.describe()).toContain(label);
  });
});

describe('labelsFor', () => {
  it('writes quantities in their unit', () => {
    expect(labelsFor([60, 3600], 'seconds')).toEqual(['under 1 min', '1 min–1 h', '1 h or more']);
    expect(labelsFor([500, 2000], 'kbps')).toEqual(['under 500 kbps', '500 kbps–2 Mbps', '2 Mbps or more']);
    expect(labelsFor([1000, 1_000_000], 'count')).toEqual(['under 1k', '1k–1M', '1M or more']);
    expect(labelsFor([1024], 'bytes')).toEqual(['under 1 KiB', '1 KiB or more']);
  });

  it('gives as many labels as buckets, all distinct', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 12 }), (raw) => {
        const edges = [...raw].sort((a, b) => a - b);
        const labels = labelsFor(edges, 'none');
        expect(labels).toHaveLength(edges.length + 1);
        expect(new Set(labels).size).toBe(labels.length);
        expect(edgeProblems(edges, 'buckets')).toEqual([]);
      }),
    );
  });
});
