/** How well a set of items hides among the catalog, from each item's anonymity set size. */
export interface AnonymitySummary {
  /** How many items (or albums) were attacked. */
  readonly items: number;
  /** Share of items whose anonymity set is 1: the report names them. */
  readonly identifiedFraction: number;
  /** The 10th percentile of anonymity set sizes (nearest rank): 90 % of items hide among at least this many. */
  readonly p10AnonymitySet: number;
  /** The median anonymity set size (nearest rank, the lower middle for an even count). */
  readonly medianAnonymitySet: number;
  /** The smallest anonymity set: the margin of the worst-hidden item before it is named. */
  readonly smallestAnonymitySet: number;
}

/**
 * Summarizes anonymity set sizes, one per attacked item. Percentiles are nearest-rank, so each
 * is the size of some item's set, never an interpolation.
 * @example summarizeAnonymity([1, 4, 4, 9]) // { items: 4, identifiedFraction: 0.25, p10AnonymitySet: 1, medianAnonymitySet: 4, smallestAnonymitySet: 1 }
 */
export function summarizeAnonymity(sizes: readonly number[]): AnonymitySummary {
  const n = sizes.length;
  if (n === 0) return { items: 0, identifiedFraction: 0, p10AnonymitySet: 0, medianAnonymitySet: 0, smallestAnonymitySet: 0 };
  const sorted = Float64Array.from(sizes).sort();
  let identified = 0;
  for (const s of sorted) if (s <= 1) identified++;
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil(p * n) - 1)]!;
  return { items: n, identifiedFraction: identified / n, p10AnonymitySet: rank(0.1), medianAnonymitySet: rank(0.5), smallestAnonymitySet: sorted[0]! };
}
