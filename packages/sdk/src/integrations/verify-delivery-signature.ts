import { timingSafeEqual } from 'node:crypto';
import { deliverySignature, type SigningSecret } from './sign-delivery.js';

/** What a receiver checks a delivery with. */
export interface VerifyDeliveryInput {
  readonly secret: SigningSecret;
  /** The raw request body, exactly as received (before any JSON parsing). */
  readonly body: string;
  /** The `Candor-Signature` header. */
  readonly header: string | undefined;
  /** Now, in Unix seconds. @default the current time */
  readonly nowSeconds?: number;
  /** How old (or how far ahead) a timestamp may be. @default 300 */
  readonly toleranceSeconds?: number;
}

/** The verdict on a delivery. */
export type VerifyDeliveryResult =
  | { readonly ok: true; readonly timestampSeconds: number }
  | { readonly ok: false; readonly reason: 'malformed' | 'expired' | 'mismatch' };

/**
 * Checks a delivery's `Candor-Signature` header: the format, the timestamp's age, and the
 * HMAC-SHA256 over `${t}.${body}`, compared in constant time. Any `v1` entry may match (a
 * sender rotating its secret signs with both).
 */
export function verifyDeliverySignature(input: VerifyDeliveryInput): VerifyDeliveryResult {
  const header = input.header;
  if (typeof header !== 'string' || header.length > 2048) return { ok: false, reason: 'malformed' };
  let t: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(value);
  }
  if (t === undefined || candidates.length === 0) return { ok: false, reason: 'malformed' };
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (input.toleranceSeconds ?? 300)) return { ok: false, reason: 'expired' };
  const expected = Buffer.from(deliverySignature(input.secret, t, input.body), 'hex');
  const match = candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected));
  return match ? { ok: true, timestampSeconds: t } : { ok: false, reason: 'mismatch' };
}
