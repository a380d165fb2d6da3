import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { boolean, defineCatalog, type CatalogSpec } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryTransport } from '../testing/memory-transport.js';
import type { TelemetryDiagnostic } from '../options/diagnostics.js';
import type { TelemetryOptions } from '../options/telemetry-options.js';
import { createTelemetry } from './create-telemetry.js';
import type { Telemetry } from './types.js';

const dirs: string[] = [];
const clients: Telemetry<CatalogSpec>[] = [];
const dir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'candor-client-'));
  dirs.push(d);
  return d;
};
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(clients.splice(0).map((c) => c.shutdown({ flush: false })));
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function start<S extends CatalogSpec>(catalog: S, extra: Partial<TelemetryOptions<S>> & { clock?: { t: number } } = {}) {
  const diagnostics: TelemetryDiagnostic[] = [];
  const transport = createMemoryTransport({ catalog });
  const { clock, ...rest } = extra;
  const client = createTelemetry<S>({ catalog, dataDir: dir(), transport, env: {}, onDiagnostic: (d) => void diagnostics.push(d), ...(clock ? { now: () => clock.t } : {}), ...rest });
  clients.push(client);
  return { client, transport, diagnostics };
}
const warnings = (d: TelemetryDiagnostic[]): string[] => d.flatMap((x) => (x.type === 'warning' ? [x.warning.code] : []));
const clientRaw = { deviceType: 'tv', clientPlatform: 'roku', clientVersion: '3.2.1' };

describe('record()', () => {
  it('never throws, whatever the host passes, and counts every call', () => {
    const { client } = start(mediaServerCatalog);
    const record = client.record as (name: unknown, raw: unknown) => void;
    const hostile = fc.oneof(
      fc.anything(),
      fc.constant(new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } })),
      fc.constant(Object.defineProperty({}, 'deviceType', { get: () => { throw new Error('getter'); }, enumerable: true })),
    );
    let calls = 0;
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...Object.keys(mediaServerCatalog.events)), fc.anything()), hostile, (name, raw) => {
        expect(() => record(name, raw)).not.toThrow();
        calls++;
      }),
      { numRuns: 2000 },
    );
    const s = client.stats();
    expect(s.recorded).toBe(calls);
    const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
    expect(s.accepted + dropped).toBe(calls);
    expect(s.lastInvalidEvent).not.toBeNull();
  });

  it('refuses the events Candor records itself', () => {
    const { client } = start(mediaServerCatalog);
    const record = client.record as (name: string, raw: unknown) => void;
    record('consent.daily', { playback: true, crash: true, marketing: true, integrations: true });
    record('playback.daily', { plays: 3 });
    expect(client.stats().dropped.invalid_event).toBe(2);
    expect(client.stats().lastInvalidEvent).toEqual({ event: 'playback.daily', message: 'this event is recorded by Candor itself' });
  });

  it('drops what does not fit in the buffer until the next commit, and commits as soon as the host yields', async () => {
    const { client } = start(mediaServerCatalog, { maxBufferedEvents: 10 });
    for (let i = 0; i < 25; i++) client.record('client.session', clientRaw);
    expect(client.stats()).toMatchObject({ accepted: 10, queued: 10 });
    expect(client.stats().dropped.buffer_full).toBe(15);
    await new Promise((r) => setImmediate(r));
    for (let i = 0; i < 5; i++) client.record('client.session', clientRaw);
    expect(client.stats().accepted).toBe(15);
  });

  it('holds back events a pending catalog version adds to an optional category until its date', async () => {
    const next = defineCatalog({
      ...mediaServerCatalog,
      version: '1.1.0',
      effectiveDate: '2027-03-01',
      previous: [mediaServerCatalog],
      events: { ...mediaServerCatalog.events, 'playback.subtitles': { category: 'playback', description: 'Subtitles.', purpose: 'Subtitle support.', retentionDays: 100, maxPerPeriod: 5, fields: { on: { description: 'On.', generalize: boolean() } } } },
    });
    const clock = { t: Date.UTC(2027, 1, 28, 23, 59) };
    const { client, transport } = start(next, { clock });
    expect(client.policy()).toMatchObject({ inEffect: { version: '1.0.0' }, pending: { version: '1.1.0', effectiveDate: '2027-03-01' }, notYetEffective: ['playback.subtitles'] });
    expect(client.policy().pending!.diff.changes.some((c) => c.event === 'playback.subtitles')).toBe(true);
    client.record('playback.subtitles', { on: true });
    expect(client.stats().dropped.not_yet_effective).toBe(1);
    clock.t = Date.UTC(2027, 2, 1, 0, 1);
    client.record('playback.subtitles', { on: true });
    await client.flush();
    expect(client.stats().accepted).toBeGreaterThanOrEqual(1);
    expect(client.policy().pending).toBeNull();
    expect(transport.batches().every((b) => b.catalog.version === '1.1.0')).toBe(true);
  });
});

