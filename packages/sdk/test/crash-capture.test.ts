import { EventEmitter } from 'node:events';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { afterEach, describe, expect, it } from 'vitest';
import { crashCorpus } from '../../catalog/test/fixtures/crash-corpus.js';
import { captureCrashes } from '../src/crash/capture-crashes.js';
import type { CrashProcess } from '../src/crash/crash-process.js';
import { ConfigError } from '../src/errors.js';
import { createTestTelemetry, type TestTelemetry } from '../src/testing/create-test-telemetry.js';

type Catalog = typeof mediaServerCatalog;

/** A stand-in for `process`: real listeners, and a record of what would have been handed back to Node. */
function fakeProcess(): CrashProcess & { emitter: EventEmitter; rethrown: unknown[]; replayed: unknown[] } {
  const emitter = new EventEmitter();
  const rethrown: unknown[] = [];
  const replayed: unknown[] = [];
  return {
    emitter,
    rethrown,
    replayed,
    prependListener: (event, listener) => emitter.prependListener(event, listener as (...args: unknown[]) => void),
    removeListener: (event, listener) => emitter.removeListener(event, listener as (...args: unknown[]) => void),
    listeners: (event) => emitter.listeners(event),
    rethrow: (error) => void rethrown.push(error),
    replayRejection: (reason) => void replayed.push(reason),
  };
}

const crashes = (t: TestTelemetry<Catalog>) => t.sent().filter((e) => e.name === 'crash.report');

let open: TestTelemetry<Catalog>[] = [];
const telemetry = (consent?: { crash?: boolean }): TestTelemetry<Catalog> => {
  const t = createTestTelemetry({ catalog: mediaServerCatalog, ...(consent ? { consent } : {}) });
  open.push(t);
  return t;
};
afterEach(async () => {
  for (const t of open) await t.close();
  open = [];
});

function errorWithStack(message: string, stack: string): Error {
  const e = new Error(message);
  e.stack = stack;
  return e;
}

