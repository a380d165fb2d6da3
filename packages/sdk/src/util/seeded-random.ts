import type { Random } from '../linkage/sample-period.js';

/** A small seeded generator (mulberry32) for reproducible tests and snapshots; never for production sampling. */
export function createSeededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Random bytes from a seeded generator, for reproducible batch keys in tests. */
export function seededBytes(random: Random): (n: number) => Uint8Array {
  return (n) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
}
