/** A source of uniform random numbers in [0, 1); injectable so that tests and the risk tool are reproducible. */
export type Random = () => number;

/**
 * A uniform random sample of at most `max` items, without replacement, in random order
 * (Fisher–Yates on a copy). Every subset of size `max` is equally likely, so the sample
 * carries no trace of the order in which media were played.
 */
export function samplePeriod<T>(items: readonly T[], max: number, random: Random): T[] {
  const copy = items.slice();
  const n = copy.length;
  const k = Math.min(max, n);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    const tmp = copy[i]!;
    copy[i] = copy[j]!;
    copy[j] = tmp;
  }
  copy.length = k;
  return copy;
}

/** Shuffles an array in place (Fisher–Yates) and returns it. */
export function shuffleInPlace<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}
