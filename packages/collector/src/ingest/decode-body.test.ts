import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { CollectorError } from '../errors.js';
import { decodeBody } from './decode-body.js';
import { exceedsJsonDepth } from './json-depth.js';

const limits = { maxDecompressedBytes: 1024, maxJsonDepth: 4 };

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'none';
  } catch (error) {
    return (error as CollectorError).code;
  }
}

describe('exceedsJsonDepth', () => {
  it('counts objects and arrays, not brackets inside strings', () => {
    expect(exceedsJsonDepth(Buffer.from('{"a":[{"b":[1]}]}'), 4)).toBe(false);
    expect(exceedsJsonDepth(Buffer.from('{"a":[{"b":[[1]]}]}'), 4)).toBe(true);
    expect(exceedsJsonDepth(Buffer.from('{"a":"[[[[[[[[[\\"]]]]]"}'), 2)).toBe(false);
    expect(exceedsJsonDepth(Buffer.from('['.repeat(1_000_000)), 8)).toBe(true);
  });
});

describe('decodeBody', () => {
  it('parses identity and gzip JSON', () => {
    expect(decodeBody(Buffer.from('{"a":1}'), undefined, limits)).toEqual({ a: 1 });
    expect(decodeBody(gzipSync('{"a":[1,2]}'), 'gzip', limits)).toEqual({ a: [1, 2] });
    expect(decodeBody(gzipSync('{"a":2}'), ' GZIP ', limits)).toEqual({ a: 2 });
  });

  it('stops inflating at the cap', () => {
    expect(codeOf(() => decodeBody(gzipSync(Buffer.alloc(100 * 1024 * 1024, 0x20)), 'gzip', limits))).toBe('BODY_TOO_LARGE');
    expect(codeOf(() => decodeBody(Buffer.alloc(2048, 0x20), 'identity', limits))).toBe('BODY_TOO_LARGE');
  });

  it('names every other problem', () => {
    expect(codeOf(() => decodeBody(gzipSync('{"a":1}').subarray(0, 8), 'gzip', limits))).toBe('MALFORMED_BODY');
    expect(codeOf(() => decodeBody(Buffer.from('{"a":1}'), 'br', limits))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(codeOf(() => decodeBody(Buffer.from('[[[[[1]]]]]'), undefined, limits))).toBe('TOO_DEEP');
    expect(codeOf(() => decodeBody(Buffer.from([0x22, 0xc3, 0x28, 0x22]), undefined, limits))).toBe('MALFORMED_BODY');
    expect(codeOf(() => decodeBody(Buffer.from('{"a":'), undefined, limits))).toBe('MALFORMED_BODY');
    expect(codeOf(() => decodeBody(Buffer.alloc(0), undefined, limits))).toBe('MALFORMED_BODY');
  });
});
