import { isRetryable } from './is-retryable.js';
import { parseRetryAfter } from './parse-retry-after.js';
import type { TransportResult } from './types.js';

/**
 * Turns an HTTP answer into a transport result: 2xx is delivered; a retryable status is a
 * retry (after its `Retry-After`, if any); any other status fails for good with the
 * collector's error code from its `{ error: { code, message } }` body.
 */
export function classifyResponse(status: number, retryAfter: string | readonly string[] | undefined, bodyText: string, nowMs: number): TransportResult {
  const body = parseJson(bodyText);
  if (status >= 200 && status < 300) return { status: 'ok', httpStatus: status, body };
  const { code, message } = errorOf(body, status);
  const error = { code, message, httpStatus: status };
  if (isRetryable({ status })) {
    const afterMs = parseRetryAfter(retryAfter, nowMs);
    return afterMs === undefined ? { status: 'retry', error } : { status: 'retry', afterMs, error };
  }
  return { status: 'fail', error };
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function errorOf(body: unknown, status: number): { code: string; message: string } {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof e?.code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(e.code) ? e.code : `HTTP_${status}`;
  const message = typeof e?.message === 'string' ? e.message.slice(0, 500) : `the collector answered HTTP ${status}`;
  return { code, message };
}
