import { getRandomValues, randomBytes } from 'node:crypto';
import type { Random } from '../linkage/sample-period.js';

const POOL = 1024;

/**
 * A uniform float in [0, 1) from the operating system's CSPRNG, drawn from a pooled buffer so
 * that one call costs a few nanoseconds. Sampling and shuffling use it by default: a
 * predictable generator would let an observer undo the shuffle.
 */
export function createCryptoRandom(): Random {
  const pool = new Uint32Array(POOL);
  let i = POOL;
  return () => {
    if (i === POOL) {
      getRandomValues(pool);
      i = 0;
    }
    return pool[i++]! / 4_294_967_296;
  };
}

/** `n` random bytes from the operating system's CSPRNG. */
export function cryptoRandomBytes(n: number): Uint8Array {
  return randomBytes(n);
}

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
