import type { GeneralizerSpec, Scalar } from '@candor/catalog';

/**
 * The collector's estimate of how many plays an install had in a period, from the sampled
 * reports it received and the period's count report. When fewer than `maxPerPeriod` reports
 * arrived, the sample kept every play, so the count is exact. Otherwise the count is the middle
 * of the reported bucket (integers from its lower edge, or `maxPerPeriod` if higher, to the
 * edge above minus one); the open top bucket counts as 1.5 times its lower edge. Each received
 * report then stands for `estimate / received` plays, which keeps released histograms unbiased
 * up to the spread of plays within one bucket.
 * @example estimatePeriodPlays(playsSpec, '4–6', 3, 3) // 5
 */
export function estimatePeriodPlays(countSpec: GeneralizerSpec | undefined, countValue: Scalar | null | undefined, received: number, maxPerPeriod: number): number {
  if (received < maxPerPeriod) return received;
  if (typeof countValue === 'number') return Math.max(countValue, received);
  if (countSpec?.kind === 'buckets' && typeof countValue === 'string') {
    const edges = countSpec.edges as readonly number[];
    const labels = countSpec.labels as readonly string[];
    const i = labels.indexOf(countValue);
    if (i !== -1) {
      const lower = Math.max(i === 0 ? Number(countSpec.min ?? 0) : edges[i - 1]!, maxPerPeriod);
      if (i === edges.length) return lower * 1.5;
      return Math.max((lower + edges[i]! - 1) / 2, received);
    }
  }
  // No usable count: the received reports are all the collector can vouch for.
  return received;
}
