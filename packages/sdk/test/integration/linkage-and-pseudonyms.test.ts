import { createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { PSEUDONYM_PATTERN, BATCH_KEY_PATTERN } from '@candor/protocol';
import { describe, expect, it } from 'vitest';
import { createTelemetry } from '../../src/index.js';
import type { Telemetry } from '../../src/index.js';
import { createSeededRandom, seededBytes } from '../../src/testing/index.js';
import { batchesOf, clientRaw, mediaServerCategoryOf, playbackRaw, tempDir, useCaptureServer } from './helpers.js';

const capture = useCaptureServer({ categoryOf: mediaServerCategoryOf });


function start(dataDir: string, clock: { t: number }, seed = 7): Telemetry<typeof mediaServerCatalog> {
  const random = createSeededRandom(seed);
  const c = createTelemetry({ catalog: mediaServerCatalog, endpoint: capture.server.url, dataDir, env: {}, now: () => clock.t, random, randomBytes: seededBytes(random), onDiagnostic: () => {} });
  capture.track(c);
  return c;
}

const secretOf = (dataDir: string): Buffer => Buffer.from((JSON.parse(readFileSync(join(dataDir, 'install-secret.json'), 'utf8')) as { secret: string }).secret, 'hex');
const expectedPseudonym = (secret: Buffer, period: string): string => createHmac('sha256', secret).update(`media-server:${period}`).digest('hex');

describe('linkage limits, over HTTP', () => {
  it('sends a uniform sample of 3 playback reports and the day’s count when the day ends, and at most 50 client sessions', async () => {
    const clock = { t: Date.UTC(2026, 6, 14, 9, 30) };
    const dataDir = tempDir();
    const client = start(dataDir, clock);
    for (let i = 0; i < 12; i++) {
      client.record('playback.session', playbackRaw(i));
      clock.t += 240_000;
    }
    for (let i = 0; i < 60; i++) client.record('client.session', clientRaw);
    await client.flush();

    // During the day, no playback report has left: they are held for the day's sample.
    let events = batchesOf(capture.server.requests).flatMap((b) => b.events);
    expect(events.filter((e) => e.name.startsWith('playback.'))).toHaveLength(0);
    expect(events.filter((e) => e.name === 'client.session')).toHaveLength(50);
    expect(client.stats().dropped.period_limit).toBe(10);
    expect(client.stats().held).toBe(3);

    clock.t = Date.UTC(2026, 6, 15, 0, 5);
    await client.flush();
    events = batchesOf(capture.server.requests).flatMap((b) => b.events);
    const plays = events.filter((e) => e.name === 'playback.session');
    expect(plays).toHaveLength(3);
    expect(events.filter((e) => e.name === 'playback.daily')).toEqual([{ name: 'playback.daily', time: '2026-07-14', fields: { plays: '11–20' } }]);
    // Times are the day only; durations left as ranges.
    for (const p of plays) {
      expect(p.time).toBe('2026-07-14');
      expect(p.fields.duration).toBe(mediaServerCatalog.events['playback.session'].fields.duration.generalize.apply(181));
    }
    const s = client.stats();
    expect(s.dropped.sampled_out).toBe(9);
    expect(s.held).toBe(0);
    expect(s.recorded + s.generated).toBe(s.accepted + s.dropped.period_limit);
    expect(s.accepted).toBe(s.delivered + s.dropped.sampled_out);
  });

  it('keeps the day’s bound and sample across a restart', async () => {
    const clock = { t: Date.UTC(2026, 6, 20, 10) };
    const dataDir = tempDir();
    const first = start(dataDir, clock);
    for (let i = 0; i < 40; i++) first.record('client.session', clientRaw);
    for (let i = 0; i < 5; i++) first.record('playback.session', playbackRaw(i));
    await first.shutdown();
    const second = start(dataDir, clock, 8);
    for (let i = 0; i < 40; i++) second.record('client.session', clientRaw);
    for (let i = 0; i < 5; i++) second.record('playback.session', playbackRaw(i));
    clock.t = Date.UTC(2026, 6, 21, 0, 1);
    await second.flush();
    const events = batchesOf(capture.server.requests).flatMap((b) => b.events);
    expect(events.filter((e) => e.name === 'client.session' && e.time === '2026-07-20')).toHaveLength(50);
    expect(events.filter((e) => e.name === 'playback.session' && e.time === '2026-07-20')).toHaveLength(3);
    expect(events.filter((e) => e.name === 'playback.daily')).toEqual([{ name: 'playback.daily', time: '2026-07-20', fields: { plays: '7–10' } }]);
  });

  it('shuffles the events within a batch', async () => {
    const clock = { t: Date.UTC(2026, 6, 22, 10) };
    const client = start(tempDir(), clock);
    const versions = Array.from({ length: 30 }, (_, i) => `${i}.0`);
    for (const v of versions) client.record('client.session', { ...clientRaw, clientVersion: v });
    await client.flush();
    const sent = batchesOf(capture.server.requests).flatMap((b) => b.events).filter((e) => e.name === 'client.session').map((e) => e.fields.clientVersion);
    expect([...sent].sort()).toEqual([...versions].sort());
    expect(sent).not.toEqual(versions);
  });
});

describe('pseudonyms, over HTTP', () => {
  it('carries HMAC-SHA256(secret, catalog id + period), one period per request, rotating every day', async () => {
    const clock = { t: Date.UTC(2026, 7, 1, 22) };
    const dataDir = tempDir();
    const client = start(dataDir, clock);
    client.record('client.session', clientRaw);
    await client.flush();
    clock.t += 4 * 3_600_000;
    client.record('client.session', clientRaw);
    await client.flush();

    const secret = secretOf(dataDir);
    expect(secret).toHaveLength(32);
    expect(statSync(join(dataDir, 'install-secret.json')).mode & 0o777).toBe(0o600);
    const batches = batchesOf(capture.server.requests);
    const periods = [...new Set(batches.map((b) => b.period))].sort();
    expect(periods).toEqual(['2026-08-01', '2026-08-02']);
    for (const b of batches) {
      expect(b.pseudonym).toMatch(PSEUDONYM_PATTERN);
      expect(b.batchKey).toMatch(BATCH_KEY_PATTERN);
      expect(b.pseudonym).toBe(expectedPseudonym(secret, b.period));
      // One period per request: every event lies in the batch's period.
      for (const e of b.events) expect(e.time).toBe(b.period);
    }
    const byPeriod = new Map(batches.map((b) => [b.period, b.pseudonym]));
    expect(byPeriod.get('2026-08-01')).not.toBe(byPeriod.get('2026-08-02'));
    // The secret never leaves: no request carries it.
    for (const r of capture.server.requests) expect(r.body).not.toContain(secret.toString('hex'));
  });

  it('keeps the secret across restarts, and deleteMyData() replaces it', async () => {
    const clock = { t: Date.UTC(2026, 7, 3, 8) };
    const dataDir = tempDir();
    const first = start(dataDir, clock);
    first.record('client.session', clientRaw);
    await first.shutdown();
    const second = start(dataDir, clock);
    second.record('client.session', clientRaw);
    await second.flush();
    const before = secretOf(dataDir);
    const batches = batchesOf(capture.server.requests);
    expect(new Set(batches.map((b) => b.pseudonym))).toEqual(new Set([expectedPseudonym(before, '2026-08-03')]));

    const result = await second.deleteMyData();
    expect(result.status).toBe('ok');
    const after = secretOf(dataDir);
    expect(after.equals(before)).toBe(false);
    second.record('client.session', clientRaw);
    await second.flush();
    const last = batchesOf(capture.server.requests).at(-1)!;
    expect(last.pseudonym).toBe(expectedPseudonym(after, '2026-08-03'));
    expect(last.pseudonym).not.toBe(expectedPseudonym(before, '2026-08-03'));
  });
});