describe('captureCrashes', () => {
  it('reports a caught error scrubbed, with the app frames module-relative', async () => {
    const t = telemetry();
    const capture = captureCrashes(t.client, { appRoot: '/opt/mediaserver', serverVersion: '1.4.2', platform: 'linux', process: fakeProcess() });
    capture.reportError(
      errorWithStack(
        "ENOENT: no such file or directory, open '/mnt/media/Movies/Some Film (2017)/Some.Film.2017.mkv'",
        "Error: ENOENT: no such file or directory, open '/mnt/media/Movies/Some Film (2017)/Some.Film.2017.mkv'\n    at Prober.probe (/opt/mediaserver/src/media/prober.ts:41:18)\n    at async open (node:internal/fs/promises:639:25)",
      ),
    );
    await t.flush();
    const [report] = crashes(t);
    expect(report?.fields).toEqual({
      serverVersion: '1.4',
      platform: 'linux',
      errorType: 'Error',
      message: "ENOENT: no such file or directory, open '<path>'",
      stack: "Error: ENOENT: no such file or directory, open '<path>'\n    at Prober.probe (src/media/prober.ts:41:18)\n    at async open (node:internal/fs/promises:639:25)",
      count: '1',
      origin: 'reported',
      runtimeVersion: process.versions.node.split('.')[0],
    });
    expect(JSON.stringify(t.transport.requests)).not.toContain('Some Film');
    capture.stop();
  });

  it('scrubs every corpus entry end to end, with real app roots, and keeps the host frames', async () => {
    const t = telemetry();
    const posix = captureCrashes(t.client, { appRoot: '/opt/media server', process: fakeProcess() });
    const windows = captureCrashes(t.client, { appRoot: 'C:\\Program Files\\MediaServer', process: fakeProcess() });
    for (const entry of crashCorpus) {
      // One period per entry keeps each under the catalog's per-period bound.
      t.clock.advance(86_400_000);
      const isWindows = entry.text.includes('{app}\\');
      const text = isWindows ? entry.text.replaceAll('{app}', 'C:\\Program Files\\MediaServer') : entry.text.replaceAll('{app}', '/opt/media server');
      (isWindows ? windows : posix).reportError(errorWithStack(text.split('\n')[0]!, text));
      await t.flush();
      const report = crashes(t).at(-1);
      expect(report, entry.id).toBeDefined();
      const wire = JSON.stringify(report!.fields);
      for (const secret of entry.sensitive) expect(wire.toLowerCase(), `${entry.id}: "${secret}" survived`).not.toContain(secret.toLowerCase());
      for (const kept of entry.keep.filter((k) => k.startsWith('src/') || k.startsWith('node_modules/'))) {
        expect(String(report!.fields.stack), `${entry.id}: "${kept}" lost`).toContain(kept);
      }
      expect(wire).not.toContain('media server');
      expect(wire).not.toContain('Program Files');
    }
    expect(crashes(t).length).toBe(crashCorpus.length);
    posix.stop();
    windows.stop();
  });

  it('counts repeats under one fingerprint and reports the count later', async () => {
    const t = telemetry();
    const capture = captureCrashes(t.client, { appRoot: '/opt/app', process: fakeProcess() });
    const boom = () => errorWithStack('timeout after 3012 ms', 'Error: timeout after 3012 ms\n    at tick (/opt/app/src/scheduler.ts:22:5)');
    for (let i = 0; i < 4; i++) capture.reportError(boom());
    expect(capture.stats()).toMatchObject({ reported: 1, repeats: 3, pendingRepeats: 3 });
    await capture.flush();
    expect(crashes(t).map((e) => e.fields.count)).toEqual(['1', '2–4']);
    expect(capture.stats().pendingRepeats).toBe(0);
    capture.stop();
  });

  it('caps reports per period and counts the rest as period_limit drops', async () => {
    const t = telemetry();
    const capture = captureCrashes(t.client, { appRoot: '/opt/app', maxReportsPerPeriod: 2, process: fakeProcess() });
    for (const where of ['a', 'b', 'c']) capture.reportError(errorWithStack(where, `Error: ${where}\n    at ${where} (/opt/app/src/${where}.ts:1:1)`));
    await t.flush();
    expect(crashes(t)).toHaveLength(2);
    expect(capture.stats().capped).toBe(1);
    expect(t.client.stats().dropped.period_limit).toBeGreaterThanOrEqual(1);
    capture.stop();
  });

  it('is inert while the crash category is off, and forgets counts when it is turned off', async () => {
    const t = telemetry({ crash: false });
    const proc = fakeProcess();
    const capture = captureCrashes(t.client, { appRoot: '/opt/app', process: proc });
    capture.reportError(new Error('ignored'));
    const fatal = new Error('fatal while off');
    proc.emitter.emit('uncaughtException', fatal, 'uncaughtException');
    // Handed back to Node at once: no report, no waiting.
    expect(proc.rethrown).toEqual([fatal]);
    await t.flush();
    expect(crashes(t)).toHaveLength(0);
    expect(capture.stats().ignored).toBe(2);

    const t2 = telemetry();
    const capture2 = captureCrashes(t2.client, { appRoot: '/opt/app', process: fakeProcess() });
    const again = () => errorWithStack('x', 'Error: x\n    at f (/opt/app/src/f.ts:1:1)');
    capture2.reportError(again());
    capture2.reportError(again());
    expect(capture2.stats().pendingRepeats).toBe(1);
    t2.client.consent.set('crash', false);
    expect(capture2.stats().pendingRepeats).toBe(0);
    capture2.stop();
  });

  it('commits an uncaught exception, waits for the send, then hands the crash back to Node', async () => {
    const t = telemetry();
    const proc = fakeProcess();
    const capture = captureCrashes(t.client, { appRoot: '/opt/app', flushTimeoutMs: 5000, process: proc });
    const fatal = errorWithStack('boom', 'Error: boom\n    at main (/opt/app/src/main.ts:3:9)');
    proc.emitter.emit('uncaughtException', fatal, 'uncaughtException');
    expect(proc.rethrown).toEqual([]);
    await expect.poll(() => proc.rethrown.length).toBe(1);
    expect(proc.rethrown[0]).toBe(fatal);
    // The report left before the crash was handed back.
    expect(crashes(t).map((e) => e.fields.origin)).toEqual(['uncaught']);
    // Stepped aside: no listener of ours remains.
    expect(proc.emitter.listenerCount('uncaughtException')).toBe(0);
    expect(proc.emitter.listenerCount('unhandledRejection')).toBe(0);
    capture.stop();
  });

  it('leaves the decision to the host when it has crash handlers of its own', async () => {
    const t = telemetry();
    const proc = fakeProcess();
    const hostSaw: unknown[] = [];
    proc.emitter.on('uncaughtException', (e) => void hostSaw.push(e));
    const capture = captureCrashes(t.client, { appRoot: '/opt/app', process: proc });
    const err = new Error('handled by host');
    proc.emitter.emit('uncaughtException', err, 'uncaughtException');
    expect(hostSaw).toEqual([err]);
    // Ours ran first (prepended), so the report is in the outbox already.
    expect(t.client.stats().stored).toBeGreaterThanOrEqual(1);
    await t.flush();
    expect(proc.rethrown).toEqual([]);
    expect(crashes(t)).toHaveLength(1);
    capture.stop();
  });

  it('replays an unhandled rejection to Node in throw mode, and not in warn mode', async () => {
    const t = telemetry();
    const proc = fakeProcess();
    // As Node does in throw mode: a rejection nobody handles is raised as an uncaught exception.
    proc.replayRejection = (reason) => {
      proc.replayed.push(reason);
      proc.emitter.emit('uncaughtException', reason, 'unhandledRejection');
    };
    const capture = captureCrashes(t.client, { appRoot: '/opt/app', flushTimeoutMs: 5000, process: proc, env: {} });
    const reason = new Error('rejected');
    proc.emitter.emit('unhandledRejection', reason, Promise.resolve());
    await expect.poll(() => proc.replayed.length).toBe(1);
    expect(proc.replayed[0]).toBe(reason);
    expect(crashes(t).map((e) => e.fields.origin)).toEqual(['unhandled-rejection']);
    // Handed back to Node without a second report.
    expect(proc.rethrown).toEqual([reason]);
    await t.flush();
    expect(crashes(t)).toHaveLength(1);
    capture.stop();

    const t2 = telemetry();
    const proc2 = fakeProcess();
    const capture2 = captureCrashes(t2.client, { appRoot: '/opt/app', process: proc2, env: { NODE_OPTIONS: '--unhandled-rejections=warn' } });
    proc2.emitter.emit('unhandledRejection', new Error('warned'), Promise.resolve());
    await t2.flush();
    expect(proc2.replayed).toEqual([]);
    expect(crashes(t2)).toHaveLength(1);
    capture2.stop();
  });

  it('refuses bad options with a ConfigError', () => {
    const t = telemetry();
    expect(() => captureCrashes(t.client, { appRoot: '/' })).toThrow(ConfigError);
    expect(() => captureCrashes(t.client, { flushTimeoutMs: -1 })).toThrow(/flushTimeoutMs/);
    expect(() => captureCrashes(t.client, { nope: 1 } as never)).toThrow(/unknown option "nope"/);
    expect(() => captureCrashes(t.client, { maxReportsPerPeriod: 1000 })).toThrow(/maxReportsPerPeriod/);
  });
});
