/** A limit: `limit` requests per `windowMs`, refilled continuously (token bucket). */
export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** The decision for one request. */
export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** Per-key token buckets. */
export interface RateLimiter {
  take(key: string): RateDecision;
  /** Keys currently tracked. */
  readonly size: number;
}

/**
 * In-memory token buckets per key. Buckets that are full again are dropped on a sweep, so
 * memory follows the number of recently active clients. A limit of 0 disables limiting.
 */
export function createRateLimiter(rule: RateLimit, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { tokens: number; atMs: number }>();
  const ratePerMs = rule.limit / rule.windowMs;
  let lastSweepMs = now();
  return {
    take(key) {
      if (rule.limit <= 0) return { allowed: true };
      const t = now();
      if (t - lastSweepMs > rule.windowMs) {
        lastSweepMs = t;
        for (const [k, b] of buckets) if (b.tokens + (t - b.atMs) * ratePerMs >= rule.limit) buckets.delete(k);
      }
      const b = buckets.get(key) ?? { tokens: rule.limit, atMs: t };
      b.tokens = Math.min(rule.limit, b.tokens + (t - b.atMs) * ratePerMs);
      b.atMs = t;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / ratePerMs / 1000)) };
    },
    get size() {
      return buckets.size;
    },
  };
}
