import type { Random } from '../linkage/sample-period.js';

/**
 * Exponential backoff with full jitter: a uniform delay in [0, min(cap, base · 2^(attempt-1))).
 * Full jitter spreads the retries of many installs after an outage instead of synchronizing them.
 * @param attempt the attempt that just failed, from 1
 */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: Random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.floor(random() * ceiling);
}