describe('storage faults', () => {
  it('runs on when the data directory cannot be used: counts storage_error, warns, never throws', async () => {
    const parent = dir();
    const file = join(parent, 'not-a-directory');
    writeFileSync(file, 'x');
    const { client, diagnostics, transport } = start(mediaServerCatalog, { dataDir: join(file, 'telemetry') });
    client.record('client.session', clientRaw);
    await expect(client.flush()).resolves.toMatchObject({ delivered: 0 });
    expect(client.stats().storage).toBe('unavailable');
    expect(client.stats().dropped.storage_error).toBeGreaterThanOrEqual(1);
    expect(warnings(diagnostics)).toContain('STORAGE_UNAVAILABLE');
    expect(client.sentLog.list()).toEqual([]);
    expect(await client.deleteMyData()).toMatchObject({ status: 'failed', error: { code: 'STORAGE_UNAVAILABLE' } });
    expect(transport.requests).toEqual([]);
  });

  it('drops a commit that the disk refuses, counts it, and recovers when the disk has room again', async () => {
    const { client, diagnostics, transport } = start(mediaServerCatalog);
    await client.flush();
    // The disk is full: SQLite refuses every write (the edge this test is not about is mocked).
    const probe = new Database(':memory:');
    const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { run: (...args: unknown[]) => unknown };
    probe.close();
    const full = vi.spyOn(statementProto, 'run').mockImplementation(() => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    });
    for (let i = 0; i < 5; i++) client.record('client.session', clientRaw);
    expect(() => client.extensions.commitNow()).not.toThrow();
    expect(client.stats().dropped.storage_error).toBe(5);
    expect(warnings(diagnostics)).toContain('STORAGE_ERROR');
    full.mockRestore();
    for (let i = 0; i < 3; i++) client.record('client.session', clientRaw);
    await client.flush();
    expect(transport.events().filter((e) => e.name === 'client.session')).toHaveLength(3);
  });

  it('sets a corrupt outbox aside, reports it, and starts a fresh one', async () => {
    const dataDir = dir();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'outbox.sqlite'), Buffer.alloc(8192, 0xab));
    const { client, diagnostics, transport } = start(mediaServerCatalog, { dataDir });
    expect(warnings(diagnostics)).toContain('OUTBOX_SET_ASIDE');
    expect(client.stats().warnings.map((w) => w.code)).toContain('OUTBOX_SET_ASIDE');
    expect(readdirSync(dataDir).some((f) => /^outbox\.sqlite\.damaged-\d+$/.test(f))).toBe(true);
    client.record('client.session', clientRaw);
    await client.flush();
    expect(transport.events().some((e) => e.name === 'client.session')).toBe(true);
  });

  it('reports an outbox emptied while the host was down, like a corrupt one', async () => {
    const dataDir = dir();
    const first = start(mediaServerCatalog, { dataDir });
    await first.client.shutdown({ flush: false });
    writeFileSync(join(dataDir, 'outbox.sqlite'), '');
    const { client, diagnostics } = start(mediaServerCatalog, { dataDir });
    expect(warnings(diagnostics)).toContain('OUTBOX_SET_ASIDE');
    expect(client.stats().warnings.find((w) => w.code === 'OUTBOX_SET_ASIDE')?.message).toMatch(/outbox\.sqlite\.emptied-\d+$/);
    expect(warnings(first.diagnostics)).not.toContain('OUTBOX_SET_ASIDE');
  });
});

describe('process listeners', () => {
  it('adds one exit and one SIGTERM listener for any number of clients, and removes them with the last', async () => {
    const exit0 = process.listenerCount('exit');
    const term0 = process.listenerCount('SIGTERM');
    const many = Array.from({ length: 12 }, () => start(mediaServerCatalog, { handleSignals: true }).client);
    expect(process.listenerCount('exit')).toBe(exit0 + 1);
    expect(process.listenerCount('SIGTERM')).toBe(term0 + 1);
    await Promise.all(many.slice(1).map((c) => c.shutdown({ flush: false })));
    expect(process.listenerCount('exit')).toBe(exit0 + 1);
    await many[0]!.shutdown({ flush: false });
    expect(process.listenerCount('exit')).toBe(exit0);
    expect(process.listenerCount('SIGTERM')).toBe(term0);
  });
});

