import { mediaServerCatalog } from '@candor/catalog/media-server';
import { describe, expect, it } from 'vitest';
import { toyCatalog } from '../test/support/toy-catalog.js';
import { linkedAlbumAnonymity } from './linked-album-attack.js';
import type { Album } from './media-catalog.js';
import { createCatalogObserver, createExactObserver } from './observers.js';
import { createSeededRandom } from './seeded-random.js';

// Ranges A (under 100 s), B (100–200 s), C (200 s or more); every track length distinct.
let next = 0;
const A = (): number => 10 + next++;
const B = (): number => 110 + next++;
const C = (): number => 210 + next++;
const album = (id: string, ...durations: number[]): Album => ({ id, tracks: durations.map((durationSeconds) => ({ mediaType: 'track', durationSeconds })) });
const albums = [album('X', A(), A(), A()), album('Y', A(), A(), B()), album('Z', A(), A(), A(), B()), album('W', A(), A(), A(), A(), B()), album('V', C(), C())];

describe('linkedAlbumAnonymity', () => {
  it('counts albums with the same count range whose ranges contain the sample, whatever the sample', () => {
    // Daily counts "1–3" (X, Y, V) and "4 or more" (Z, W). X releases {A, A, A}, which Y cannot
    // produce; Y releases {A, A, B}, which X cannot; V has 2 tracks, so it would release 2 reports.
    // Z and W release {A, A, A} or {A, A, B}, and each contains both.
    const observer = createCatalogObserver(toyCatalog({ durationEdges: [100, 200], countEdges: [4] }));
    for (let seed = 1; seed <= 20; seed++) {
      expect(linkedAlbumAnonymity(albums, observer, { random: createSeededRandom(seed) }).sort()).toEqual([1, 1, 2, 2]);
    }
  });

  it('names every album when all its exact lengths leave', () => {
    expect(linkedAlbumAnonymity(albums, createExactObserver(), { random: createSeededRandom(1) })).toEqual([1, 1, 1, 1]);
  });

  it('names more albums when every report leaves, without sampling', () => {
    // Without sampling Z releases all four {A, A, A, B}; only Z releases four reports.
    const observer = createCatalogObserver(toyCatalog({ durationEdges: [100, 200], maxPerPeriod: 50 }));
    expect(linkedAlbumAnonymity(albums, observer, { random: createSeededRandom(1) }).sort()).toEqual([1, 1, 1, 1]);
  });

  it('attacks only albums of at least minTracks tracks, but counts every album as a candidate', () => {
    const observer = createCatalogObserver(toyCatalog({ durationEdges: [100, 200], countEdges: [4] }));
    // V (2 tracks) is now attacked; only V releases two reports, both C.
    expect(linkedAlbumAnonymity(albums, observer, { random: createSeededRandom(1), minTracks: 2 }).sort()).toEqual([1, 1, 1, 2, 2]);
  });

  it('is reproducible from its seed on the default catalog', () => {
    const many = Array.from({ length: 60 }, (_, i) => album(`a${i}`, ...Array.from({ length: 3 + (i % 9) }, (_, t) => 90 + ((i * 37 + t * 53) % 500))));
    const observer = createCatalogObserver(mediaServerCatalog);
    const first = linkedAlbumAnonymity(many, observer, { random: createSeededRandom(7) });
    expect(first).toHaveLength(60);
    expect(linkedAlbumAnonymity(many, observer, { random: createSeededRandom(7) })).toEqual(first);
    for (const size of first) expect(size).toBeGreaterThanOrEqual(1);
  });
});
