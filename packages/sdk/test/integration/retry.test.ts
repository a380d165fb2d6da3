import { mediaServerCatalog } from '@candor/catalog/media-server';
import { PATHS } from '@candor/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTelemetry, type Telemetry, type TelemetryDiagnostic, type TelemetryOptions } from '../../src/index.js';
import { batchesOf, clientRaw, realSleep, tempDir, useCaptureServer, waitUntil } from './helpers.js';

type Catalog = typeof mediaServerCatalog;
const capture = useCaptureServer();
afterEach(() => {
  vi.useRealTimers();
});

function start(diagnostics: TelemetryDiagnostic[], extra: Partial<TelemetryOptions<Catalog>> = {}): Telemetry<Catalog> {
  const c = createTelemetry({
    catalog: mediaServerCatalog,
    endpoint: capture.server.url,
    dataDir: tempDir(),
    env: {},
    // The middle of every jitter range, so that each delay is known exactly.
    random: () => 0.5,
    onDiagnostic: (d) => void diagnostics.push(d),
    ...extra,
  });
  capture.track(c);
  return c;
}

const retries = (d: TelemetryDiagnostic[], scope: 'request' | 'outbox') => d.filter((x): x is Extract<TelemetryDiagnostic, { type: 'retry_scheduled' }> => x.type === 'retry_scheduled' && x.scope === scope);

/** Fake timers for the SDK's waits; I/O and setImmediate stay real. */
function fakeTime(startMs: number): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: startMs });
}

/** Expects the next attempt exactly `delayMs` after the last one: not a millisecond before. */
async function expectNextAttemptAfter(delayMs: number): Promise<void> {
  const count = capture.server.requests.length;
  await vi.advanceTimersByTimeAsync(delayMs - 1);
  await realSleep(40);
  expect(capture.server.requests.length).toBe(count);
  await vi.advanceTimersByTimeAsync(1);
  await waitUntil(() => capture.server.requests.length === count + 1, `attempt ${count + 1}`);
}

describe('retry and backoff (fake timers, real HTTP)', () => {
  it('honours Retry-After on 503 and 429, backs off exponentially with full jitter otherwise, and resends the same request', async () => {
    fakeTime(Date.UTC(2027, 0, 5, 10));
    const diagnostics: TelemetryDiagnostic[] = [];
    const client = start(diagnostics, { maxAttempts: 5, initialBackoffMs: 1000, maxBackoffMs: 60_000 });
    client.record('client.session', clientRaw);
    capture.server.respondNext({ status: 503, retryAfter: '7' }, { status: 503 }, { status: 429, retryAfter: '2' }, { status: 500 });
    const flushing = client.flush();
    await waitUntil(() => capture.server.requests.length === 1, 'the first attempt');

    await waitUntil(() => retries(diagnostics, 'request').length === 1, 'retry 1');
    expect(retries(diagnostics, 'request')[0]).toMatchObject({ attempt: 1, delayMs: 7000, reason: 'STORE_UNAVAILABLE', kind: 'batch' });
    await expectNextAttemptAfter(7000);
    // No Retry-After: a uniform draw below 1 s × 2^(attempt − 1); the injected 0.5 picks the middle.
    await waitUntil(() => retries(diagnostics, 'request').length === 2, 'retry 2');
    expect(retries(diagnostics, 'request')[1]).toMatchObject({ attempt: 2, delayMs: 1000 });
    await expectNextAttemptAfter(1000);
    await waitUntil(() => retries(diagnostics, 'request').length === 3, 'retry 3');
    expect(retries(diagnostics, 'request')[2]).toMatchObject({ attempt: 3, delayMs: 2000, reason: 'STORE_UNAVAILABLE' });
    await expectNextAttemptAfter(2000);
    await waitUntil(() => retries(diagnostics, 'request').length === 4, 'retry 4');
    expect(retries(diagnostics, 'request')[3]).toMatchObject({ attempt: 4, delayMs: 4000 });
    await expectNextAttemptAfter(4000);
    await flushing;

    const attempts = capture.server.requests.filter((r) => r.path === PATHS.batches);
    expect(attempts).toHaveLength(5);
    expect(attempts.slice(1).map((r, i) => r.atMs - attempts[i]!.atMs)).toEqual([7000, 1000, 2000, 4000]);
    expect(new Set(attempts.map((r) => r.body)).size).toBe(1);
    expect(new Set(batchesOf(attempts).map((b) => b.batchKey)).size).toBe(1);
    expect(capture.server.batches()).toHaveLength(1);
    expect(client.stats()).toMatchObject({ delivered: 2, batchesDelivered: 1, queued: 0 });
  });

  it('keeps a batch in the outbox between rounds, with its key, until the collector is back', async () => {
    fakeTime(Date.UTC(2027, 0, 6, 10));
    const diagnostics: TelemetryDiagnostic[] = [];
    const client = start(diagnostics, { maxAttempts: 1, retryBaseMs: 30_000, maxRetryDelayMs: 3_600_000 });
    client.record('client.session', clientRaw);
    await capture.server.stop();
    await client.flush();
    expect(retries(diagnostics, 'outbox')[0]).toMatchObject({ attempt: 1, delayMs: 15_000, reason: 'ECONNREFUSED' });
    expect(client.stats().queued).toBe(2);
    const firstBody = client.sentLog.list()[0]!.body;

    await vi.advanceTimersByTimeAsync(16_000);
    await waitUntil(() => retries(diagnostics, 'outbox').length === 2, 'the second round');
    expect(retries(diagnostics, 'outbox')[1]).toMatchObject({ attempt: 2, delayMs: 30_000 });
    await capture.server.start();
    await vi.advanceTimersByTimeAsync(31_000);
    await waitUntil(() => client.stats().delivered === 2, 'delivery once the collector is back');
    expect(capture.server.requests.map((r) => r.body)).toEqual([firstBody]);
    expect(client.sentLog.list()).toHaveLength(1);
    expect(client.sentLog.list()[0]).toMatchObject({ status: 'delivered', body: firstBody });
  });

  it('leaves a Retry-After longer than the in-request limit to the outbox, to the millisecond', async () => {
    fakeTime(Date.UTC(2027, 0, 7, 10));
    const diagnostics: TelemetryDiagnostic[] = [];
    const client = start(diagnostics, { maxAttempts: 3, maxBackoffMs: 60_000 });
    client.record('client.session', clientRaw);
    capture.server.respondNext({ status: 503, retryAfter: '120' });
    await client.flush();
    expect(retries(diagnostics, 'request')).toEqual([]);
    expect(retries(diagnostics, 'outbox')[0]).toMatchObject({ delayMs: 120_000 });
    await expectNextAttemptAfter(120_000);
    await waitUntil(() => client.stats().delivered === 2, 'delivery');
  });
});

