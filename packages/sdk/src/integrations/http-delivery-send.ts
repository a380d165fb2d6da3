import { classifyResponse } from '../transport/classify-response.js';
import type { DeliverySend } from './deliver-with-retry.js';

/** Options of {@link createHttpDeliverySend}. */
export interface HttpDeliverySendOptions {
  /** Deadline of one attempt. @default 10000 */
  readonly timeoutMs?: number;
  /** Clock for `Retry-After` dates. @default Date.now */
  readonly now?: () => number;
}

/**
 * The default delivery for webhooks: an HTTPS (or HTTP) POST of the body to the destination.
 * Redirects are refused, not followed: a delivery goes where the owner was told it goes, or
 * nowhere. 2xx is delivered; 408, 429 and 5xx are retried (with `Retry-After`); other
 * answers are permanent.
 */
export function createHttpDeliverySend(options: HttpDeliverySendOptions = {}): DeliverySend {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  return async (request) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([deadline, request.signal]);
    try {
      const response = await fetch(request.destination, { method: 'POST', body: request.body, headers: request.headers, redirect: 'manual', signal });
      const text = await response.text().catch(() => '');
      if (response.status >= 300 && response.status < 400) {
        return { status: 'fail', error: { code: 'REDIRECT_REFUSED', message: `the receiver redirected (HTTP ${response.status}); deliveries only go to the declared destination`, httpStatus: response.status } };
      }
      return classifyResponse(response.status, response.headers.get('retry-after') ?? undefined, text, now());
    } catch (err) {
      const code = deadline.aborted ? 'TIMEOUT' : request.signal.aborted ? 'ABORTED' : networkCode(err);
      return { status: 'retry', error: { code, message: err instanceof Error ? err.message : String(err) } };
    }
  };
}

function networkCode(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(cause.code) ? cause.code : 'NETWORK_ERROR';
}
