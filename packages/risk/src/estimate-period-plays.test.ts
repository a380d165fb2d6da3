import { compileCatalog } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { describe, expect, it } from 'vitest';
import { estimatePeriodPlays } from './estimate-period-plays.js';

// The default catalog's daily count: 1 | 2–3 | 4–6 | 7–10 | 11–20 | 21–50 | 51 or more.
const playsSpec = compileCatalog(mediaServerCatalog).events.get('playback.daily')!.fields.find((f) => f.name === 'plays')!.generalizer.spec;

describe('estimatePeriodPlays', () => {
  it('is exact when the sample kept every play', () => {
    expect(estimatePeriodPlays(playsSpec, '1', 1, 3)).toBe(1);
    expect(estimatePeriodPlays(playsSpec, '2–3', 2, 3)).toBe(2);
  });

  it('takes the middle of the reported range, from the sample size up', () => {
    expect(estimatePeriodPlays(playsSpec, '2–3', 3, 3)).toBe(3);
    expect(estimatePeriodPlays(playsSpec, '4–6', 3, 3)).toBe(5);
    expect(estimatePeriodPlays(playsSpec, '11–20', 3, 3)).toBe(15.5);
    expect(estimatePeriodPlays(playsSpec, '21–50', 3, 3)).toBe(35.5);
  });

  it('counts the open top range as one and a half times its lower edge', () => {
    expect(estimatePeriodPlays(playsSpec, '51 or more', 3, 3)).toBe(76.5);
  });

  it('uses an exact count as is, and falls back to what was received without a usable count', () => {
    expect(estimatePeriodPlays(undefined, 42, 3, 3)).toBe(42);
    expect(estimatePeriodPlays(playsSpec, 'not a label', 3, 3)).toBe(3);
    expect(estimatePeriodPlays(undefined, undefined, 3, 3)).toBe(3);
  });
});
