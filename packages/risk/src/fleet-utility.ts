import { compileCatalog, type CatalogSpec, type Payload } from '@candor/catalog';
import type { Random } from '@candor/sdk';
import { estimatePeriodPlays } from './estimate-period-plays.js';
import type { Album, MediaCatalog, MediaItem } from './media-catalog.js';
import { createCatalogObserver, PLAYBACK_EVENT } from './observers.js';
import { PLAY_PROFILES, pickVariant, pickWeighted, rawPlay, type PlayProfile, type RawPlay } from './play-profiles.js';

/** The histograms whose error the utility measures: `playback.session` fields a vendor charts. */
export const UTILITY_HISTOGRAMS = ['duration', 'bitrate', 'resolution', 'mediaType'] as const;

/** Options of {@link simulateFleetUtility}. */
export interface FleetUtilityOptions {
  /** Source of randomness for the fleet and the SDK's sampling. */
  readonly random: Random;
  /** How many installs the fleet has; each reports one linkage period. @default 10000 */
  readonly installs?: number;
  /** The collector's suppression threshold: cells with fewer distinct installs are not released. @default 10 */
  readonly k?: number;
}

/** The error of the released histograms against the truth. */
export interface FleetUtility {
  /** Total variation distance between the released and the true distribution, per histogram. */
  readonly tvd: Record<string, number>;
}

interface Cell {
  weight: number;
  installs: number;
  lastInstall: number;
}

/**
 * Simulates a fleet of installs, each playing one day of media from the given catalogs (whole
 * albums and shuffled tracks from music catalogs, a few movies from movie catalogs, in the
 * encodings and on the devices of {@link PLAY_PROFILES}), and measures what the collector can
 * release of the ecosystem histograms. The truth counts every play, generalized. The release
 * sees only what the catalog lets leave (the SDK's sample and the count report), weights each
 * received report by {@link estimatePeriodPlays} over the reports received, and suppresses
 * cells with fewer than `k` distinct installs, as the collector does.
 */
export function simulateFleetUtility(media: readonly MediaCatalog[], spec: CatalogSpec, options: FleetUtilityOptions): FleetUtility {
  const { random } = options;
  const installs = options.installs ?? 10_000;
  const k = options.k ?? 10;
  const observer = createCatalogObserver(spec);
  const compiled = compileCatalog(spec);
  const event = compiled.events.get(PLAYBACK_EVENT)!;
  const histograms = UTILITY_HISTOGRAMS.filter((h) => event.fields.some((f) => f.name === h));
  const sampled = event.spec.sampled;
  const countSpec = sampled === undefined ? undefined : compiled.events.get(sampled.countEvent)?.fields.find((f) => f.name === sampled.countField)?.generalizer.spec;

  const movies = media.filter((m) => m.kind === 'movies').flatMap((m) => m.items);
  const tracks = media.filter((m) => m.kind === 'music').flatMap((m) => m.items);
  const albums = media.filter((m) => m.kind === 'music').flatMap((m) => m.albums);
  const truth = new Map<string, Map<string, number>>(histograms.map((h) => [h, new Map()]));
  const released = new Map<string, Map<string, Cell>>(histograms.map((h) => [h, new Map()]));

  for (let install = 0; install < installs; install++) {
    const plays = simulateDay(movies, tracks, albums, random);
    const reports: Payload[] = [];
    for (const play of plays) {
      const r = observer.report(play);
      if (r === undefined) continue;
      reports.push(r);
      for (const h of histograms) {
        const t = truth.get(h)!;
        const v = String(r[h]);
        t.set(v, (t.get(v) ?? 0) + 1);
      }
    }
    if (reports.length === 0) continue;
    const count = observer.countReport(reports.length);
    const kept = observer.release(reports, random);
    const countValue = count === undefined || sampled === undefined ? undefined : count[sampled.countField];
    const weight = estimatePeriodPlays(countSpec, countValue, kept.length, observer.maxPerPeriod) / kept.length;
    for (const r of kept) {
      for (const h of histograms) {
        const cells = released.get(h)!;
        const v = String(r[h]);
        let cell = cells.get(v);
        if (cell === undefined) cells.set(v, (cell = { weight: 0, installs: 0, lastInstall: -1 }));
        cell.weight += weight;
        if (cell.lastInstall !== install) {
          cell.installs++;
          cell.lastInstall = install;
        }
      }
    }
  }

  const tvd: Record<string, number> = {};
  for (const h of histograms) {
    const shown = new Map<string, number>();
    for (const [v, cell] of released.get(h)!) if (cell.installs >= k) shown.set(v, cell.weight);
    tvd[h] = totalVariationDistance(truth.get(h)!, shown);
  }
  return { tvd };
}

/**
 * Total variation distance between two histograms, each normalized to a distribution: half the
 * sum of absolute differences, 0 when equal, 1 when disjoint (or when one is empty).
 */
export function totalVariationDistance(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  const sum = (m: ReadonlyMap<string, number>): number => [...m.values()].reduce((s, x) => s + x, 0);
  const ta = sum(a);
  const tb = sum(b);
  if (ta === 0 || tb === 0) return ta === tb ? 0 : 1;
  let d = 0;
  for (const key of new Set([...a.keys(), ...b.keys()])) d += Math.abs((a.get(key) ?? 0) / ta - (b.get(key) ?? 0) / tb);
  return d / 2;
}

/** One install's day: which catalogs it plays from, then its plays in order. */
function simulateDay(movies: readonly MediaItem[], tracks: readonly MediaItem[], albums: readonly Album[], random: Random): RawPlay[] {
  let watches = movies.length > 0 && (tracks.length === 0 || random() < 0.7);
  const listens = tracks.length > 0 && (!watches || random() < 0.4);
  if (!watches && !listens) watches = true;
  const plays: RawPlay[] = [];
  if (watches) {
    // Most days see one or two movies; a few see a marathon.
    let n = 1;
    while (n < 8 && random() < 0.45) n++;
    for (let i = 0; i < n; i++) plays.push(playOf(movies[Math.floor(random() * movies.length)]!, PLAY_PROFILES.movie, undefined, random, 0.65));
  }
  if (listens) {
    // Whole albums in one sitting (one rip, one encoding), then shuffled tracks from the library.
    let albumCount = 0;
    while (albumCount < 6 && random() < 0.55) albumCount++;
    for (let a = 0; a < albumCount; a++) {
      const album = albums[Math.floor(random() * albums.length)]!;
      const variant = pickVariant(PLAY_PROFILES.track, random);
      for (const track of album.tracks) plays.push(playOf(track, PLAY_PROFILES.track, variant, random, 0.92));
    }
    let singles = Math.min(60, Math.floor(-Math.log(1 - random()) * 8));
    if (albumCount === 0 && singles === 0) singles = 1;
    for (let s = 0; s < singles; s++) plays.push(playOf(tracks[Math.floor(random() * tracks.length)]!, PLAY_PROFILES.track, undefined, random, 0.8));
  }
  return plays;
}

function playOf(item: MediaItem, profile: PlayProfile, fixedVariant: PlayProfile['variants'][number] | undefined, random: Random, fullShare: number): RawPlay {
  const variant = fixedVariant ?? pickVariant(profile, random);
  const [lo, hi] = variant.bitrateKbps;
  const bitrate = lo * (hi / lo) ** random();
  const played = random() < fullShare ? item.durationSeconds : item.durationSeconds * (0.02 + 0.93 * random());
  return rawPlay(item, variant, bitrate, played, pickWeighted(profile.deviceTypes, random), pickWeighted(profile.decisions, random));
}