describe('state kept in the data directory', () => {
  it('counts active days for server.daily', async () => {
    const clock = { t: Date.UTC(2027, 0, 10, 12) };
    const dataDir = dir();
    for (const day of [1, 3, 9, 10]) {
      clock.t = Date.UTC(2027, 0, day, 12);
      const { client } = start(mediaServerCatalog, { dataDir, clock });
      await client.flush();
      await client.shutdown();
    }
    const { client } = start(mediaServerCatalog, { dataDir, clock });
    expect(client.activity()).toEqual({ activeDays7: 2, activeDays28: 4 });
    clock.t = Date.UTC(2027, 0, 14, 12);
    expect(client.activity()).toEqual({ activeDays7: 3, activeDays28: 5 });
    client.record('server.daily', { serverVersion: '1.2.3', platform: 'linux', arch: 'x64', movies: 10, episodes: 0, tracks: 0, photos: 0, ...client.activity() });
    expect(client.stats().dropped.invalid_event).toBe(0);
  });

  it('keeps its counters across restarts', async () => {
    const dataDir = dir();
    const first = start(mediaServerCatalog, { dataDir }).client;
    for (let i = 0; i < 3; i++) first.record('client.session', clientRaw);
    first.record('client.session', { nope: 1 } as never);
    await first.shutdown();
    const second = start(mediaServerCatalog, { dataDir }).client;
    expect(second.stats()).toMatchObject({ recorded: 4, dropped: expect.objectContaining({ invalid_event: 1 }) });
    expect(second.stats().delivered).toBe(first.stats().delivered);
  });
});

describe('the sent log and the extension points', () => {
  it('lists entries newest first, filtered by category, kind and time, including deliveries added by extensions', async () => {
    const clock = { t: Date.UTC(2027, 4, 1, 10) };
    const { client } = start(mediaServerCatalog, { clock });
    client.record('client.session', clientRaw);
    await client.flush();
    clock.t += 3_600_000;
    const id = client.extensions.appendSentLog({ kind: 'delivery', categories: ['integrations'], eventCount: 1, status: 'pending', body: '{"event":"media.play"}', destination: 'https://hooks.example.com/x' });
    expect(id).not.toBeNull();
    client.extensions.updateSentLog(id!, 'delivered', '200');
    expect(client.sentLog.list().map((e) => e.kind)).toEqual(['delivery', 'batch']);
    expect(client.sentLog.list({ category: 'integrations' })).toEqual([
      { id, sentAt: new Date(clock.t).toISOString(), kind: 'delivery', categories: ['integrations'], eventCount: 1, status: 'delivered', detail: '200', destination: 'https://hooks.example.com/x', body: '{"event":"media.play"}' },
    ]);
    expect(client.sentLog.list({ kind: 'batch' })).toHaveLength(1);
    expect(client.sentLog.list({ since: clock.t - 60_000 })).toHaveLength(1);
    expect(client.sentLog.list({ until: new Date(clock.t - 60_000) })).toHaveLength(1);
    expect(client.sentLog.list({ limit: 1 })).toHaveLength(1);
    expect(client.sentLog.list({ category: 'playback' })).toEqual([]);
  });

  it('lets extensions enqueue any catalog event, ask for consent and hear about changes', () => {
    const { client } = start(mediaServerCatalog);
    const seen: string[] = [];
    const off = client.extensions.onConsentChange((s) => void seen.push(`${s.category}:${s.granted}`));
    expect(client.extensions.isConsented('crash')).toBe(true);
    expect(client.extensions.enqueue('crash.report', { serverVersion: '1.2.3', platform: 'linux', errorType: 'TypeError', message: 'x is undefined', stack: 'at scan (lib/scan.js:1:1)', count: 1 })).toBe('accepted');
    client.consent.set('crash', false);
    expect(client.extensions.isConsented('crash')).toBe(false);
    expect(client.extensions.enqueue('crash.report', {})).toBe('consent_denied');
    off();
    client.consent.set('crash', true);
    expect(seen).toEqual(['crash:false']);
    client.extensions.countDrop('rejected', 2);
    expect(client.stats().dropped.rejected).toBe(2);
  });
});
