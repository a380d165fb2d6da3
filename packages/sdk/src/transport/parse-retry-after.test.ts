import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from './parse-retry-after.js';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 7 ', NOW)).toBe(7000);
    expect(parseRetryAfter(['3', '9'], NOW)).toBe(3000);
  });
  it('reads an HTTP-date, and a date in the past means now', () => {
    expect(parseRetryAfter('Sun, 29 Nov 2026 12:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 11:00:00 GMT', NOW)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    for (const v of [undefined, '', '-5', '1.5', 'soon', '2026-11-29T12:00:30Z', 'Sun, 29 Nov 2026 12:00:30']) expect(parseRetryAfter(v, NOW), String(v)).toBeUndefined();
  });
  it('caps absurd waits', () => {
    expect(parseRetryAfter('99999999', NOW)).toBe(MAX_RETRY_AFTER_MS);
  });
});
