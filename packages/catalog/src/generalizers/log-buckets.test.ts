import { describe, expect, it } from 'vitest';
import { logBuckets } from './log-buckets.js';

describe('logBuckets', () => {
  const g = logBuckets({ start: 1000, factor: 2, count: 6, unit: 'kbps', max: 1_000_000 });

  it('places edges at start × factor^i', () => {
    expect(g.spec).toMatchObject({ kind: 'log-buckets', edges: [1000, 2000, 4000, 8000, 16000, 32000], start: 1000, factor: 2, count: 6 });
    expect(g.apply(5000)).toBe('4 Mbps–8 Mbps');
    expect(g.apply(999)).toBe('under 1 Mbps');
    expect(g.apply(32000)).toBe('32 Mbps or more');
    expect(g.outputs).toHaveLength(7);
  });

  it('names a factor that does not grow', () => {
    expect(logBuckets({ start: 10, factor: 1, count: 3 }).problems).toEqual(expect.arrayContaining([expect.stringContaining('factor must be greater than 1')]));
    expect(logBuckets({ start: 10, factor: 0.5, count: 3 }).problems).toEqual(expect.arrayContaining([expect.stringContaining('must increase')]));
    expect(g.problems).toEqual([]);
  });
});