describe('permanent refusals, timeouts and concurrency', () => {
  it('drops a batch the collector refuses with a 4xx, counted under its error code, without retrying', async () => {
    const diagnostics: TelemetryDiagnostic[] = [];
    const client = start(diagnostics);
    client.record('client.session', clientRaw);
    capture.server.respondNext({ status: 422, code: 'INVALID_EVENTS' });
    await client.flush();
    expect(capture.server.requests).toHaveLength(1);
    const s = client.stats();
    expect(s.dropped.rejected).toBe(2);
    expect(s.rejectedByCode).toEqual({ INVALID_EVENTS: 2 });
    expect(s.queued).toBe(0);
    expect(client.sentLog.list()[0]).toMatchObject({ status: 'rejected' });
    expect(client.sentLog.list()[0]!.detail).toMatch(/^INVALID_EVENTS/);
    expect(diagnostics.some((d) => d.type === 'warning' && d.warning.code === 'BATCH_REJECTED')).toBe(true);
  });

  it('gives up a request that takes longer than timeoutMs and keeps the batch', async () => {
    const diagnostics: TelemetryDiagnostic[] = [];
    const client = start(diagnostics, { timeoutMs: 200, maxAttempts: 1 });
    client.record('client.session', clientRaw);
    capture.server.setDelayMs(3000);
    await client.flush();
    expect(retries(diagnostics, 'outbox')[0]).toMatchObject({ reason: 'TIMEOUT' });
    expect(client.stats().queued).toBe(2);
    expect(client.stats().delivered).toBe(0);
  });

  it('has at most maxConcurrentRequests requests in flight', async () => {
    const client = start([], { maxBatchEvents: 5, maxConcurrentRequests: 2 });
    for (let i = 0; i < 40; i++) client.record('client.session', { ...clientRaw, clientVersion: `${i}.0` });
    capture.server.setDelayMs(60);
    await client.flush();
    expect(capture.server.requests.length).toBeGreaterThanOrEqual(8);
    expect(capture.server.maxInFlight()).toBe(2);
    expect(client.stats().delivered).toBe(41);
  });
});
