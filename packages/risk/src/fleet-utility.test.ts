import { mediaServerCatalog } from '@candor/catalog/media-server';
import { describe, expect, it } from 'vitest';
import { toyCatalog } from '../test/support/toy-catalog.js';
import { simulateFleetUtility, totalVariationDistance } from './fleet-utility.js';
import type { MediaCatalog } from './media-catalog.js';
import { createSeededRandom } from './seeded-random.js';

const music: MediaCatalog = {
  name: 'tiny-music',
  kind: 'music',
  items: [],
  albums: Array.from({ length: 40 }, (_, a) => ({ id: `a${a}`, tracks: Array.from({ length: 3 + (a % 10) }, (_, t) => ({ mediaType: 'track' as const, durationSeconds: 40 + ((a * 97 + t * 61) % 900) })) })),
};
const tinyMusic: MediaCatalog = { ...music, items: music.albums.flatMap((a) => a.tracks) };
const tinyMovies: MediaCatalog = { name: 'tiny-movies', kind: 'movies', items: Array.from({ length: 200 }, (_, i) => ({ mediaType: 'movie' as const, durationSeconds: 1200 + i * 40 })), albums: [] };

describe('totalVariationDistance', () => {
  it('is half the sum of absolute differences between the normalized histograms', () => {
    const a = new Map([['x', 3], ['y', 1]]);
    const b = new Map([['x', 1], ['y', 1], ['z', 2]]);
    // 0.75 vs 0.25, 0.25 vs 0.25, 0 vs 0.5: (0.5 + 0 + 0.5) / 2.
    expect(totalVariationDistance(a, b)).toBe(0.5);
    expect(totalVariationDistance(a, new Map([['x', 30], ['y', 10]]))).toBe(0);
    expect(totalVariationDistance(a, new Map([['z', 1]]))).toBe(1);
    expect(totalVariationDistance(a, new Map())).toBe(1);
  });
});

describe('simulateFleetUtility', () => {
  it('releases the truth exactly when every report leaves and no cell is suppressed', () => {
    const everything = toyCatalog({ durationEdges: [60, 300, 900], maxPerPeriod: 10_000 });
    const { tvd } = simulateFleetUtility([tinyMusic, tinyMovies], everything, { random: createSeededRandom(3), installs: 300, k: 1 });
    expect(tvd).toEqual({ duration: 0, mediaType: 0 });
  });

  it('releases nothing when k exceeds the fleet', () => {
    const { tvd } = simulateFleetUtility([tinyMusic], mediaServerCatalog, { random: createSeededRandom(3), installs: 50, k: 51 });
    expect(tvd).toEqual({ duration: 1, bitrate: 1, resolution: 1, mediaType: 1 });
  });

  it('stays close to the truth with the default catalog, and moves with the seed only', () => {
    const run = (seed: number): Record<string, number> => simulateFleetUtility([tinyMusic, tinyMovies], mediaServerCatalog, { random: createSeededRandom(seed), installs: 3000 }).tvd;
    const first = run(5);
    expect(run(5)).toEqual(first);
    expect(run(6)).not.toEqual(first);
    for (const d of Object.values(first)) {
      expect(d).toBeGreaterThan(0);
      expect(d).toBeLessThan(0.05);
    }
  });
});
