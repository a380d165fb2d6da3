import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRetryingTransport } from './retrying-transport.js';
import type { Transport, TransportRequest, TransportResult } from './types.js';

const retry = (afterMs?: number): TransportResult => ({ status: 'retry', ...(afterMs === undefined ? {} : { afterMs }), error: { code: 'HTTP_503', message: 'busy', httpStatus: 503 } });
const ok: TransportResult = { status: 'ok', httpStatus: 202, body: null };

function scripted(results: TransportResult[]): Transport & { calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    async send() {
      calls.push(Date.now());
      return results.shift() ?? ok;
    },
  };
}
const request: TransportRequest = { kind: 'batch', path: '/v1/batches', body: '{}' };

afterEach(() => void vi.useRealTimers());

describe('createRetryingTransport', () => {
  it('waits a full-jitter exponential backoff between attempts', async () => {
    vi.useFakeTimers({ now: 0 });
    const inner = scripted([retry(), retry(), retry()]);
    const draws = [0.25, 0.5, 0.999];
    const t = createRetryingTransport(inner, { maxAttempts: 4, initialBackoffMs: 100, maxBackoffMs: 10_000, random: () => draws.shift()! });
    const p = t.send(request);
    await vi.runAllTimersAsync();
    expect(await p).toEqual(ok);
    // Draws × 100, 200, 400 ms.
    expect(inner.calls).toEqual([0, 25, 125, 524]);
  });

  it('caps the backoff ceiling at maxBackoffMs', async () => {
    vi.useFakeTimers({ now: 0 });
    const inner = scripted([retry(), retry(), retry(), retry()]);
    const t = createRetryingTransport(inner, { maxAttempts: 5, initialBackoffMs: 1000, maxBackoffMs: 3000, random: () => 0.999_999 });
    const p = t.send(request);
    await vi.runAllTimersAsync();
    await p;
    expect(inner.calls.slice(1).map((c, i) => c - inner.calls[i]!)).toEqual([999, 1999, 2999, 2999]);
  });

  it('honours Retry-After exactly, and hands a longer one back to the outbox', async () => {
    vi.useFakeTimers({ now: 0 });
    const inner = scripted([retry(1500), retry(60_000)]);
    const seen: number[] = [];
    const t = createRetryingTransport(inner, { maxAttempts: 5, initialBackoffMs: 100, maxBackoffMs: 30_000, random: () => 0, onRetry: (i) => void seen.push(i.delayMs) });
    const p = t.send(request);
    await vi.runAllTimersAsync();
    expect(await p).toEqual(retry(60_000));
    expect(inner.calls).toEqual([0, 1500]);
    expect(seen).toEqual([1500]);
  });

  it('stops after maxAttempts and returns the last failure; permanent failures are not retried', async () => {
    vi.useFakeTimers({ now: 0 });
    const inner = scripted([retry(), retry(), retry()]);
    const t = createRetryingTransport(inner, { maxAttempts: 2, initialBackoffMs: 10, maxBackoffMs: 100, random: () => 0.5 });
    const p = t.send(request);
    await vi.runAllTimersAsync();
    expect((await p).status).toBe('retry');
    expect(inner.calls).toHaveLength(2);
    const fail: TransportResult = { status: 'fail', error: { code: 'INVALID_EVENTS', message: 'x', httpStatus: 422 } };
    const permanent = scripted([fail]);
    expect(await createRetryingTransport(permanent, { maxAttempts: 5, initialBackoffMs: 10, maxBackoffMs: 100, random: () => 0.5 }).send(request)).toEqual(fail);
    expect(permanent.calls).toHaveLength(1);
  });

  it('gives up the wait at once when the request is aborted', async () => {
    vi.useFakeTimers({ now: 0 });
    const inner = scripted([retry(20_000)]);
    const controller = new AbortController();
    const t = createRetryingTransport(inner, { maxAttempts: 5, initialBackoffMs: 10, maxBackoffMs: 30_000, random: () => 0.5 });
    const p = t.send({ ...request, signal: controller.signal });
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect((await p).status).toBe('retry');
    expect(inner.calls).toHaveLength(1);
  });
});
