/** Upper bound on an honoured Retry-After, so that a broken collector cannot park the outbox for days. */
export const MAX_RETRY_AFTER_MS = 6 * 3_600_000;

/**
 * Reads a `Retry-After` header (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date.
 * Returns milliseconds to wait (0 for a date in the past), or undefined when absent or unreadable.
 * Capped at {@link MAX_RETRY_AFTER_MS}.
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, nowMs: number): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== 'string') return undefined;
  const text = v.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  // Only the IMF-fixdate and obsolete forms carry a weekday and a GMT zone; Date.parse reads all three.
  if (!/GMT$/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - nowMs), MAX_RETRY_AFTER_MS);
}
