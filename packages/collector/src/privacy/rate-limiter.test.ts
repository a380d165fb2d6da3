import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

describe('rate limiter', () => {
  it('allows the limit per window per key, refills continuously, and says when to retry', () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 3, windowMs: 60_000 }, () => now);
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    const refused = limiter.take('a');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 20 });
    expect(limiter.take('b').allowed).toBe(true);
    now += 20_000;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('forgets clients whose bucket is full again, and does nothing at limit 0', () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 2, windowMs: 1000 }, () => now);
    for (let i = 0; i < 100; i++) limiter.take(`client-${i}`);
    expect(limiter.size).toBe(100);
    now += 5000;
    limiter.take('late');
    expect(limiter.size).toBe(1);
    const off = createRateLimiter({ limit: 0, windowMs: 1000 });
    for (let i = 0; i < 10; i++) expect(off.take('x').allowed).toBe(true);
  });
});
