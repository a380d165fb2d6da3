import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCatalog, enumeration, type CatalogSpec } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { PATHS, periodsBetween, type DeleteResponse, type ExportResponse } from '@candor/protocol';
import { describe, expect, it } from 'vitest';
import { createTelemetry, type Telemetry, type TelemetryOptions } from '../../src/index.js';
import { createCaptureServer } from '../../src/testing/index.js';
import { batchesOf, clientRaw, mediaServerCategoryOf, playbackRaw, realSleep, tempDir, useCaptureServer, waitUntil } from './helpers.js';

const DAY = 86_400_000;
const capture = useCaptureServer({ categoryOf: mediaServerCategoryOf });

function start<S extends CatalogSpec>(catalog: S, dataDir: string, clock: { t: number }, extra: Partial<TelemetryOptions<S>> = {}): Telemetry<S> {
  const c = createTelemetry<S>({ catalog, endpoint: capture.server.url, dataDir, env: {}, now: () => clock.t, onDiagnostic: () => {}, ...extra });
  capture.track(c);
  return c;
}

/** Writes an install secret created `ageDays` ago, as a long-running install has. */
function oldSecret(dataDir: string, nowMs: number, ageDays: number): Buffer {
  const secret = Buffer.alloc(32, 7);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'install-secret.json'), JSON.stringify({ v: 1, secret: secret.toString('hex'), createdAt: new Date(nowMs - ageDays * DAY).toISOString() }), { mode: 0o600 });
  return secret;
}
const hmac = (secret: Buffer, catalogId: string, period: string): string => createHmac('sha256', secret).update(`${catalogId}:${period}`).digest('hex');

