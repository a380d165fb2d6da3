import type { Random } from '../linkage/sample-period.js';
import { sleep } from '../util/timers.js';
import { backoffDelay } from './backoff.js';
import type { Transport, TransportRequest, TransportResult } from './types.js';

/** Options of {@link createRetryingTransport}. */
export interface RetryingTransportOptions {
  /** Attempts per request, the first included. */
  readonly maxAttempts: number;
  /** Backoff base: the first retry waits up to this long. */
  readonly initialBackoffMs: number;
  /** Longest wait between two attempts; a longer Retry-After ends the request and leaves the wait to the outbox. */
  readonly maxBackoffMs: number;
  readonly random: Random;
  /** Told of every scheduled retry (diagnostics and tests). */
  readonly onRetry?: (info: { readonly request: TransportRequest; readonly attempt: number; readonly delayMs: number; readonly result: TransportResult }) => void;
}

/**
 * Retries a request that failed in a retryable way: exponential backoff with full jitter, or
 * exactly the collector's `Retry-After` on 429/503. The request is resent unchanged, batch
 * key included, so the collector counts it once. Gives back the last `retry` result when
 * attempts run out; the outbox then keeps the batch for later.
 */
export function createRetryingTransport(inner: Transport, options: RetryingTransportOptions): Transport {
  return {
    async send(request) {
      for (let attempt = 1; ; attempt++) {
        const result = await inner.send(request);
        if (result.status !== 'retry' || attempt >= options.maxAttempts || request.signal?.aborted) return result;
        const delayMs = result.afterMs ?? backoffDelay(attempt, options.initialBackoffMs, options.maxBackoffMs, options.random);
        if (delayMs > options.maxBackoffMs) return result;
        options.onRetry?.({ request, attempt, delayMs, result });
        await sleep(delayMs, request.signal, request.keepAlive === true);
        if (request.signal?.aborted) return result;
      }
    },
    close: () => inner.close?.(),
  };
}
