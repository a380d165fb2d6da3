import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './seeded-random.js';
import { PLAY_PROFILES, pickWeighted, rawPlay, sweepBitrates, sweepPlayed } from './play-profiles.js';

describe('PLAY_PROFILES', () => {
  it('has shares that add up to 1 and bitrate ranges that are ranges', () => {
    for (const profile of Object.values(PLAY_PROFILES)) {
      const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);
      expect(sum(profile.variants.map((v) => v.weight))).toBeCloseTo(1, 9);
      expect(sum(profile.deviceTypes.map(([, w]) => w))).toBeCloseTo(1, 9);
      expect(sum(profile.decisions.map(([, w]) => w))).toBeCloseTo(1, 9);
      for (const v of profile.variants) expect(v.bitrateKbps[0]).toBeLessThanOrEqual(v.bitrateKbps[1]);
    }
  });
});

describe('sweeps', () => {
  it('tries bitrates log-spaced across the range, ends included', () => {
    const variant = { ...PLAY_PROFILES.track.variants[0]!, bitrateKbps: [100, 1600] as const };
    expect(sweepBitrates(variant)).toEqual([100, 200, 400, 800, 1600]);
    expect(sweepBitrates({ ...variant, bitrateKbps: [320, 320] })).toEqual([320]);
  });

  it('tries a full play, fractions, and every played edge below the length', () => {
    expect(sweepPlayed(1000, [60, 300, 1000, 5000])).toEqual([20, 60, 100, 250, 300, 500, 750, 900, 1000]);
  });

  it('builds raw plays without a picture size for audio', () => {
    const track = rawPlay({ mediaType: 'track', durationSeconds: 200 }, PLAY_PROFILES.track.variants[0]!, 128, 200, 'mobile', 'directplay');
    expect(track).not.toHaveProperty('width');
    const movie = rawPlay({ mediaType: 'movie', durationSeconds: 6000 }, PLAY_PROFILES.movie.variants[5]!, 8000, 6000, 'tv', 'directplay');
    expect(movie).toMatchObject({ width: 1920, height: 800, mediaType: 'movie', durationSeconds: 6000 });
  });

  it('picks weighted entries in proportion', () => {
    const random = createSeededRandom(9);
    let a = 0;
    for (let i = 0; i < 20_000; i++) if (pickWeighted([['a', 0.25], ['b', 0.75]], random) === 'a') a++;
    // Expect 5,000 ± 5 standard deviations (306).
    expect(Math.abs(a - 5000)).toBeLessThan(306);
  });
});
