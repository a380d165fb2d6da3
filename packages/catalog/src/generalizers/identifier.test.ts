import { describe, expect, it } from 'vitest';
import { identifier } from './identifier.js';

describe('identifier', () => {
  const g = identifier();
  it('passes code identifiers and sends anything else as other', () => {
    expect(g.apply('RangeError')).toBe('RangeError');
    expect(g.apply('$Err_2')).toBe('$Err_2');
    expect(g.apply('The Film (2017)')).toBe('other');
    expect(g.apply('a'.repeat(65))).toBe('other');
    expect(g.apply('')).toBe('other');
    expect(g.apply(1)).toMatchObject({ reason: 'wrong_type' });
  });
  it('is free text for data review', () => {
    expect(g.freeText).toBe(true);
    expect(g.accepts('TypeError')).toBe(true);
    expect(g.accepts('Type Error')).toBe(false);
  });
});
