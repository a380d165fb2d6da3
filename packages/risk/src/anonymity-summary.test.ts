import { describe, expect, it } from 'vitest';
import { summarizeAnonymity } from './anonymity-summary.js';

describe('summarizeAnonymity', () => {
  it('gives nearest-rank percentiles and the share of sets of one', () => {
    // Sorted: 1 1 2 3 5 8 13 21 34 55; p10 is rank 1, the median rank 5.
    expect(summarizeAnonymity([55, 1, 8, 34, 2, 13, 1, 21, 5, 3])).toEqual({ items: 10, identifiedFraction: 0.2, p10AnonymitySet: 1, medianAnonymitySet: 5, smallestAnonymitySet: 1 });
  });

  it('takes the rank above a fractional position', () => {
    // 11 items: p10 at ceil(1.1) = rank 2, median at ceil(5.5) = rank 6.
    expect(summarizeAnonymity([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110])).toMatchObject({ p10AnonymitySet: 20, medianAnonymitySet: 60, smallestAnonymitySet: 10, identifiedFraction: 0 });
  });

  it('summarizes nothing as zeros', () => {
    expect(summarizeAnonymity([])).toEqual({ items: 0, identifiedFraction: 0, p10AnonymitySet: 0, medianAnonymitySet: 0, smallestAnonymitySet: 0 });
  });
});
