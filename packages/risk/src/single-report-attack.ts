import type { MediaItem } from './media-catalog.js';
import { reportKey, type Observer } from './observers.js';
import { PLAY_PROFILES, rawPlay, sweepBitrates, sweepPlayed, type PlayProfile } from './play-profiles.js';

/** Options of {@link singleReportAnonymity}. */
export interface SingleAttackOptions {
  /** How each media type is played. @default PLAY_PROFILES */
  readonly profiles?: { readonly [T in MediaItem['mediaType']]: PlayProfile };
  /** Try every encoding even when the observer says it cannot matter (to check that claim). @default false */
  readonly sweepAllEncodings?: boolean;
}

/**
 * The single-report attack. Every item is played in every plausible way (its profile's
 * encodings, bitrates across their ranges, full and partial plays); the anonymity set of a
 * report is the number of catalog items that can produce it, and an item's anonymity set is
 * the smallest over the reports it can produce (the adversary gets the most telling one).
 * When the observer is {@link Observer.encodingIndependent}, one encoding stands for all: the
 * encoding half of a report is the same for every item, so it cannot change a count.
 * Returns one size per item that can produce a report at all; items whose every play is
 * rejected (a duration outside the catalog's plausible range) send nothing and are left out.
 */
export function singleReportAnonymity(items: readonly MediaItem[], observer: Observer, options: SingleAttackOptions = {}): number[] {
  const profiles = options.profiles ?? PLAY_PROFILES;
  const oneEncoding = observer.encodingIndependent && options.sweepAllEncodings !== true;
  // Items with the same media type and duration produce the same reports: sweep each once.
  const groups = new Map<string, { item: MediaItem; count: number }>();
  for (const item of items) {
    const id = `${item.mediaType}:${item.durationSeconds}`;
    const g = groups.get(id);
    if (g === undefined) groups.set(id, { item, count: 1 });
    else g.count++;
  }
  const reportsOf: { count: number; keys: string[] }[] = [];
  const producers = new Map<string, number>();
  for (const { item, count } of groups.values()) {
    const profile = profiles[item.mediaType];
    const keys = new Set<string>();
    const variants = oneEncoding ? profile.variants.slice(0, 1) : profile.variants;
    for (const played of sweepPlayed(item.durationSeconds, observer.playedEdges)) {
      for (const variant of variants) {
        for (const bitrate of oneEncoding ? [variant.bitrateKbps[0]] : sweepBitrates(variant)) {
          // Device and delivery decision do not depend on the item either; the most common stands for all.
          const report = observer.report(rawPlay(item, variant, bitrate, played, profile.deviceTypes[0]![0], profile.decisions[0]![0]));
          if (report !== undefined) keys.add(reportKey(report));
        }
      }
    }
    if (keys.size === 0) continue;
    for (const k of keys) producers.set(k, (producers.get(k) ?? 0) + count);
    reportsOf.push({ count, keys: [...keys] });
  }
  const sizes: number[] = [];
  for (const { count, keys } of reportsOf) {
    let smallest = Number.POSITIVE_INFINITY;
    for (const k of keys) smallest = Math.min(smallest, producers.get(k)!);
    for (let i = 0; i < count; i++) sizes.push(smallest);
  }
  return sizes;
}
