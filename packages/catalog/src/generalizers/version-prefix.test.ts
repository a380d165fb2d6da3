import { describe, expect, it } from 'vitest';
import { versionPrefix } from './version-prefix.js';

describe('versionPrefix', () => {
  it('keeps only the leading parts: 1.32.4.7003 → 1.32', () => {
    const g = versionPrefix();
    expect(g.apply('1.32.4.7003')).toBe('1.32');
    expect(g.apply('v1.32.4')).toBe('1.32');
    expect(g.apply('1.32.4-beta.2+build.7')).toBe('1.32');
    expect(g.apply('1.32.4 (build 7003)')).toBe('1.32');
    expect(g.apply(' 10.8.13 ')).toBe('10.8');
    expect(g.apply('01.002.3')).toBe('1.2');
    expect(g.apply('7')).toBe('7');
  });

  it('keeps as many parts as declared', () => {
    expect(versionPrefix({ parts: 1 }).apply('1.32.4.7003')).toBe('1');
    expect(versionPrefix({ parts: 3 }).apply('1.32.4.7003')).toBe('1.32.4');
    expect(versionPrefix({ parts: 4 }).apply('1.32.4.7003')).toBe('1.32.4.7003');
  });

  it('rejects what is not a version', () => {
    const g = versionPrefix();
    for (const v of ['', 'beta', 'x1.2', '1..2', '.1']) expect(g.apply(v)).toMatchObject({ reason: 'invalid_format' });
    expect(g.apply('1.'.repeat(40))).toMatchObject({ reason: 'too_long' });
    expect(g.apply(1.32)).toMatchObject({ reason: 'wrong_type' });
  });

  it('accepts only truncated versions on the wire', () => {
    const g = versionPrefix({ parts: 2 });
    expect(['1.32', '1', '999999.0'].every((v) => g.accepts(v))).toBe(true);
    expect(['1.32.4', 'v1.32', '1.32-beta', 1.32, ''].some((v) => g.accepts(v))).toBe(false);
  });

  it('names an unusable number of parts', () => {
    for (const parts of [0, 5, 1.5]) expect(versionPrefix({ parts }).problems).toEqual([expect.stringContaining('parts must be an integer from 1 to 4')]);
  });
});