describe('deleteMyData()', () => {
  it('sends the pseudonyms of the whole retention window, clears the outbox, resets the secret', async () => {
    const clock = { t: Date.UTC(2027, 2, 10, 15) };
    const dataDir = tempDir();
    const secret = oldSecret(dataDir, clock.t, 900);
    const client = start(mediaServerCatalog, dataDir, clock, { flushIntervalMs: 86_400_000 });
    for (let i = 0; i < 5; i++) client.record('playback.session', playbackRaw(i));
    client.record('client.session', clientRaw);
    client.extensions.commitNow();
    expect(client.stats().queued).toBeGreaterThan(0);

    const result = await client.deleteMyData();
    expect(result.status).toBe('ok');
    const requests = capture.server.subjectRequests(PATHS.subjectsDelete);
    expect(requests).toHaveLength(1);
    // The longest retention in the catalog (marketing, 730 days) bounds the window.
    const maxRetention = Math.max(...Object.values(mediaServerCatalog.events).map((e) => e.retentionDays));
    const expected = periodsBetween(clock.t - maxRetention * DAY, clock.t, 'day').map((p) => hmac(secret, 'media-server', p));
    expect(requests[0]).toEqual({ catalogId: 'media-server', pseudonyms: expected });
    expect(requests[0]!.pseudonyms).toHaveLength(maxRetention + 1);

    const s = client.stats();
    expect(s.queued).toBe(0);
    expect(s.held).toBe(0);
    expect(s.dropped.deleted).toBeGreaterThanOrEqual(5);
    const after = JSON.parse(readFileSync(join(dataDir, 'install-secret.json'), 'utf8')) as { secret: string };
    expect(after.secret).not.toBe(secret.toString('hex'));
    const entry = client.sentLog.list({ kind: 'deletion' })[0]!;
    expect(entry.body).toBe(JSON.stringify(requests[0]));
    expect(entry.status).toBe('delivered');
    expect((JSON.parse(entry.detail!) as DeleteResponse).effectiveAt).toMatch(/^\d{4}-/);
    // Nothing queued before the deletion leaves afterwards.
    clock.t += DAY;
    await client.flush();
    expect(batchesOf(capture.server.requests).flatMap((b) => b.events).filter((e) => e.name !== 'consent.daily')).toEqual([]);
  });

  it('splits a window longer than the protocol allows into several requests', async () => {
    const longCatalog = defineCatalog({
      id: 'long-retention',
      version: '1.0.0',
      effectiveDate: '2026-01-01',
      linkagePeriod: 'day',
      categories: { usage: { title: 'Usage', description: 'Usage.', required: true, defaultOn: true, ownerText: 'Required.', maxRetentionDays: 1500 } },
      events: { 'app.open': { category: 'usage', description: 'Opened.', purpose: 'Count.', retentionDays: 1500, maxPerPeriod: 5, fields: { platform: { description: 'Platform.', generalize: enumeration({ values: ['a', 'b'] }) } } } },
    });
    const clock = { t: Date.UTC(2027, 0, 1, 12) };
    const dataDir = tempDir();
    const secret = oldSecret(dataDir, clock.t, 2000);
    const client = start(longCatalog, dataDir, clock);
    expect((await client.deleteMyData()).status).toBe('ok');
    const requests = capture.server.subjectRequests(PATHS.subjectsDelete);
    expect(requests.map((r) => r.pseudonyms.length)).toEqual([1000, 501]);
    expect(requests.flatMap((r) => r.pseudonyms)).toEqual(periodsBetween(clock.t - 1500 * DAY, clock.t, 'day').map((p) => hmac(secret, 'long-retention', p)));
  });

  it('answers pending when the collector is down, keeps the request across a restart, and delivers it later', async () => {
    const clock = { t: Date.UTC(2027, 3, 1, 10) };
    const dataDir = tempDir();
    const client = start(mediaServerCatalog, dataDir, clock, { subjectRequestTimeoutMs: 300, maxAttempts: 1 });
    client.record('client.session', clientRaw);
    await client.flush();
    const pseudonymBefore = capture.server.batches()[0]!.pseudonym;
    await capture.server.stop();
    const result = await client.deleteMyData();
    expect(result).toMatchObject({ status: 'pending' });
    await client.shutdown();
    await capture.server.start();
    // Time passes before the next start; the kept request is due again.
    clock.t += 3_600_000;

    const again = start(mediaServerCatalog, dataDir, clock, { retryBaseMs: 10, maxRetryDelayMs: 20 });
    await waitUntil(() => capture.server.subjectRequests(PATHS.subjectsDelete).length === 1, 'the deletion request to arrive after the restart');
    const request = capture.server.subjectRequests(PATHS.subjectsDelete)[0]!;
    expect(request.pseudonyms).toEqual([pseudonymBefore]);
    // The stored batch of the old pseudonym is gone at the collector (the restarted client's
    // consent.daily, under the new secret, is new data).
    expect(capture.server.batches().filter((b) => b.pseudonym === pseudonymBefore).flatMap((b) => b.events)).toEqual([]);
    await waitUntil(() => again.sentLog.list({ kind: 'deletion' })[0]?.status === 'delivered', 'the sent log to record the acknowledgement');
  });

  it('lets nothing under the old pseudonyms arrive after the deletion', async () => {
    // Its own collector: the order of arrival is the point, so no late request of another test may mix in.
    const own = await createCaptureServer();
    const clock = { t: Date.UTC(2027, 4, 1, 10) };
    const client = createTelemetry({ catalog: mediaServerCatalog, endpoint: own.url, dataDir: tempDir(), env: {}, now: () => clock.t, onDiagnostic: () => {} });
    capture.track(client);
    for (let i = 0; i < 20; i++) client.record('client.session', clientRaw);
    client.extensions.commitNow();
    // The collector stores the batch at once but answers slowly: the batch is in flight when the owner deletes.
    own.setDelayMs(300);
    const flushing = client.flush();
    await waitUntil(() => own.requests.some((r) => r.path === PATHS.batches), 'the batch to reach the collector');
    const deleting = client.deleteMyData();
    await Promise.all([flushing, deleting]);
    own.setDelayMs(0);
    await realSleep(350);
    const order = own.requests.map((r) => r.path);
    expect(order.indexOf(PATHS.subjectsDelete)).toBeGreaterThan(order.indexOf(PATHS.batches));
    // Whatever the new secret sends later is new data; under the deleted pseudonyms nothing is left.
    const deleted = new Set(own.subjectRequests(PATHS.subjectsDelete).flatMap((r) => r.pseudonyms));
    expect(own.batches().filter((b) => deleted.has(b.pseudonym)).flatMap((b) => b.events)).toEqual([]);
    expect(own.batches().some((b) => deleted.has(b.pseudonym))).toBe(true);
    await client.shutdown({ flush: false });
    await own.close();
  });
});

describe('exportMyData()', () => {
  it('returns what the collector holds under the install’s pseudonyms, and logs the request', async () => {
    const clock = { t: Date.UTC(2027, 5, 1, 10) };
    const client = start(mediaServerCatalog, tempDir(), clock);
    client.record('client.session', clientRaw);
    await client.flush();
    const result = await client.exportMyData();
    expect(result.status).toBe('ok');
    const events = (result as { response: ExportResponse }).response.events;
    expect(events.map((e) => e.name).sort()).toEqual(['client.session', 'consent.daily']);
    expect(events[0]!.pseudonym).toBe(capture.server.batches()[0]!.pseudonym);
    const entry = client.sentLog.list({ kind: 'export' })[0]!;
    expect(entry.body).toBe(JSON.stringify(capture.server.subjectRequests(PATHS.subjectsExport)[0]));
    expect(entry.status).toBe('delivered');
  });

  it('fails with the collector’s error code when refused', async () => {
    const client = start(mediaServerCatalog, tempDir(), { t: Date.UTC(2027, 5, 2, 10) });
    capture.server.respondNext({ status: 400, code: 'INVALID_SUBJECT_REQUEST' });
    expect(await client.exportMyData()).toMatchObject({ status: 'failed', error: { code: 'INVALID_SUBJECT_REQUEST', httpStatus: 400 } });
    expect(client.sentLog.list({ kind: 'export' })[0]!.status).toBe('rejected');
  });
});
