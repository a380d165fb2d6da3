import type { Random } from './sample-period.js';

/** A uniform sample of at most `max` of the items offered so far, and how many were offered. */
export interface Reservoir<T> {
  readonly max: number;
  /** How many items were offered in all. */
  count: number;
  /** The sample; at most `max` items. */
  readonly items: T[];
}

/** An empty reservoir. */
export function createReservoir<T>(max: number): Reservoir<T> {
  return { max, count: 0, items: [] };
}

/**
 * Offers one item (reservoir sampling, Vitter's Algorithm R): after n offers every subset of
 * `max` items is equally likely to be the sample, exactly as if all n had been kept and
 * {@link samplePeriod} drawn at the end, while holding only `max` of them. Returns the slot the
 * item took (its previous occupant left the sample), or -1 when it was not kept.
 */
export function offerToReservoir<T>(reservoir: Reservoir<T>, item: T, random: Random): number {
  const n = ++reservoir.count;
  const items = reservoir.items;
  if (items.length < reservoir.max) {
    items.push(item);
    return items.length - 1;
  }
  const j = Math.floor(random() * n);
  if (j < reservoir.max) {
    items[j] = item;
    return j;
  }
  return -1;
}
