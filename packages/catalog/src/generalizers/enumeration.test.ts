import { describe, expect, it } from 'vitest';
import { Rejection } from '../generalizer.js';
import { enumeration } from './enumeration.js';

describe('enumeration', () => {
  const codec = enumeration({ values: ['none', 'h264', 'hevc'], aliases: { 'h.264': 'h264', avc: 'h264', 'H.265': 'hevc', '': 'none' } });

  it('maps aliases, case-insensitively and trimmed, to their canonical value', () => {
    expect(['h264', 'H264', 'h.264', 'H.264', ' AVC ', 'h.265', 'HEVC', ''].map((v) => codec.apply(v))).toEqual(['h264', 'h264', 'h264', 'h264', 'h264', 'hevc', 'hevc', 'none']);
  });

  it('sends an unknown value as other, never as itself', () => {
    for (const v of ['prores', 'The Film (2017)', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) expect(codec.apply(v)).toBe('other');
    expect(codec.outputs).toEqual(['none', 'h264', 'hevc', 'other']);
  });

  it('uses a declared fallback, or rejects unlisted values when the fallback is null', () => {
    expect(enumeration({ values: ['a'], other: 'unknown' }).apply('b')).toBe('unknown');
    const strict = enumeration({ values: ['directplay', 'transcode'], other: null });
    expect(strict.apply('copy')).toMatchObject({ reason: 'invalid_format' });
    expect(strict.outputs).toEqual(['directplay', 'transcode']);
  });

  it('rejects non-strings and over-long strings before any lookup', () => {
    for (const v of [1, null, undefined, true, ['h264'], { toString: () => 'h264' }]) expect(codec.apply(v)).toMatchObject({ reason: 'wrong_type' });
    expect(codec.apply('h'.repeat(65))).toMatchObject({ reason: 'too_long' });
    expect(codec.apply('x'.repeat(1_000_000))).toBeInstanceOf(Rejection);
    expect(enumeration({ values: ['a'], maxLength: 3 }).apply('abcd')).toMatchObject({ reason: 'too_long' });
  });

  it('accepts exactly its outputs on the wire', () => {
    for (const v of codec.outputs!) expect(codec.accepts(v)).toBe(true);
    for (const v of ['H264', 'h.264', 'prores', 1, null]) expect(codec.accepts(v)).toBe(false);
    expect(codec.schema).toEqual({ type: 'string', enum: ['none', 'h264', 'hevc', 'other'] });
  });

  it('names declaration problems', () => {
    expect(enumeration({ values: [] }).problems).toEqual([expect.stringContaining('at least one value')]);
    expect(enumeration({ values: ['H264'] }).problems).toEqual([expect.stringContaining('lower case')]);
    expect(enumeration({ values: ['a', 'a'] }).problems).toEqual([expect.stringContaining('distinct')]);
    expect(enumeration({ values: ['a'], aliases: { b: 'c' as 'a' } }).problems).toEqual([expect.stringContaining('undeclared value "c"')]);
    expect(codec.problems).toEqual([]);
  });

  it('describes its values and the fallback', () => {
    expect(codec.describe()).toBe('one of none, h264, hevc, or "other" for anything else (common other spellings are mapped to these)');
  });
});
