import { PATHS } from '@candor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, clientEvent, createTestCollector, dayAt, hex, playbackEvent, postBatch, wireBatch, type TestCollector } from './support/harness.js';

const NOW = Date.UTC(2026, 10, 20, 12);
const today = dayAt(NOW);
const yesterday = dayAt(NOW - 86_400_000);
let c: TestCollector;

afterEach(async () => {
  await c?.close();
});

function subjects(kind: 'delete' | 'export', body: unknown) {
  return c.app.inject({ method: 'POST', url: kind === 'delete' ? PATHS.subjectsDelete : PATHS.subjectsExport, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
}

describe('subject rights', () => {
  it('exports what is held for the pseudonyms and nothing of others', async () => {
    c = await createTestCollector({ now: () => NOW });
    const mine = [hex(32), hex(32)];
    await postBatch(c.app, wireBatch(yesterday, [playbackEvent(yesterday)], { pseudonym: mine[0] }));
    await postBatch(c.app, wireBatch(today, [clientEvent(today)], { pseudonym: mine[1] }));
    await postBatch(c.app, wireBatch(today, [clientEvent(today)]));
    const res = await subjects('export', { catalogId: 'media-server', pseudonyms: mine });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const events = res.json().events;
    expect(events.map((e: { name: string; time: string; pseudonym: string }) => [e.name, e.time, e.pseudonym])).toEqual([
      ['playback.session', yesterday, mine[0]],
      ['client.session', today, mine[1]],
    ]);
    expect(events[1]).toMatchObject({ period: today, catalogVersion: '1.0.0', fields: clientEvent(today).fields });
  });

  it('deletes for every later query and export, by category when asked, and acknowledges', async () => {
    c = await createTestCollector({ now: () => NOW });
    const pseudonyms = Array.from({ length: 12 }, () => hex(32));
    for (const p of pseudonyms) await postBatch(c.app, wireBatch(today, [playbackEvent(today), clientEvent(today, 'tv', 'roku')], { pseudonym: p }));
    await c.store.maintain();
    const playbackOnly = await subjects('delete', { catalogId: 'media-server', pseudonyms: pseudonyms.slice(0, 3), categories: ['playback'] });
    expect(playbackOnly.statusCode).toBe(200);
    expect(playbackOnly.json()).toEqual({ deleted: 3, effectiveAt: new Date(NOW).toISOString() });
    const stats = (event: string) => c.app.inject({ method: 'GET', url: `${PATHS.stats}?event=${event}&from=${today}&to=${today}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    // 9 installs left in playback: below k, suppressed; client sessions untouched.
    expect((await stats('playback.session')).json().cells).toEqual([{ period: today, events: null, installs: null, suppressed: true, noised: false }]);
    expect((await stats('client.session')).json().cells[0]).toMatchObject({ events: 12, installs: 12 });
    const all = await subjects('delete', { catalogId: 'media-server', pseudonyms: pseudonyms.slice(0, 3) });
    expect(all.json().deleted).toBe(3);
    expect((await subjects('export', { catalogId: 'media-server', pseudonyms: pseudonyms.slice(0, 3) })).json()).toEqual({ events: [] });
    expect((await stats('client.session')).json().cells).toEqual([{ period: today, events: null, installs: null, suppressed: true, noised: false }]);
  });

  it.each([
    [{ catalogId: 'media-server', pseudonyms: [] }, 400, 'INVALID_SUBJECT_REQUEST'],
    [{ catalogId: 'media-server', pseudonyms: ['not-hex'] }, 400, 'INVALID_SUBJECT_REQUEST'],
    [{ catalogId: 'media-server', pseudonyms: Array.from({ length: 1001 }, () => 'a'.repeat(64)) }, 400, 'INVALID_SUBJECT_REQUEST'],
    [{ catalogId: 'media-server', pseudonyms: ['a'.repeat(64)], categories: ['library'] }, 400, 'INVALID_SUBJECT_REQUEST'],
    [{ catalogId: 'media-server', pseudonyms: ['a'.repeat(64)], extra: 1 }, 400, 'INVALID_SUBJECT_REQUEST'],
    [{ catalogId: 'other', pseudonyms: ['a'.repeat(64)] }, 422, 'UNKNOWN_CATALOG'],
  ])('refuses %j', async (body, status, code) => {
    c = await createTestCollector({ now: () => NOW });
    for (const kind of ['delete', 'export'] as const) {
      const res = await subjects(kind, body);
      expect(res.statusCode).toBe(status);
      expect(res.json().error.code).toBe(code);
    }
  });

  it('rate-limits subject requests per client', async () => {
    c = await createTestCollector({ now: () => NOW, options: { subjectsPerHour: 3 } });
    const body = { catalogId: 'media-server', pseudonyms: [hex(32)] };
    for (let i = 0; i < 3; i++) expect((await subjects(i % 2 === 0 ? 'delete' : 'export', body)).statusCode).toBe(200);
    const limited = await subjects('export', body);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Ingest has its own limit.
    expect((await postBatch(c.app, wireBatch(today, [clientEvent(today)]))).statusCode).toBe(202);
  });
});
