import { createHmac } from 'node:crypto';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { PATHS, type WireBatch } from '@candor/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTelemetry, type Telemetry, type TelemetryOptions } from '../../src/index.js';
import { batchesOf, clientRaw, decodedBody, mediaServerCategoryOf, playbackRaw, tempDir, useCaptureServer } from './helpers.js';

type Catalog = typeof mediaServerCatalog;
const capture = useCaptureServer({ categoryOf: mediaServerCategoryOf });
afterEach(() => {
  vi.restoreAllMocks();
});

function start(dataDir: string, clock: { t: number }, extra: Partial<TelemetryOptions<Catalog>> = {}): Telemetry<Catalog> {
  const c = createTelemetry({ catalog: mediaServerCatalog, endpoint: capture.server.url, dataDir, env: {}, now: () => clock.t, onDiagnostic: () => {}, ...extra });
  capture.track(c);
  return c;
}

// Field names and values that only playback events carry.
const PLAYBACK_MARKERS = ['playback.', 'mediaType', 'videoCodec', 'audioCodec', 'container', 'decision', 'plays', 'flac', 'speaker', 'directplay'];

describe('with playback off', () => {
  it('zero bytes of playback data leave the process, whatever the host records, through the end of the day', async () => {
    // Every outbound connection the process opens, to any host.
    const connections: string[] = [];
    const connect = net.Socket.prototype.connect;
    vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
      // Node passes its normalized arguments as an array whose first element holds the options.
      const first = (Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0]) as { port?: number; host?: string; path?: string } | number;
      connections.push(typeof first === 'object' ? (first.path ?? `${first.host ?? 'localhost'}:${first.port}`) : String(first));
      return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    });
    const clock = { t: Date.UTC(2026, 8, 1, 18) };
    const dataDir = tempDir();
    const client = start(dataDir, clock);
    expect(client.consent.set('playback', false)?.granted).toBe(false);
    for (let i = 0; i < 200; i++) client.record('playback.session', playbackRaw(i));
    for (let i = 0; i < 5; i++) client.record('client.session', clientRaw);
    await client.flush();
    clock.t = Date.UTC(2026, 8, 2, 0, 1);
    for (let i = 0; i < 10; i++) client.record('playback.session', playbackRaw(i));
    await client.flush();
    await client.shutdown();

    expect(capture.server.requests.length).toBeGreaterThan(0);
    expect(connections.length).toBeGreaterThan(0);
    for (const c of connections) expect(c).toMatch(new RegExp(`:${capture.server.port}$`));
    for (const r of capture.server.requests) {
      const text = decodedBody(r);
      for (const marker of PLAYBACK_MARKERS) expect(text).not.toContain(marker);
    }
    // The owner's choice itself is reported (consent.daily), and nothing else about playback.
    const consentEvents = batchesOf(capture.server.requests).flatMap((b) => b.events).filter((e) => e.name === 'consent.daily');
    expect(consentEvents.length).toBeGreaterThan(0);
    for (const e of consentEvents) expect(e.fields.playback).toBe(false);
    expect(client.stats().dropped.consent_denied).toBe(210);
    expect(client.sentLog.list({ category: 'playback' })).toEqual([]);
  });
});

