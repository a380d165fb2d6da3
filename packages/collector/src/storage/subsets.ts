/**
 * Field subsets of size at most two, in an order that stays stable when fields are appended:
 * index 0 is the empty subset; then, for k = 0, 1, …, the block `{k}, {0,k}, {1,k}, …, {k-1,k}`.
 * A row's "first" flags (one bit per subset) say whether it is the first row of its pseudonym
 * and period with its values on that subset; summing a flag counts distinct pseudonyms per
 * cell without `COUNT(DISTINCT)`, because a pseudonym lives in exactly one period.
 */

/** How many subsets of size ≤ 2 exist over `n` fields. */
export function subsetCount(n: number): number {
  return 1 + (n * (n + 1)) / 2;
}

/** How many 64-bit words hold one flag per subset. */
export function maskWords(n: number): number {
  return Math.ceil(subsetCount(n) / 64);
}

/** The index of a subset given as field positions (at most two, any order). */
export function subsetIndex(positions: readonly number[]): number {
  if (positions.length === 0) return 0;
  if (positions.length === 1) return 1 + (positions[0]! * (positions[0]! + 1)) / 2;
  if (positions.length !== 2) throw new RangeError('subsets hold at most two fields');
  const [a, b] = positions as [number, number];
  if (a === b) throw new RangeError('a subset names a field once');
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return 1 + (hi * (hi + 1)) / 2 + 1 + lo;
}

/** Every subset of size ≤ 2 over `n` fields, as position lists, in index order. */
export function listSubsets(n: number): number[][] {
  const out: number[][] = [[]];
  for (let k = 0; k < n; k++) {
    out.push([k]);
    for (let i = 0; i < k; i++) out.push([i, k]);
  }
  return out;
}

const WORD = 2n ** 64n;

/**
 * The first flags of a row given its values and the values of the rows its pseudonym already
 * has in the period: a subset's flag is set when no earlier row agrees with it on every field
 * of the subset. Returned as unsigned 64-bit words, subset `s` at bit `s % 64` of word `s / 64`.
 */
export function firstFlags(values: readonly unknown[], previous: readonly (readonly unknown[])[]): bigint[] {
  const n = values.length;
  const count = subsetCount(n);
  const seen = new Uint8Array(count);
  for (const q of previous) {
    seen[0] = 1;
    for (let k = 0; k < n; k++) {
      const start = 1 + (k * (k + 1)) / 2;
      if (q[k] !== values[k]) continue;
      seen[start] = 1;
      for (let i = 0; i < k; i++) if (q[i] === values[i]) seen[start + 1 + i] = 1;
    }
  }
  const words: bigint[] = [];
  for (let w = 0; w * 64 < count; w++) {
    let lo = 0;
    let hi = 0;
    for (let b = 0; b < 32 && w * 64 + b < count; b++) if (seen[w * 64 + b] === 0) lo |= 1 << b;
    for (let b = 0; b < 32 && w * 64 + 32 + b < count; b++) if (seen[w * 64 + 32 + b] === 0) hi |= 1 << b;
    words.push(((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)) % WORD);
  }
  return words;
}
