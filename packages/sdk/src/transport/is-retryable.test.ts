import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@candor/protocol';
import { isRetryable } from './is-retryable.js';

describe('isRetryable', () => {
  it('retries 408, 429 and 5xx except 501 and 505', () => {
    for (const status of [408, 429, 500, 502, 503, 504, 507, 599]) expect(isRetryable({ status }), String(status)).toBe(true);
    for (const status of [200, 202, 301, 400, 401, 403, 404, 405, 409, 413, 415, 422, 431, 501, 505]) expect(isRetryable({ status }), String(status)).toBe(false);
  });

  it('agrees with the collector’s documented codes: a bad batch is refused for good, an outage or rate limit is retried', () => {
    for (const code of ['BODY_TOO_LARGE', 'MALFORMED_BODY', 'INVALID_BATCH', 'UNKNOWN_CATALOG', 'INVALID_EVENTS', 'TOO_MANY_EVENTS', 'PERIOD_MISMATCH'] as const) {
      expect(isRetryable({ status: ERROR_CODES[code].status }), code).toBe(false);
    }
    for (const code of ['RATE_LIMITED', 'REQUEST_TIMEOUT', 'STORE_UNAVAILABLE', 'INTERNAL'] as const) expect(isRetryable({ status: ERROR_CODES[code].status }), code).toBe(true);
  });
});
