import { createHmac } from 'node:crypto';
import { periodsBetween, type Linkage } from '@candor/protocol';

/**
 * The pseudonym of one linkage period: HMAC-SHA256(secret, `${catalogId}:${period}`) in hex.
 * Different periods give unrelated pseudonyms, so the collector can count installs per
 * period but cannot link one period to the next.
 */
export function pseudonymFor(secret: Uint8Array, catalogId: string, period: string): string {
  return createHmac('sha256', secret).update(`${catalogId}:${period}`).digest('hex');
}

/**
 * The pseudonyms of every period from `fromMs` to `toMs` (a retention window), oldest first:
 * what a deletion or export request names.
 */
export function windowPseudonyms(secret: Uint8Array, catalogId: string, linkage: Linkage, fromMs: number, toMs: number): string[] {
  return periodsBetween(Math.min(fromMs, toMs), toMs, linkage).map((p) => pseudonymFor(secret, catalogId, p));
}
