import { gzipSync } from 'node:zlib';
import { defineCatalog, boolean as booleanField } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { ERROR_CODES, LIMITS, PATHS } from '@candor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../src/errors.js';
import type { CollectorStore } from '../src/storage/contract.js';
import { ADMIN_TOKEN, clientEvent, createTestCollector, dayAt, hex, playbackEvent, postBatch, serverDailyEvent, wireBatch, type TestCollector } from './support/harness.js';

const NOW = Date.UTC(2026, 10, 20, 12);
const today = dayAt(NOW);
let c: TestCollector;

afterEach(async () => {
  await c?.close();
});

async function storedEvents(event: string): Promise<number> {
  const cells = await c.store.queryAggregates({ event, groupBy: [], from: dayAt(NOW - 60 * 86_400_000), to: today, granularity: 'month' });
  return cells.reduce((s, x) => s + x.events, 0);
}

function errorOf(res: { json(): unknown }): { code: string; message: string; details?: { path: string; reason: string; message: string }[] } {
  return (res.json() as { error: { code: string; message: string; details?: { path: string; reason: string; message: string }[] } }).error;
}

describe('POST /v1/batches', () => {
  it('stores a valid gzip batch and answers 202 with what it kept', async () => {
    c = await createTestCollector({ now: () => NOW });
    const batch = wireBatch(today, [playbackEvent(today), clientEvent(today), serverDailyEvent(today)]);
    const res = await postBatch(c.app, batch);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ batchKey: batch.batchKey, accepted: 3, bounded: 0, duplicate: false });
    expect(await storedEvents('playback.session')).toBe(1);
    const exported = await c.store.exportSubjects({ pseudonyms: [batch.pseudonym] });
    expect(exported.map((e) => e.event).sort()).toEqual(['client.session', 'playback.session', 'server.daily']);
  });

  it('takes identity encoding too', async () => {
    c = await createTestCollector({ now: () => NOW });
    const res = await postBatch(c.app, wireBatch(today, [clientEvent(today)]), { encoding: 'identity' });
    expect(res.statusCode).toBe(202);
  });

  it('answers a repeated batch key with the first answer and stores nothing more', async () => {
    c = await createTestCollector({ now: () => NOW });
    const batch = wireBatch(today, [playbackEvent(today), playbackEvent(today)]);
    expect((await postBatch(c.app, batch)).json()).toMatchObject({ accepted: 2, duplicate: false });
    const again = await postBatch(c.app, batch);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual({ batchKey: batch.batchKey, accepted: 2, bounded: 0, duplicate: true });
    expect(await storedEvents('playback.session')).toBe(2);
  });

  it("bounds each pseudonym's contribution per period and counts the excess", async () => {
    c = await createTestCollector({ now: () => NOW });
    const pseudonym = hex(32);
    const five = Array.from({ length: 5 }, () => playbackEvent(today));
    const res = await postBatch(c.app, wireBatch(today, five, { pseudonym }));
    expect(res.json()).toMatchObject({ accepted: 3, bounded: 2 });
    const next = await postBatch(c.app, wireBatch(today, [playbackEvent(today), clientEvent(today)], { pseudonym }));
    expect(next.json()).toMatchObject({ accepted: 1, bounded: 1 });
    const metrics = await c.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(metrics.body).toMatch(/candor_events_bounded_total\{event="playback.session"\} 3/);
  });

  const refusals: [string, () => Promise<{ statusCode: number; json(): unknown }>, string][] = [
    ['an unknown catalog version', () => postBatch(c.app, wireBatch(today, [clientEvent(today)], { catalog: { id: 'media-server', version: '9.9.9' } })), 'UNKNOWN_CATALOG'],
    ['an unknown catalog', () => postBatch(c.app, wireBatch(today, [clientEvent(today)], { catalog: { id: 'other', version: '1.0.0' } })), 'UNKNOWN_CATALOG'],
    ['an unsupported protocol version', () => postBatch(c.app, { ...wireBatch(today, [clientEvent(today)]), v: 2 }), 'UNSUPPORTED_PROTOCOL_VERSION'],
    ['a malformed pseudonym', () => postBatch(c.app, wireBatch(today, [clientEvent(today)], { pseudonym: 'ABC' })), 'INVALID_BATCH'],
    ['an extra envelope key', () => postBatch(c.app, { ...wireBatch(today, [clientEvent(today)]), ip: '1.2.3.4' }), 'INVALID_BATCH'],
    ['an empty batch', () => postBatch(c.app, wireBatch(today, [])), 'INVALID_BATCH'],
    ['a week period for a daily catalog', () => postBatch(c.app, wireBatch('2026-W47', [clientEvent(today)])), 'INVALID_BATCH'],
    ['an unknown event', () => postBatch(c.app, wireBatch(today, [{ name: 'library.titles', time: today, fields: {} }])), 'INVALID_EVENTS'],
    ['an undeclared field', () => postBatch(c.app, wireBatch(today, [{ ...clientEvent(today), fields: { ...clientEvent(today).fields, title: 'Alien' } }])), 'INVALID_EVENTS'],
    ['a raw value outside the generalizer output', () => postBatch(c.app, wireBatch(today, [{ ...playbackEvent(today), fields: { ...playbackEvent(today).fields, duration: 7013 } }])), 'INVALID_EVENTS'],
    ['a missing field', () => postBatch(c.app, wireBatch(today, [{ name: 'client.session', time: today, fields: { deviceType: 'tv' } }])), 'INVALID_EVENTS'],
    ['an event outside the period', () => postBatch(c.app, wireBatch(today, [clientEvent(dayAt(NOW - 86_400_000))])), 'PERIOD_MISMATCH'],
    ['an impossible day', () => postBatch(c.app, wireBatch(today, [{ ...clientEvent(today), time: '2026-02-30' }])), 'PERIOD_MISMATCH'],
    ['a future period', () => postBatch(c.app, wireBatch(dayAt(NOW + 2 * 86_400_000), [clientEvent(dayAt(NOW + 2 * 86_400_000))])), 'PERIOD_MISMATCH'],
    ['a period too old', () => postBatch(c.app, wireBatch(dayAt(NOW - 40 * 86_400_000), [clientEvent(dayAt(NOW - 40 * 86_400_000))])), 'PERIOD_TOO_OLD'],
    ['too many events', () => postBatch(c.app, wireBatch(today, Array.from({ length: LIMITS.maxEventsPerBatch + 1 }, () => clientEvent(today)))), 'TOO_MANY_EVENTS'],
    ['JSON nested too deep', () => postBatch(c.app, `{"v":1,"events":[${'['.repeat(50)}${']'.repeat(50)}]}`), 'TOO_DEEP'],
    ['a body that is not JSON', () => postBatch(c.app, '{"v":1,'), 'MALFORMED_BODY'],
    ['a JSON array', () => postBatch(c.app, '[1,2]'), 'INVALID_BATCH'],
    ['a __proto__ key', () => postBatch(c.app, `{"__proto__":{"polluted":true},"v":1}`), 'INVALID_BATCH'],
    [
      'a truncated gzip stream',
      () => {
        const gz = gzipSync(JSON.stringify(wireBatch(today, [clientEvent(today)])));
        return c.app.inject({ method: 'POST', url: PATHS.batches, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: gz.subarray(0, gz.length - 12) });
      },
      'MALFORMED_BODY',
    ],
    ['a zip bomb', () => c.app.inject({ method: 'POST', url: PATHS.batches, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)) }), 'BODY_TOO_LARGE'],
    ['a body over the wire limit', () => c.app.inject({ method: 'POST', url: PATHS.batches, headers: { 'content-type': 'application/json' }, payload: Buffer.alloc(LIMITS.maxCompressedBytes + 10, 0x20) }), 'BODY_TOO_LARGE'],
    ['a wrong content type', () => c.app.inject({ method: 'POST', url: PATHS.batches, headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(wireBatch(today, [clientEvent(today)])) }), 'UNSUPPORTED_MEDIA_TYPE'],
    ['an unsupported encoding', () => c.app.inject({ method: 'POST', url: PATHS.batches, headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, payload: 'x' }), 'UNSUPPORTED_MEDIA_TYPE'],
    ['invalid UTF-8', () => c.app.inject({ method: 'POST', url: PATHS.batches, headers: { 'content-type': 'application/json' }, payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }), 'MALFORMED_BODY'],
  ];

  it.each(refusals)('refuses %s with a documented 4xx and stores nothing', async (_name, send, code) => {
    c = await createTestCollector({ now: () => NOW });
    const res = await send();
    const error = errorOf(res);
    expect(error.code).toBe(code);
    expect(res.statusCode).toBe(ERROR_CODES[code as keyof typeof ERROR_CODES].status);
    expect(error.message.length).toBeGreaterThan(5);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const event of ['client.session', 'playback.session']) expect(await storedEvents(event)).toBe(0);
  });

  it('names the first 20 problems and stores nothing of a batch with one bad event', async () => {
    c = await createTestCollector({ now: () => NOW });
    const bad = Array.from({ length: 30 }, () => ({ name: 'client.session', time: today, fields: { deviceType: 'toaster-9000', clientPlatform: 42, clientVersion: '10.9' } }));
    const res = await postBatch(c.app, wireBatch(today, [clientEvent(today), ...bad]));
    expect(res.statusCode).toBe(422);
    const error = errorOf(res);
    expect(error.details).toHaveLength(LIMITS.maxErrorDetails);
    expect(error.details!.slice(0, 2).map((d) => d.path)).toEqual(['events[1].fields.deviceType', 'events[1].fields.clientPlatform']);
    expect(JSON.stringify(error)).not.toContain('toaster');
    expect(await storedEvents('client.session')).toBe(0);
  });

  it('refuses events that a newer catalog version adds to an optional category before its effective date', async () => {
    const v2 = defineCatalog({
      ...mediaServerCatalog,
      version: '2.0.0',
      effectiveDate: dayAt(NOW + 86_400_000),
      events: {
        ...mediaServerCatalog.events,
        'playback.subtitles': {
          category: 'playback',
          description: 'Whether subtitles were on during a playback.',
          purpose: 'Know how much subtitle work matters.',
          retentionDays: 30,
          maxPerPeriod: 3,
          fields: { enabled: { description: 'Whether subtitles were shown.', generalize: booleanField() } },
        },
      },
      previous: [mediaServerCatalog],
    });
    c = await createTestCollector({ now: () => NOW, catalog: v2 });
    const early = await postBatch(c.app, wireBatch(today, [{ name: 'playback.subtitles', time: today, fields: { enabled: true } }], { catalog: { id: 'media-server', version: '2.0.0' } }));
    expect(early.statusCode).toBe(422);
    expect(errorOf(early).details![0]!.reason).toBe('not_yet_effective');
    const old = await postBatch(c.app, wireBatch(today, [clientEvent(today)], { catalog: { id: 'media-server', version: '1.0.0' } }));
    expect(old.statusCode).toBe(202);
  });

  it('answers 503 STORE_UNAVAILABLE, never 202, when the store cannot commit', async () => {
    const failing = { append: () => Promise.reject(new StoreUnavailableError('the database file is locked')) } as Partial<CollectorStore>;
    c = await createTestCollector({ now: () => NOW });
    const inner = c.store;
    const store = { ...inner, open: inner.open, close: async () => undefined, health: async () => ({ ok: false, detail: 'locked' }), ...failing } as CollectorStore;
    await c.app.close();
    const { createApp } = await import('../src/app.js');
    const { resolveCollectorOptions } = await import('../src/config/resolve-collector-options.js');
    const app = createApp({ store, registry: c.registry, options: resolveCollectorOptions({ ingestPerMinute: 0 }), adminToken: 'x'.repeat(20), now: () => NOW });
    const res = await postBatch(app, wireBatch(today, [clientEvent(today)]));
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(errorOf(res).code).toBe('STORE_UNAVAILABLE');
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    await app.close();
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    c = await createTestCollector({ now: () => NOW });
    const missing = await c.app.inject({ method: 'GET', url: '/v1/rows' });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('NOT_FOUND');
    const wrong = await c.app.inject({ method: 'GET', url: PATHS.batches });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
  });
});
