import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrashCollector, type CrashCollector } from './fixtures/crash-collector.js';

// These tests run a crashing host as a child process on the BUILT SDK: `npm run build` first.
const HOST = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'crash-host.mjs');

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

function runHost(env: Record<string, string>, nodeArgs: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, HOST], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      // A host that could not even load the SDK exits with 1 too: never let that pass for a crash.
      if (/ERR_MODULE_NOT_FOUND|Cannot find (module|package)/.test(stderr)) reject(new Error(`the host could not load the built packages (run \`npm run build\`):\n${stderr}`));
      else resolve({ code, signal, stderr });
    });
  });
}

let collector: CrashCollector;
const dirs: string[] = [];
const dataDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'candor-crash-'));
  dirs.push(d);
  return d;
};
const crashReports = () => collector.events().filter((e) => e.name === 'crash.report');

beforeAll(async () => {
  collector = await startCrashCollector();
});
afterAll(async () => {
  await collector.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('a crashing host process', () => {
  it('exits with code 1 on an uncaught exception, as without Candor, after the report reached the collector', async () => {
    const without = await runHost({ CRASH_MODE: 'throw', CRASH_CAPTURE: '0', ENDPOINT: collector.endpoint, DATA_DIR: dataDir() });
    expect(without.code).toBe(1);
    const before = crashReports().length;
    const withCandor = await runHost({ CRASH_MODE: 'throw', CRASH_CAPTURE: '1', ENDPOINT: collector.endpoint, DATA_DIR: dataDir() });
    expect(withCandor.code).toBe(without.code);
    // Node still printed the crash locally, in full.
    expect(withCandor.stderr).toContain('Some Film (2017)');
    const reports = crashReports().slice(before);
    expect(reports).toHaveLength(1);
    const fields = reports[0]!.fields;
    expect(fields).toMatchObject({ errorType: 'Error', origin: 'uncaught', count: '1', serverVersion: '2.3' });
    expect(fields.message).toBe("ENOENT: no such file or directory, open '<path>'");
    // The host's own frame, module-relative to its package root.
    expect(fields.stack).toMatch(/at Timeout\.scanLibrary \[as _onTimeout\] \(test\/fixtures\/crash-host\.mjs:\d+:\d+\)/);
    expect(JSON.stringify(collector.batches)).not.toContain('Some Film');
  });

  it('exits with code 1 on an unhandled rejection (Node’s default), after the report reached the collector', async () => {
    const without = await runHost({ CRASH_MODE: 'reject', CRASH_CAPTURE: '0', ENDPOINT: collector.endpoint, DATA_DIR: dataDir() });
    const before = crashReports().length;
    const withCandor = await runHost({ CRASH_MODE: 'reject', CRASH_CAPTURE: '1', ENDPOINT: collector.endpoint, DATA_DIR: dataDir() });
    expect(without.code).toBe(1);
    expect(withCandor.code).toBe(1);
    const reports = crashReports().slice(before);
    expect(reports.map((r) => r.fields.origin)).toEqual(['unhandled-rejection']);
    expect(JSON.stringify(reports)).not.toMatch(/Severance|alice@example\.com/);
  });

  it('keeps a rejection with a non-Error reason exiting with Node’s code and message', async () => {
    const without = await runHost({ CRASH_MODE: 'reject-string', CRASH_CAPTURE: '0', ENDPOINT: collector.endpoint, DATA_DIR: dataDir() });
    const before = crashReports().length;
    const withCandor = await runHost({ CRASH_MODE: 'reject-string', CRASH_CAPTURE: '1', ENDPOINT: collector.endpoint, DATA_DIR: dataDir() });
    expect(withCandor.code).toBe(without.code);
    expect(withCandor.stderr).toContain('ERR_UNHANDLED_REJECTION');
    const reports = crashReports().slice(before);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.fields.errorType).toBe('NonErrorString');
    expect(JSON.stringify(reports)).not.toContain('xKeT9sjdP3R-aBcdEfGh');
  });

  it('keeps running in --unhandled-rejections=warn mode, as without Candor, and still reports', async () => {
    const without = await runHost({ CRASH_MODE: 'reject-then-live', CRASH_CAPTURE: '0', ENDPOINT: collector.endpoint, DATA_DIR: dataDir() }, ['--unhandled-rejections=warn']);
    const before = crashReports().length;
    const withCandor = await runHost({ CRASH_MODE: 'reject-then-live', CRASH_CAPTURE: '1', ENDPOINT: collector.endpoint, DATA_DIR: dataDir() }, ['--unhandled-rejections=warn']);
    expect(without.code).toBe(0);
    expect(withCandor.code).toBe(0);
    expect(withCandor.stderr).toContain('host finished');
    expect(crashReports().slice(before)).toHaveLength(1);
  });

  it('sets exit code 1 in warn-with-error-code mode, as without Candor', async () => {
    const without = await runHost({ CRASH_MODE: 'reject-then-live', CRASH_CAPTURE: '0', ENDPOINT: collector.endpoint, DATA_DIR: dataDir() }, ['--unhandled-rejections=warn-with-error-code']);
    const withCandor = await runHost({ CRASH_MODE: 'reject-then-live', CRASH_CAPTURE: '1', ENDPOINT: collector.endpoint, DATA_DIR: dataDir() }, ['--unhandled-rejections=warn-with-error-code']);
    expect(without.code).toBe(1);
    expect(withCandor.code).toBe(1);
    expect(withCandor.stderr).toContain('host finished');
  });

  it('lets a host crash handler decide the exit code, with the report persisted first and sent on the next start', async () => {
    const dir = dataDir();
    const without = await runHost({ CRASH_MODE: 'host-handler', CRASH_CAPTURE: '0', ENDPOINT: collector.endpoint, DATA_DIR: dataDir() });
    const before = crashReports().length;
    const withCandor = await runHost({ CRASH_MODE: 'host-handler', CRASH_CAPTURE: '1', ENDPOINT: collector.endpoint, DATA_DIR: dir });
    expect(without.code).toBe(3);
    expect(withCandor.code).toBe(3);
    expect(withCandor.stderr).toContain('host handled');
    // The host exited at once; the report was committed to the outbox before its handler ran.
    const restarted = await runHost({ CRASH_MODE: 'none', CRASH_CAPTURE: '0', ENDPOINT: collector.endpoint, DATA_DIR: dir });
    expect(restarted.code).toBe(0);
    const reports = crashReports().slice(before);
    expect(reports.map((r) => r.fields.origin)).toEqual(['uncaught']);
  });

  it('persists the report in the outbox when the collector is down, exits with 1 after the deadline, and sends it on the next start', async () => {
    const dir = dataDir();
    const down = await startCrashCollector();
    const deadEndpoint = down.endpoint;
    await down.close();
    const crashed = await runHost({ CRASH_MODE: 'throw', CRASH_CAPTURE: '1', ENDPOINT: deadEndpoint, DATA_DIR: dir, FLUSH_TIMEOUT_MS: '300' });
    expect(crashed.code).toBe(1);
    const before = crashReports().length;
    const restarted = await runHost({ CRASH_MODE: 'none', CRASH_CAPTURE: '0', ENDPOINT: collector.endpoint, DATA_DIR: dir });
    expect(restarted.code).toBe(0);
    expect(crashReports().slice(before).map((r) => r.fields.message)).toEqual(["ENOENT: no such file or directory, open '<path>'"]);
  });

  it('reports nothing and exits at once while the crash category is off', async () => {
    const before = crashReports().length;
    const run = await runHost({ CRASH_MODE: 'throw', CRASH_CAPTURE: '1', CRASH_CONSENT: 'off', ENDPOINT: collector.endpoint, DATA_DIR: dataDir(), FLUSH_TIMEOUT_MS: '30000' });
    expect(run.code).toBe(1);
    expect(crashReports().slice(before)).toHaveLength(0);
  });
});
