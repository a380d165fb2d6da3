import { buckets } from '@candor/catalog';
import { describe, expect, it } from 'vitest';
import { activityWeights } from './active-estimate.js';

describe('activityWeights', () => {
  it('weighs each bucket by the mean of 1/x over the days it stands for', () => {
    const w = activityWeights(buckets({ edges: [2, 4, 8, 15, 22], labels: ['1', '2–3', '4–7', '8–14', '15–21', '22–28'], min: 1, max: 28 }));
    expect(w('1')).toBe(1);
    expect(w('2–3')).toBeCloseTo((1 / 2 + 1 / 3) / 2, 12);
    expect(w('22–28')).toBeCloseTo([22, 23, 24, 25, 26, 27, 28].reduce((s, x) => s + 1 / x, 0) / 7, 12);
    expect(w('unknown')).toBe(0);
  });
});
