import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstFlags, listSubsets, maskWords, subsetCount, subsetIndex } from './subsets.js';

describe('subsets', () => {
  it('indexes every subset of at most two fields once, in an order that survives appended fields', () => {
    const five = listSubsets(5);
    expect(five).toHaveLength(subsetCount(5));
    five.forEach((s, i) => expect(subsetIndex(s)).toBe(i));
    expect(listSubsets(6).slice(0, five.length)).toEqual(five);
    expect(subsetIndex([3, 1])).toBe(subsetIndex([1, 3]));
    expect(maskWords(11)).toBe(2);
  });

  it('sets a flag exactly when no earlier row agrees on all fields of the subset', () => {
    const value = fc.constantFrom('a', 'b', null, 1, true);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }).chain((n) => fc.tuple(fc.array(value, { minLength: n, maxLength: n }), fc.array(fc.array(value, { minLength: n, maxLength: n }), { maxLength: 4 }))), ([row, previous]) => {
        const words = firstFlags(row, previous);
        listSubsets(row.length).forEach((s, i) => {
          const seen = previous.some((q) => s.every((k) => q[k] === row[k]));
          const bit = (words[i >> 6]! >> BigInt(i & 63)) & 1n;
          expect(bit).toBe(seen ? 0n : 1n);
        });
        for (const w of words) expect(w < 2n ** 64n && w >= 0n).toBe(true);
      }),
    );
  });
});
