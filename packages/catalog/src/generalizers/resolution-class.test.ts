import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RESOLUTION_CLASSES, classifyResolution, resolutionClass } from './resolution-class.js';

describe('resolutionClass', () => {
  const g = resolutionClass();

  it.each([
    [7680, 4320, '8k'],
    [3840, 2160, '4k'],
    [3840, 1600, '4k'],
    [4096, 1716, '4k'],
    [2560, 1440, '1440p'],
    [1920, 1080, '1080p'],
    [1920, 800, '1080p'],
    [1440, 1080, '1080p'],
    [1080, 1920, '1080p'],
    [1280, 720, '720p'],
    [1280, 536, '720p'],
    [720, 576, 'sd'],
    [640, 480, 'sd'],
    [1, 1, 'sd'],
  ])('%i×%i is %s', (width, height, expected) => {
    expect(g.apply(width, height)).toBe(expected);
  });

  it('gives none for audio: no size, or a zero size', () => {
    expect(g.apply(undefined, undefined)).toBe('none');
    expect(g.apply(null, null)).toBe('none');
    expect(g.apply(0, 0)).toBe('none');
    expect(g.apply(1920, 0)).toBe('none');
  });

  it('rejects half a size and absurd sizes, naming the side', () => {
    expect(g.apply(1920, undefined)).toMatchObject({ reason: 'wrong_type', detail: expect.stringContaining('height') });
    expect(g.apply(undefined, 1080)).toMatchObject({ reason: 'wrong_type', detail: expect.stringContaining('width') });
    expect(g.apply(-1, 1080)).toMatchObject({ reason: 'out_of_range' });
    expect(g.apply(1920, 1e9)).toMatchObject({ reason: 'out_of_range' });
    expect(g.apply(Number.NaN, 1080)).toMatchObject({ reason: 'not_finite' });
    expect(g.apply('1920', '1080')).toMatchObject({ reason: 'wrong_type' });
  });

  it('reads width and height and never sends them', () => {
    expect(g.inputs).toEqual(['width', 'height']);
    expect(g.outputs).toEqual(RESOLUTION_CLASSES);
    expect(g.accepts('1080p')).toBe(true);
    expect(g.accepts('1920x1080')).toBe(false);
  });

  it('is monotonic in size and symmetric in orientation', () => {
    const rank = (w: number, h: number) => RESOLUTION_CLASSES.indexOf(classifyResolution(w, h));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 0, max: 500 }), (w, h, grow) => {
        expect(rank(w + grow, h + grow)).toBeGreaterThanOrEqual(rank(w, h));
        expect(classifyResolution(w, h)).toBe(classifyResolution(h, w));
      }),
    );
  });
});
