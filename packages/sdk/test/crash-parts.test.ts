import { describe, expect, it } from 'vitest';
import { crashFingerprint } from '../src/crash/crash-fingerprint.js';
import { createCrashLedger } from '../src/crash/crash-ledger.js';
import { describeError } from '../src/crash/describe-error.js';
import { isTooBroadAppRoot, relativizeAppRoot } from '../src/crash/relativize-app-root.js';
import { unhandledRejectionsMode } from '../src/crash/unhandled-rejections-mode.js';

const LIMITS = { maxFrames: 40, maxCauseDepth: 5, maxChars: 65_536 };

describe('relativizeAppRoot', () => {
  it('makes POSIX, file URL and Windows frames of the app module-relative', () => {
    expect(relativizeAppRoot('at T.start (/opt/server/src/transcoder/session.ts:120:7)', ['/opt/server'])).toBe('at T.start (src/transcoder/session.ts:120:7)');
    expect(relativizeAppRoot('at file:///opt/my%20server/src/a.mjs:1:2', ['/opt/my server'])).toBe('at src/a.mjs:1:2');
    expect(relativizeAppRoot('at x (C:\\Program Files\\Server\\src\\scan\\walk.js:9:1)', ['C:\\Program Files\\Server'])).toBe('at x (src/scan/walk.js:9:1)');
    expect(relativizeAppRoot('at file:///C:/Program%20Files/Server/src/a.js:1:2', ['C:\\Program%20Files\\Server'])).toBe('at src/a.js:1:2');
    expect(relativizeAppRoot('at x (c:\\srv\\app\\lib\\a.js:1:2)', ['C:\\srv\\app'])).toBe('at x (lib/a.js:1:2)');
  });

  it('leaves paths outside the app alone, and a sibling directory with a longer name', () => {
    const text = "open '/mnt/media/Film.mkv' from /opt/server-old/src/a.ts:1:1";
    expect(relativizeAppRoot(text, ['/opt/server'])).toBe(text);
  });

  it('refuses roots that would make every path relative', () => {
    expect(isTooBroadAppRoot('/')).toBe(true);
    expect(isTooBroadAppRoot('C:\\')).toBe(true);
    expect(isTooBroadAppRoot('\\\\nas\\share')).toBe(true);
    expect(isTooBroadAppRoot('/opt/server')).toBe(false);
    expect(relativizeAppRoot('/mnt/media/a.mkv', ['/'])).toBe('/mnt/media/a.mkv');
  });
});

describe('describeError', () => {
  it('follows the cause chain as Node prints it, and bounds the frames', () => {
    const inner = new Error("EIO: i/o error, read '/mnt/x.mkv'");
    const outer = new Error('Library scan failed', { cause: inner });
    const d = describeError(outer, { ...LIMITS, maxFrames: 2 });
    expect(d.errorType).toBe('Error');
    expect(d.message).toBe('Library scan failed');
    expect(d.stack).toContain('[cause]: Error: EIO: i/o error');
    expect(d.stack.split('\n').filter((l) => /^\s*at /.test(l)).length).toBe(4);
    expect(d.stack).toMatch(/\.\.\. \d+ more frames/);
  });

  it('lists AggregateError members and survives cycles, throwing getters and non-errors', () => {
    const agg = new AggregateError([new Error('connect ECONNREFUSED 127.0.0.1:8096'), new Error('connect ECONNREFUSED ::1:8096')], 'all failed');
    expect(describeError(agg, LIMITS).stack).toContain('[errors][1]: Error: connect ECONNREFUSED ::1:8096');
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(describeError(b, LIMITS).stack.match(/\[cause\]/g)?.length).toBe(1);
    const hostile = new Proxy(new Error('x'), {
      get() {
        throw new Error('no');
      },
    });
    expect(describeError(hostile, LIMITS).errorType).toBeTypeOf('string');
    expect(describeError('just a string', LIMITS)).toEqual({ errorType: 'NonErrorString', message: 'just a string', stack: 'just a string' });
    expect(describeError({ file: '/mnt/a.mkv' }, LIMITS).message).toContain('/mnt/a.mkv');
    expect(describeError(null, LIMITS).errorType).toBe('null');
  });

  it('cuts the text to the limit', () => {
    expect(describeError(new Error('x'.repeat(1000)), { ...LIMITS, maxChars: 100 }).message.length).toBe(100);
  });
});

