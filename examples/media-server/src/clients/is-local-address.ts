import { isIPv4 } from 'node:net';

/**
 * Whether a client address is this machine or a private network (RFC 1918, RFC 4193, link-local).
 * Used only to tell the owner's webhook whether a player is at home; never reported to Candor.
 */
export function isLocalAddress(address: string | undefined): boolean {
  if (address === undefined || address === '') return false;
  const v4 = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  if (isIPv4(v4)) {
    const [a = 0, b = 0] = v4.split('.').map(Number);
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  const lower = address.toLowerCase();
  return lower === '::1' || /^f[cd][0-9a-f]{2}:/.test(lower) || /^fe[89ab][0-9a-f]:/.test(lower);
}
