import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// The CLI runs from the build (`npm run build`), as a user runs it.
const cli = join(import.meta.dirname, '..', 'bin', 'candor.js');
let child: ChildProcess | undefined;
let dir: string;

afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('candor collector start / candor load', () => {
  it('serves with options from flags and environment, takes a simulated fleet, and stops cleanly on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-cli-'));
    child = spawn(process.execPath, [cli, 'collector', 'start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dir], { env: { ...process.env, CANDOR_K: '12', CANDOR_INGEST_PER_MINUTE: '0', CANDOR_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /"port":(\d+),"catalog":"media-server 1.0.0","k":12/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child!.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toEqual({ status: 'ready' });
    const load = spawnSync(process.execPath, [cli, 'load', '--target', `http://127.0.0.1:${port}`, '--installs', '200', '--duration', '2', '--concurrency', '8', '--days', '1'], { encoding: 'utf8' });
    expect(load.status).toBe(0);
    expect(load.stdout).toMatch(/throughput\s+\d+ accepted events\/s/);
    expect(load.stdout).toMatch(/latency ms\s+p50 [\d.]+\s+p90 [\d.]+\s+p99 [\d.]+/);
    expect(load.stdout).toMatch(/refused\s+none/);
    const token = readFileSync(join(dir, 'admin-token'), 'utf8').trim();
    const stats = await fetch(`http://127.0.0.1:${port}/v1/stats?event=server.daily`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await stats.json()) as { k: number }).k).toBe(12);
    const exit = await new Promise<number | null>((resolve) => {
      child!.once('exit', (code) => resolve(code));
      child!.kill('SIGTERM');
    });
    child = undefined;
    expect(exit).toBe(0);
  });

  it('refuses a bad option with a message naming it', () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-cli-'));
    const r = spawnSync(process.execPath, [cli, 'collector', 'start', '--port', '0', '--data-dir', dir, '--k', '1'], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/k \(from the command line\) must be between 2/);
    const load = spawnSync(process.execPath, [cli, 'load', '--target', 'http://127.0.0.1:9', '--installs', 'many'], { encoding: 'utf8' });
    expect(load.status).not.toBe(0);
    expect(load.stderr).toMatch(/--installs must be a positive whole number/);
  });
});
