import { describe, expect, it } from 'vitest';
import { boolean } from './boolean.js';

describe('boolean', () => {
  const g = boolean();
  it('passes booleans and rejects anything else', () => {
    expect(g.apply(true)).toBe(true);
    expect(g.apply(false)).toBe(false);
    for (const v of ['true', 1, 0, null, undefined, {}]) expect(g.apply(v)).toMatchObject({ reason: 'wrong_type' });
  });
  it('accepts only booleans on the wire', () => {
    expect([true, false, 'true', 1, null].map((v) => g.accepts(v))).toEqual([true, true, false, false, false]);
  });
});
