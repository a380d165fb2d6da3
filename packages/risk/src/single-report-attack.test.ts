import type { Generalizer } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { describe, expect, it } from 'vitest';
import { toyCatalog } from '../test/support/toy-catalog.js';
import type { MediaItem } from './media-catalog.js';
import { createCatalogObserver, createExactObserver } from './observers.js';
import { PLAY_PROFILES, type PlayProfile } from './play-profiles.js';
import { singleReportAnonymity } from './single-report-attack.js';

const tracks = (...durations: number[]): MediaItem[] => durations.map((durationSeconds) => ({ mediaType: 'track', durationSeconds }));

describe('singleReportAnonymity', () => {
  it('counts the items that share a length range, each item taking its most telling report', () => {
    // Ranges under 100 s, 100–200 s, 200 s or more: {50, 60}, {150}, {250, 260, 270}. A partial
    // play of 250 s reports "played under 100 s", which every item can produce, but the full
    // play reports "played 200 s or more", which only the three longest can.
    const observer = createCatalogObserver(toyCatalog({ durationEdges: [100, 200] }));
    expect(singleReportAnonymity(tracks(50, 60, 150, 250, 260, 270), observer)).toEqual([2, 2, 1, 3, 3, 3]);
  });

  it('shrinks the sets when the played ranges have an edge of their own', () => {
    // Both last 200 s or more. With a played edge at 230 s, a full play of 250 s reports "played
    // 230 s or more", which 210 s cannot; any play of 210 s reports something 250 s can too.
    const same = createCatalogObserver(toyCatalog({ durationEdges: [100, 200] }));
    const split = createCatalogObserver(toyCatalog({ durationEdges: [100, 200], playedEdges: [100, 230] }));
    expect(singleReportAnonymity(tracks(210, 250), same)).toEqual([2, 2]);
    expect(singleReportAnonymity(tracks(210, 250), split)).toEqual([2, 1]);
  });

  it('with exact values, counts only the items of exactly the same length', () => {
    expect(singleReportAnonymity(tracks(50, 60, 60, 250, 250, 250), createExactObserver())).toEqual([1, 2, 2, 3, 3, 3]);
  });

  it('leaves out items whose every play the catalog rejects', () => {
    // The default catalog takes lengths up to 7 days; a 10-day art film sends no report.
    const movies: MediaItem[] = [5400, 5500, 864_000].map((durationSeconds) => ({ mediaType: 'movie', durationSeconds }));
    expect(singleReportAnonymity(movies, createCatalogObserver(mediaServerCatalog))).toEqual([2, 2]);
  });

  it('gives the same sets with one encoding as with all, for a catalog whose encoding fields ignore the item', () => {
    const observer = createCatalogObserver(mediaServerCatalog);
    expect(observer.encodingIndependent).toBe(true);
    const items = tracks(30, 61, 179, 200, 301, 599, 650, 900, 1300, 2500, 2500, 5000);
    expect(singleReportAnonymity(items, observer)).toEqual(singleReportAnonymity(items, observer, { sweepAllEncodings: true }));
  });

  it('sweeps every encoding when a field reads both the item and its encoding', () => {
    // A size class from length × bitrate: under 10,000, 10,000–100,000, 100,000 or more.
    const sizeClass: Generalizer = {
      spec: { kind: 'size-class' },
      problems: [],
      inputs: ['durationSeconds', 'bitrateKbps'],
      freeText: false,
      outputs: ['S', 'M', 'L'],
      schema: { type: 'string', enum: ['S', 'M', 'L'] },
      example: 'M',
      apply: (d, b) => {
        const size = Number(d) * Number(b);
        return size < 10_000 ? 'S' : size < 100_000 ? 'M' : 'L';
      },
      accepts: (v) => v === 'S' || v === 'M' || v === 'L',
      describe: () => 'a size class',
    };
    const catalog = toyCatalog({ durationEdges: [1000], withDuration: false, extraFields: { size: { description: 'Size class.', generalize: sizeClass } } });
    const observer = createCatalogObserver(catalog);
    expect(observer.encodingIndependent).toBe(false);
    const base = PLAY_PROFILES.track.variants[0]!;
    const profile: PlayProfile = { ...PLAY_PROFILES.track, variants: [{ ...base, bitrateKbps: [1000, 1000] }, { ...base, bitrateKbps: [100, 100] }] };
    // At 1000 kbps: 60 s → M, 5 s → S, 100 s → L, each alone, which one encoding would conclude.
    // At 100 kbps: 60 s → S, 5 s → S, 100 s → M. So S comes from {60, 5}, M from {60, 100},
    // L from {100}: 60 s and 5 s hide in pairs, and 100 s is named by L.
    expect(singleReportAnonymity(tracks(60, 5, 100), observer, { profiles: { movie: PLAY_PROFILES.movie, track: profile } })).toEqual([2, 2, 1]);
  });
});
