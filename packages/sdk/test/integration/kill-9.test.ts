import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createCaptureServer } from '../../src/testing/index.js';
import { realSleep, removeTempDirs, tempDir, waitUntil } from './helpers.js';

// The host runs as a child process on the BUILT SDK: `npm run build` first (`npm test` does).
const HOST = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'telemetry-host.mjs');
const RUNS = 9;
const SEQ_SPAN = 10_000_000;

afterAll(() => removeTempDirs());

interface Host {
  readonly child: ChildProcess;
  /** Every sequence number below this was durably stored, as the host last reported. */
  stored: number;
  ready: boolean;
  /** Events the host recorded and holds in memory (`sigterm` modes). */
  recorded: number;
  signal: NodeJS.Signals | null;
  readonly exited: Promise<number | null>;
  output: string;
}

function startHost(dataDir: string, endpoint: string, first: number, mode?: 'drain' | 'sigterm' | 'sigterm-unhandled'): Host {
  const child = spawn(process.execPath, [HOST, dataDir, endpoint, String(first), ...(mode ? [mode] : [])], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
  const host: Host = {
    child,
    stored: first,
    ready: false,
    recorded: -1,
    output: '',
    signal: null,
    exited: new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        host.signal = signal;
        resolve(code);
      }),
    ),
  };
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      host.output += `${line}\n`;
      if (line === 'ready') host.ready = true;
      const m = /^stored (\d+)$/.exec(line);
      if (m) host.stored = Number(m[1]);
      const r = /^recorded (\d+)$/.exec(line);
      if (r) host.recorded = Number(r[1]);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => void (host.output += chunk.toString('utf8')));
  return host;
}

describe('kill -9 of the host, in a loop', () => {
  it('delivers every event stored before the last group commit exactly once after restart', async () => {
    const delivered = new Map<number, number>();
    const server = await createCaptureServer({
      keepRequests: false,
      onBatch(batch, duplicate) {
        if (duplicate) return;
        for (const e of batch.events) if (e.name === 'test.tick') delivered.set(e.fields.seq as number, (delivered.get(e.fields.seq as number) ?? 0) + 1);
      },
    });
    const dataDir = tempDir('candor-kill-');
    const runs: { first: number; stored: number; collector: string }[] = [];
    for (let run = 0; run < RUNS; run++) {
      // The collector is up, down, or slow to acknowledge (so that kills land between "stored" and "acknowledged").
      const collector = ['up', 'down', 'slow'][run % 3]!;
      if (collector === 'down') await server.stop();
      if (collector === 'slow') server.setDelayMs(25);
      const first = run * SEQ_SPAN;
      const host = startHost(dataDir, server.url, first);
      await waitUntil(() => host.stored >= first + 400, `run ${run} to store 400 events\n${host.output}`, 30_000);
      // Kill at a different point of the commit and send cycle each run.
      await realSleep(15 + ((run * 37) % 90));
      host.child.kill('SIGKILL');
      expect(await host.exited).toBeNull();
      runs.push({ first, stored: host.stored, collector });
      if (collector === 'down') await server.start();
      server.setDelayMs(0);
    }

    const drain = startHost(dataDir, server.url, 0, 'drain');
    expect(await drain.exited, drain.output).toBe(0);
    await server.close();

    let expected = 0;
    for (const r of runs) {
      const missing: number[] = [];
      for (let seq = r.first; seq < r.stored; seq++) if (delivered.get(seq) !== 1) missing.push(seq);
      expect(missing, `run starting at ${r.first} (collector ${r.collector})`).toEqual([]);
      expected += r.stored - r.first;
    }
    const twice = [...delivered].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    // Nothing was delivered that no run recorded.
    for (const seq of delivered.keys()) expect(runs.some((r) => seq >= r.first && seq < r.first + SEQ_SPAN)).toBe(true);
    expect(delivered.size).toBeGreaterThanOrEqual(expected);
    console.log(`kill -9 ×${RUNS}: ${expected} events stored before the kills, ${delivered.size} delivered once each (events recorded after the last commit are lost by design); the collector absorbed ${server.duplicateArrivals()} repeated batch keys`);
  }, 180_000);
});

describe('SIGTERM', () => {
  it('persists everything held in memory when the host opts in, then exits as the signal would', async () => {
    const delivered = new Set<number>();
    const server = await createCaptureServer({ keepRequests: false, onBatch: (b, dup) => dup || b.events.forEach((e) => delivered.add(e.fields.seq as number)) });
    const run = async (mode: 'sigterm' | 'sigterm-unhandled', first: number): Promise<Host> => {
      const dataDir = tempDir('candor-sigterm-');
      const host = startHost(dataDir, server.url, first, mode);
      await waitUntil(() => host.recorded >= 0, `the ${mode} host to record\n${host.output}`, 30_000);
      expect(host.recorded).toBe(500);
      host.child.kill('SIGTERM');
      await host.exited;
      const drain = startHost(dataDir, server.url, 0, 'drain');
      expect(await drain.exited, drain.output).toBe(0);
      return host;
    };
    const handled = await run('sigterm', 0);
    expect(handled.signal).toBe('SIGTERM');
    const unhandled = await run('sigterm-unhandled', 1_000_000);
    expect(unhandled.signal).toBe('SIGTERM');
    await server.close();
    // With the handler, all 500 reach the collector after the restart; without it, none survive.
    expect([...delivered].filter((s) => s < 1_000_000).sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect([...delivered].filter((s) => s >= 1_000_000)).toEqual([]);
  }, 120_000);
});
