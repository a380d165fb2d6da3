import type { CompiledCatalog, Payload } from '@candor/catalog';
import { createReservoir, offerToReservoir, type Reservoir } from './reservoir.js';
import { shuffleInPlace, type Random } from './sample-period.js';

/** What leaves for one sampled event when its period ends. */
export interface SampledRelease<T> {
  /** At most `maxPerPeriod` reports, a uniform sample in random order. */
  readonly sample: T[];
  /** How many reports the period had. */
  readonly count: number;
  /** The count event (`playback.daily { plays }`), generalized by the catalog; null when there were no reports. */
  readonly countEvent: { readonly name: string; readonly fields: Payload } | null;
}

/**
 * Ends a sampled event's period: the reservoir's sample in random order, plus the count event
 * with the period's count generalized by the catalog (so `plays` leaves as a bucket). This is
 * the code the SDK runs at the end of each period.
 */
export function finishReservoir<T>(catalog: CompiledCatalog, eventName: string, reservoir: Reservoir<T>, random: Random): SampledRelease<T> {
  const sample = shuffleInPlace(reservoir.items.slice(), random);
  return { sample, count: reservoir.count, countEvent: countEventFor(catalog, eventName, reservoir.count) };
}

/**
 * Turns one period's recorded reports of a sampled event (such as `playback.session`) into
 * exactly what leaves: the uniform sample plus the count event. A pure function over the
 * SDK's own sampling code, so that the risk tool simulates what ships.
 * @example releaseSampledPeriod(compileCatalog(mediaServerCatalog), 'playback.session', payloads, random)
 */
export function releaseSampledPeriod<T>(catalog: CompiledCatalog, eventName: string, reports: readonly T[], random: Random): SampledRelease<T> {
  const spec = catalog.events.get(eventName)?.spec;
  const reservoir = createReservoir<T>(spec?.maxPerPeriod ?? 0);
  for (const r of reports) offerToReservoir(reservoir, r, random);
  return finishReservoir(catalog, eventName, reservoir, random);
}

/** The count event for `count` reports of a sampled event, or null when the event is not sampled or `count` is 0. */
export function countEventFor(catalog: CompiledCatalog, eventName: string, count: number): { readonly name: string; readonly fields: Payload } | null {
  const sampled = catalog.events.get(eventName)?.spec.sampled;
  if (!sampled || count <= 0) return null;
  const result = catalog.normalize(sampled.countEvent, { [sampled.countField]: count });
  return result.ok ? { name: sampled.countEvent, fields: result.payload } : null;
}
