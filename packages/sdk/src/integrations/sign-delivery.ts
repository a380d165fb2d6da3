import { createHmac } from 'node:crypto';

/** The header that carries a delivery's signature. */
export const SIGNATURE_HEADER = 'Candor-Signature';

/** A signing key: a string (its UTF-8 bytes) or raw bytes. */
export type SigningSecret = string | Uint8Array;

/** The hex HMAC-SHA256 of `${timestampSeconds}.${body}` under `secret`. */
export function deliverySignature(secret: SigningSecret, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
}

/**
 * Signs a delivery: the value of the `Candor-Signature` header, `t=<unix seconds>,v1=<hex>`,
 * where `v1` is HMAC-SHA256 over `${t}.${body}`. The timestamp is signed with the body so
 * that a captured delivery cannot be replayed later (receivers refuse old timestamps).
 * @example signDelivery('whsec_…', '{"event":"media.play"}', 1767225600) // 't=1767225600,v1=5f0c…'
 */
export function signDelivery(secret: SigningSecret, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${deliverySignature(secret, timestampSeconds, body)}`;
}
