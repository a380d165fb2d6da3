import type { Random } from '../linkage/sample-period.js';
import { backoffDelay } from '../transport/backoff.js';
import type { TransportError, TransportResult } from '../transport/types.js';
import { sleep } from '../util/timers.js';

/** One delivery attempt as a send function receives it. */
export interface DeliveryRequest {
  /** The integration's declared destination. */
  readonly destination: string;
  /** The exact bytes to send. */
  readonly body: string;
  /** Headers to send with it: content type, signature, delivery id. */
  readonly headers: Readonly<Record<string, string>>;
  /** Aborted when the delivery must stop (consent withdrawn, shutdown). */
  readonly signal: AbortSignal;
}

/**
 * Sends one delivery attempt. Never rejects: `ok`, `retry` (after `afterMs` when the
 * receiver said so) or `fail` for good, as the telemetry transport answers.
 */
export type DeliverySend = (request: DeliveryRequest) => Promise<TransportResult>;

/** How a delivery ended. */
export type DeliveryOutcome =
  | { readonly status: 'delivered'; readonly attempts: number; readonly httpStatus: number }
  | { readonly status: 'rejected'; readonly attempts: number; readonly error: TransportError }
  | { readonly status: 'failed'; readonly attempts: number; readonly error: TransportError }
  /** Stopped before it was delivered: consent was withdrawn or the integration closed. */
  | { readonly status: 'stopped'; readonly attempts: number };

/** Retry policy and hooks of {@link deliverWithRetry}. */
export interface DeliverWithRetryOptions {
  readonly send: DeliverySend;
  readonly destination: string;
  readonly body: string;
  /** Headers for one attempt; called per attempt so that each is signed with a fresh timestamp. */
  headers(): Record<string, string>;
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  /** Longest `Retry-After` honoured; a receiver asking for longer is waited for this long. */
  readonly maxRetryAfterMs: number;
  readonly random: Random;
  /** Checked before every attempt: false stops the delivery. */
  mayContinue(): boolean;
  /** Aborts waiting and sending. */
  readonly signal: AbortSignal;
  /** Called just before each attempt leaves (the first one writes the sent log). */
  onAttempt?(attempt: number): void;
}

/**
 * Delivers one body: attempts with exponential backoff and full jitter between them, honours
 * `Retry-After`, stops at once on a permanent refusal or when `mayContinue()` turns false.
 * Never rejects.
 */
export async function deliverWithRetry(o: DeliverWithRetryOptions): Promise<DeliveryOutcome> {
  let lastError: TransportError = { code: 'NOT_SENT', message: 'no attempt was made' };
  for (let attempt = 1; attempt <= o.maxAttempts; attempt++) {
    if (o.signal.aborted || !o.mayContinue()) return { status: 'stopped', attempts: attempt - 1 };
    o.onAttempt?.(attempt);
    let result: TransportResult;
    try {
      result = await o.send({ destination: o.destination, body: o.body, headers: o.headers(), signal: o.signal });
    } catch (err) {
      // A host-supplied send that throws is treated as a network failure, not a crash.
      result = { status: 'retry', error: { code: 'SEND_THREW', message: err instanceof Error ? err.message : String(err) } };
    }
    if (result.status === 'ok') return { status: 'delivered', attempts: attempt, httpStatus: result.httpStatus };
    if (result.status === 'fail') return { status: 'rejected', attempts: attempt, error: result.error };
    lastError = result.error;
    if (attempt === o.maxAttempts) break;
    const wait = result.afterMs !== undefined ? Math.min(result.afterMs, o.maxRetryAfterMs) : backoffDelay(attempt, o.initialBackoffMs, o.maxBackoffMs, o.random);
    await sleep(wait, o.signal);
  }
  if (o.signal.aborted || !o.mayContinue()) return { status: 'stopped', attempts: o.maxAttempts };
  return { status: 'failed', attempts: o.maxAttempts, error: lastError };
}
