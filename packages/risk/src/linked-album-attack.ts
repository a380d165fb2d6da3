import type { Random } from '@candor/sdk';
import type { Album } from './media-catalog.js';
import { reportKey, type Observer } from './observers.js';
import { PLAY_PROFILES, pickWeighted, rawPlay, sweepBitrates, type PlayProfile } from './play-profiles.js';

/** Options of {@link linkedAlbumAnonymity}. */
export interface LinkedAttackOptions {
  /** Source of randomness for the encoding and the SDK's sampling. */
  readonly random: Random;
  /** How tracks are played. @default PLAY_PROFILES.track */
  readonly profile?: PlayProfile;
  /** The shortest album attacked; every album, whatever its length, is a candidate. @default 3 */
  readonly minTracks?: number;
}

interface Candidate {
  readonly multiset: ReadonlyMap<string, number>;
}

/**
 * The linked-set attack. An install plays one whole album, and nothing else, in one linkage
 * period; what leaves is what the observer releases for that period (for the default catalog:
 * the SDK's uniform sample of at most three generalized reports, shuffled, plus the bucketed
 * play count). The adversary assumes exactly that, and knows the encoding (every track of a
 * rip shares it), so its candidates are the albums that, played whole in the same encoding,
 * give the same count report, the same number of released reports, and a report multiset
 * that contains the released one. Returns one anonymity set size per album of at least
 * `minTracks` tracks.
 */
export function linkedAlbumAnonymity(albums: readonly Album[], observer: Observer, options: LinkedAttackOptions): number[] {
  const profile = options.profile ?? PLAY_PROFILES.track;
  const minTracks = options.minTracks ?? 3;
  const { random } = options;
  const encodings = profile.variants.map((variant) => ({ variant, bitrates: sweepBitrates(variant) }));
  const weighted = profile.variants.map((v, i) => [i, v.weight] as const);

  // Draw every attacked album's encoding and observation first, in album order, so that the
  // result depends only on the seed; then group by encoding so that candidates are keyed once per encoding.
  const byEncoding = new Map<string, { variantIndex: number; bitrate: number; observations: { counts: Map<string, number>; size: number; countKey: string }[] }>();
  for (const album of albums) {
    if (album.tracks.length < minTracks) continue;
    // An encoding-independent observer reports the encoding identically for every album, so
    // one encoding stands for all and the candidates are keyed once.
    const variantIndex = observer.encodingIndependent ? 0 : pickWeighted(weighted, random);
    const { variant, bitrates } = encodings[variantIndex]!;
    const bitrate = observer.encodingIndependent ? bitrates[0]! : bitrates[Math.floor(random() * bitrates.length)]!;
    const reports: string[] = [];
    for (const track of album.tracks) {
      const r = observer.report(rawPlay(track, variant, bitrate, track.durationSeconds, profile.deviceTypes[0]![0], profile.decisions[0]![0]));
      if (r !== undefined) reports.push(reportKey(r));
    }
    if (reports.length === 0) continue;
    const released = observer.release(reports, random);
    const count = observer.countReport(reports.length);
    const id = `${variantIndex}:${bitrate}`;
    let group = byEncoding.get(id);
    if (group === undefined) byEncoding.set(id, (group = { variantIndex, bitrate, observations: [] }));
    group.observations.push({ counts: multiset(released), size: released.length, countKey: count === undefined ? '' : reportKey(count) });
  }

  const sizes: number[] = [];
  for (const { variantIndex, bitrate, observations } of byEncoding.values()) {
    const { variant } = encodings[variantIndex]!;
    const keyOfDuration = new Map<number, string | undefined>();
    const candidates = new Map<string, Candidate[]>();
    for (const album of albums) {
      const keys: string[] = [];
      for (const track of album.tracks) {
        let k = keyOfDuration.get(track.durationSeconds);
        if (!keyOfDuration.has(track.durationSeconds)) {
          const r = observer.report(rawPlay(track, variant, bitrate, track.durationSeconds, profile.deviceTypes[0]![0], profile.decisions[0]![0]));
          k = r === undefined ? undefined : reportKey(r);
          keyOfDuration.set(track.durationSeconds, k);
        }
        if (k !== undefined) keys.push(k);
      }
      if (keys.length === 0) continue;
      const count = observer.countReport(keys.length);
      // Candidates are indexed by what the period reveals outright: the count report and how many reports left.
      const slot = `${Math.min(keys.length, observer.maxPerPeriod)}|${count === undefined ? '' : reportKey(count)}`;
      let list = candidates.get(slot);
      if (list === undefined) candidates.set(slot, (list = []));
      list.push({ multiset: multiset(keys) });
    }
    for (const obs of observations) {
      const list = candidates.get(`${obs.size}|${obs.countKey}`) ?? [];
      let consistent = 0;
      for (const c of list) if (contains(c.multiset, obs.counts)) consistent++;
      sizes.push(consistent);
    }
  }
  return sizes;
}

function multiset(keys: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

function contains(outer: ReadonlyMap<string, number>, inner: ReadonlyMap<string, number>): boolean {
  for (const [k, n] of inner) if ((outer.get(k) ?? 0) < n) return false;
  return true;
}
