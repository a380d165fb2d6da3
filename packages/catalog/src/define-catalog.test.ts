import { describe, expect, it } from 'vitest';
import { sampleCatalog } from '../test/sample-catalog.js';

describe('defineCatalog', () => {
  it('returns the declaration deeply frozen, so no part of the program can change what is collected', () => {
    const spec = sampleCatalog();
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.categories.playback)).toBe(true);
    expect(Object.isFrozen(spec.events['media.play'].fields.length)).toBe(true);
    expect(() => {
      (spec.events['media.play'] as { retentionDays: number }).retentionDays = 9999;
    }).toThrow(TypeError);
  });
});