describe('crashFingerprint', () => {
  it('depends on the error class and the frames, not the message', () => {
    const stack = (msg: string) => `Error: ${msg}\n    at a (src/a.ts:1:2)\n    at b (src/b.ts:3:4)`;
    expect(crashFingerprint('Error', stack('one'), 'one')).toBe(crashFingerprint('Error', stack('two'), 'two'));
    expect(crashFingerprint('TypeError', stack('one'), 'one')).not.toBe(crashFingerprint('Error', stack('one'), 'one'));
    expect(crashFingerprint('Error', stack('x').replace('1:2', '9:9'), 'x')).not.toBe(crashFingerprint('Error', stack('x'), 'x'));
  });

  it('falls back to the message with digits folded when there are no frames', () => {
    expect(crashFingerprint('NonErrorString', 'timeout after 3012 ms', 'timeout after 3012 ms')).toBe(crashFingerprint('NonErrorString', 'timeout after 2987 ms', 'timeout after 2987 ms'));
    expect(crashFingerprint('NonErrorString', 'a', 'a')).not.toBe(crashFingerprint('NonErrorString', 'b', 'b'));
  });
});

describe('createCrashLedger', () => {
  it('reports a fingerprint once per period and counts its repeats', () => {
    const ledger = createCrashLedger<string>({ maxReportsPerPeriod: 10, maxFingerprints: 10 });
    expect(ledger.observe('f1', 'd1', 's')).toEqual({ action: 'report', count: 1 });
    expect(ledger.observe('f1', 'd1', 's')).toEqual({ action: 'repeat' });
    expect(ledger.observe('f1', 'd1', 's')).toEqual({ action: 'repeat' });
    expect(ledger.pending()).toBe(2);
    expect(ledger.takeRepeats('d1')).toEqual([{ fingerprint: 'f1', count: 2, sample: 's' }]);
    expect(ledger.takeRepeats('d1')).toEqual([]);
    // A new period reports the first occurrence again.
    expect(ledger.observe('f1', 'd2', 's')).toEqual({ action: 'report', count: 1 });
  });

  it('caps reports per period and carries what was capped into the next period', () => {
    const ledger = createCrashLedger<string>({ maxReportsPerPeriod: 2, maxFingerprints: 10 });
    expect(ledger.observe('a', 'd1', 's').action).toBe('report');
    expect(ledger.observe('b', 'd1', 's').action).toBe('report');
    expect(ledger.observe('c', 'd1', 's')).toEqual({ action: 'capped' });
    expect(ledger.observe('c', 'd1', 's')).toEqual({ action: 'capped' });
    expect(ledger.observe('a', 'd1', 's')).toEqual({ action: 'repeat' });
    expect(ledger.takeRepeats('d1')).toEqual([]);
    // Next period: c's first report carries its two capped occurrences.
    expect(ledger.observe('c', 'd2', 's')).toEqual({ action: 'report', count: 3 });
    expect(ledger.takeRepeats('d2')).toEqual([{ fingerprint: 'a', count: 1, sample: 's' }]);
  });

  it('remembers a bounded number of fingerprints and forgets everything on clear', () => {
    const ledger = createCrashLedger<string>({ maxReportsPerPeriod: 100, maxFingerprints: 2 });
    ledger.observe('a', 'd1', 's');
    ledger.observe('b', 'd1', 's');
    expect(ledger.observe('c', 'd1', 's')).toEqual({ action: 'capped' });
    ledger.observe('a', 'd1', 's');
    ledger.clear();
    expect(ledger.pending()).toBe(0);
    expect(ledger.observe('a', 'd1', 's')).toEqual({ action: 'report', count: 1 });
  });
});

describe('unhandledRejectionsMode', () => {
  it('reads the command line first, then NODE_OPTIONS, else throw', () => {
    expect(unhandledRejectionsMode([], undefined)).toBe('throw');
    expect(unhandledRejectionsMode([], '--max-old-space-size=100 --unhandled-rejections=warn')).toBe('warn');
    expect(unhandledRejectionsMode(['--unhandled-rejections=strict'], '--unhandled-rejections=warn')).toBe('strict');
    expect(unhandledRejectionsMode(['--unhandled-rejections=none', '--unhandled-rejections=warn-with-error-code'], undefined)).toBe('warn-with-error-code');
    expect(unhandledRejectionsMode(['--unhandled-rejections=bogus'], undefined)).toBe('throw');
  });
});