describe('turning a category off', () => {
  it('purges its queued events, sends a category-scoped deletion for its retention window, and persists the choice', async () => {
    const clock = { t: Date.UTC(2026, 8, 10, 12) };
    const dataDir = tempDir();
    const client = start(dataDir, clock);
    for (let i = 0; i < 7; i++) client.record('playback.session', playbackRaw(i));
    client.record('client.session', clientRaw);
    await client.flush();
    expect(client.stats().held).toBe(3);

    const state = client.consent.set('playback', false);
    expect(state).toMatchObject({ category: 'playback', granted: false, required: false, source: 'owner', catalogVersion: '1.0.0', decidedAt: new Date(clock.t).toISOString() });
    expect(client.stats().held).toBe(0);
    expect(client.stats().dropped.purged).toBe(3);
    await client.flush();

    const deletions = capture.server.subjectRequests(PATHS.subjectsDelete);
    expect(deletions).toHaveLength(1);
    expect(deletions[0]!.categories).toEqual(['playback']);
    expect(deletions[0]!.catalogId).toBe('media-server');
    // The secret was created today, so the window holds today's pseudonym only.
    const secret = Buffer.from((JSON.parse(readFileSync(join(dataDir, 'install-secret.json'), 'utf8')) as { secret: string }).secret, 'hex');
    expect(deletions[0]!.pseudonyms).toEqual([createHmac('sha256', secret).update('media-server:2026-09-10').digest('hex')]);
    const entry = client.sentLog.list({ kind: 'deletion' })[0]!;
    expect(JSON.parse(entry.body)).toEqual(deletions[0]);
    expect(entry.status).toBe('delivered');

    // Nothing of playback leaves when the day ends.
    clock.t = Date.UTC(2026, 8, 11, 0, 1);
    await client.flush();
    expect(batchesOf(capture.server.requests).flatMap((b) => b.events).filter((e) => e.name.startsWith('playback.'))).toEqual([]);

    await client.shutdown();
    const again = start(dataDir, clock);
    expect(again.consent.get().playback).toMatchObject({ granted: false, source: 'owner', catalogVersion: '1.0.0' });
    again.record('playback.session', playbackRaw());
    expect(again.stats().dropped.consent_denied).toBe(1);

    // Turning it back on resumes, with no deletion request.
    expect(again.consent.set('playback', true)?.granted).toBe(true);
    again.record('playback.session', playbackRaw());
    expect(again.stats().held).toBe(1);
    await again.flush();
    expect(capture.server.subjectRequests(PATHS.subjectsDelete)).toHaveLength(1);
  });

  it('rewrites a batch already formed but not yet acknowledged, keeping its key, and the deletion goes first', async () => {
    const clock = { t: Date.UTC(2026, 8, 12, 20) };
    const client = start(tempDir(), clock, { maxAttempts: 1 });
    for (let i = 0; i < 4; i++) client.record('playback.session', playbackRaw(i));
    for (let i = 0; i < 3; i++) client.record('client.session', clientRaw);
    clock.t = Date.UTC(2026, 8, 13, 0, 1);
    await capture.server.stop();
    await client.flush();
    // The batch left once (the sent log holds its bytes) but was never acknowledged.
    const first = JSON.parse(client.sentLog.list({ category: 'playback' })[0]!.body) as WireBatch;
    expect(first.events.some((e) => e.name === 'playback.session')).toBe(true);
    expect(client.stats().delivered).toBe(0);
    await capture.server.start();

    client.consent.set('playback', false);
    await client.flush();
    const later = capture.server.requests;
    expect(later[0]!.path).toBe(PATHS.subjectsDelete);
    const resent = batchesOf(later).find((b) => b.batchKey === first.batchKey);
    expect(resent).toBeDefined();
    expect(resent!.events.length).toBeGreaterThan(0);
    expect(resent!.events.filter((e) => mediaServerCategoryOf(e.name) === 'playback')).toEqual([]);
    expect(resent!.events.filter((e) => e.name === 'client.session')).toHaveLength(3);
    const stored = capture.server.batches().find((b) => b.batchKey === first.batchKey)!;
    expect(stored.events.some((e) => e.name.startsWith('playback.'))).toBe(false);
    expect(client.sentLog.list().some((e) => e.status === 'superseded')).toBe(true);
  });

  it('leaves a required category on', () => {
    const client = start(tempDir(), { t: Date.UTC(2026, 8, 14) });
    expect(client.consent.set('usage', false)).toMatchObject({ granted: true, required: true, source: 'required' });
  });
});

describe('the environment', () => {
  it('DO_NOT_TRACK=1 turns every optional category off, and the owner cannot turn one on past it', async () => {
    const clock = { t: Date.UTC(2026, 8, 20, 9) };
    const client = start(tempDir(), clock, { env: { DO_NOT_TRACK: '1' } });
    const consent = client.consent.get();
    for (const [id, c] of Object.entries(mediaServerCatalog.categories)) {
      expect(consent[id as keyof typeof consent]).toMatchObject(c.required ? { granted: true, source: 'required' } : { granted: false, source: 'env' });
    }
    expect(client.consent.set('playback', true)?.granted).toBe(false);
    client.record('playback.session', playbackRaw());
    client.record('client.session', clientRaw);
    clock.t += 86_400_000;
    await client.flush();
    const names = batchesOf(capture.server.requests).flatMap((b) => b.events).map((e) => e.name);
    expect(names).toContain('client.session');
    expect(names.filter((n) => n.startsWith('playback.'))).toEqual([]);
  });

  it('CANDOR_TELEMETRY=off records nothing, sends nothing and writes nothing', async () => {
    const dataDir = join(tempDir(), 'never-created');
    const client = start(dataDir, { t: Date.UTC(2026, 8, 21) }, { env: { CANDOR_TELEMETRY: 'off' } });
    client.record('client.session', clientRaw);
    client.record('playback.session', playbackRaw());
    await client.flush();
    expect(await client.deleteMyData()).toMatchObject({ status: 'failed', error: { code: 'TELEMETRY_DISABLED' } });
    await client.shutdown();
    expect(capture.server.requests).toEqual([]);
    expect(() => readFileSync(join(dataDir, 'install-secret.json'))).toThrow(/ENOENT/);
    const s = client.stats();
    expect(s.storage).toBe('disabled');
    expect(s.dropped.telemetry_disabled).toBe(2);
    expect(Object.values(client.consent.get()).every((c) => !c.granted && c.source === 'env')).toBe(true);
  });

  it('CANDOR_DEBUG=1 prints each batch to stderr and sends nothing', async () => {
    const printed: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    const client = start(tempDir(), { t: Date.UTC(2026, 8, 22, 10) }, { env: { CANDOR_DEBUG: '1' } });
    client.record('client.session', clientRaw);
    await client.flush();
    await client.shutdown();
    vi.restoreAllMocks();
    expect(capture.server.requests).toEqual([]);
    const text = printed.join('');
    expect(text).toContain('"name":"client.session"');
    expect(text).toContain('not sent');
    expect(client.stats()).toMatchObject({ printed: 2, delivered: 0 });
    expect(client.sentLog.list()).toEqual([]);
  });
});
