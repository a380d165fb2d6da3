import { createHmac, randomBytes } from 'node:crypto';

/** Turns a client address into an opaque key for rate limiting. */
export interface ClientKeyer {
  /** An opaque key for the address; the same address maps to the same key until the next UTC day. */
  keyOf(address: string): string;
}

/**
 * Keys client addresses by HMAC-SHA256 under a random key that lives only in memory and is
 * replaced at each UTC day: the address itself is never kept, and keys of two days cannot be
 * linked, nor recomputed after a restart.
 */
export function createClientKeyer(now: () => number = Date.now): ClientKeyer {
  let day = -1;
  let secret = randomBytes(32);
  return {
    keyOf(address) {
      const today = Math.floor(now() / 86_400_000);
      if (today !== day) {
        day = today;
        secret = randomBytes(32);
      }
      return createHmac('sha256', secret).update(address).digest('base64url').slice(0, 22);
    },
  };
}
