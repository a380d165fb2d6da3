import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRange } from './parse-range.js';

describe('parseRange', () => {
  it('serves the whole file without a header, with another unit, or with a malformed or multi-range header', () => {
    for (const header of [undefined, 'items=0-5', 'bytes=abc', 'bytes=0-1,5-6', 'bytes=-', 'bytes=5-2', 'bytes 0-5']) {
      expect(parseRange(header, 1000), String(header)).toEqual({ kind: 'full' });
    }
  });

  it('serves closed, open-ended and suffix ranges, clamping the end to the file', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ kind: 'range', range: { start: 0, end: 99 } });
    expect(parseRange('bytes=900-', 1000)).toEqual({ kind: 'range', range: { start: 900, end: 999 } });
    expect(parseRange('bytes=-100', 1000)).toEqual({ kind: 'range', range: { start: 900, end: 999 } });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'range', range: { start: 0, end: 999 } });
    expect(parseRange('bytes=990-5000', 1000)).toEqual({ kind: 'range', range: { start: 990, end: 999 } });
    expect(parseRange('bytes=0-99999999999999999999', 1000)).toEqual({ kind: 'range', range: { start: 0, end: 999 } });
  });

  it('refuses ranges that start past the end, empty suffixes, and any range of an empty file', () => {
    expect(parseRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=1000-1200', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=99999999999999999999-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('always answers a range inside the file', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.string(), (size, tail) => {
        const decision = parseRange(`bytes=${tail}`, size);
        if (decision.kind === 'range') {
          expect(decision.range.start).toBeGreaterThanOrEqual(0);
          expect(decision.range.end).toBeLessThan(size);
          expect(decision.range.start).toBeLessThanOrEqual(decision.range.end);
        }
      }),
    );
  });
});
