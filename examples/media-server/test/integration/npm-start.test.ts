import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_ROOT } from '../helpers/fixtures.js';

const REPO_ROOT = join(EXAMPLE_ROOT, '..', '..');
const home = mkdtempSync(join(tmpdir(), 'candor-npm-start-'));
let child: ChildProcess | undefined;

afterAll(() => {
  // Whatever happened, leave no process behind: the whole group npm started.
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is gone already.
    }
  }
  rmSync(home, { recursive: true, force: true });
});

/** Resolves with the output once `pattern` appears in it; rejects if the process ends first. */
function waitFor(proc: ChildProcess, output: { text: string }, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(output.text);
      if (match !== null) {
        proc.stdout?.off('data', check);
        proc.off('exit', ended);
        resolve(match);
      }
    };
    const ended = (code: number | null) => reject(new Error(`npm start exited (${code}) before printing ${pattern}:\n${output.text}`));
    proc.stdout?.on('data', check);
    proc.once('exit', ended);
    check();
  });
}

describe('npm start', () => {
  it('starts the collector, the media server and a fleet, prints URLs that answer, and stops cleanly on SIGINT', { timeout: 300_000 }, async () => {
    // `npm test` has just built every package; rebuilding here would pull dist/ from under other tests.
    child = spawn('npm', ['start', '--', '--home', home, '--installs', '20', '--fleet-days', '3'], {
      cwd: REPO_ROOT,
      env: { ...process.env, CANDOR_START_SKIP_BUILD: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, as a terminal gives it: Ctrl-C signals the whole group (npm, its
      // shell and node), and npm's shell does not pass a signal sent to npm alone on to node.
      detached: true,
    });
    const output = { text: '' };
    child.stdout?.on('data', (c: Buffer) => (output.text += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output.text += c.toString()));

    await waitFor(child, output, /Press Ctrl-C to stop\./);
    const url = (label: string) => new RegExp(`^ {2}${label} +(\\S+)`, 'm').exec(output.text)?.[1];
    const mediaServer = url('Media server');
    const privacyTab = url('Privacy tab');
    const collector = url('Collector');
    const adminToken = url('Admin token');
    expect(mediaServer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(privacyTab).toMatch(/\/login\/session\?token=/);
    expect(collector).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(adminToken).toBeDefined();

    const library = await fetch(`${mediaServer}api/items`);
    expect(library.status).toBe(200);
    const { items } = (await library.json()) as { items: { container: string }[] };
    expect(items.map((i) => i.container).sort()).toEqual(['flac', 'flac', 'mkv', 'mp3', 'mp3', 'mp4', 'mp4', 'mp4']);
    expect((await fetch(mediaServer!)).status).toBe(200);

    // The privacy tab link signs the owner in and lands on the settings page, where the tab's API answers.
    const login = await fetch(privacyTab!, { redirect: 'manual' });
    expect(login.status).toBe(303);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect((await fetch(`${mediaServer}settings`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${mediaServer}privacy/api/consent`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${mediaServer}privacy/api/consent`)).status).toBe(401);

    expect((await fetch(`${collector}/healthz`)).status).toBe(200);
    const stats = await fetch(`${collector}/v1/stats?event=server.daily&groupBy=platform`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(stats.status).toBe(200);
    expect((await fetch(`${collector}/v1/stats?event=server.daily`)).status).toBe(401);
    const dashboard = url('Dashboard');
    expect(dashboard).toBe(`${collector}/dashboard`);
    // Without a session the dashboard offers its sign-in page and nothing else.
    const signIn = await fetch(dashboard!, { redirect: 'manual' });
    expect(signIn.status).toBeLessThan(400);
    expect(output.text).not.toMatch(/Not running/);

    await waitFor(child, output, /Fleet: [\d,]+ events from 20 installs accepted/);

    // 'close' comes once every process holding the output pipes (npm, its shell, node) has ended.
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child!.once('close', (code, signal) => resolve({ code, signal })));
    process.kill(-child.pid!, 'SIGINT');
    const { code, signal } = await closed;
    // npm itself dies of the SIGINT, as it does on Ctrl-C in a terminal; the demo shuts down and says so.
    expect(code === 0 || signal === 'SIGINT').toBe(true);
    expect(output.text).toMatch(/SIGINT: stopping…\nStopped\.\n$/);
    // Nothing is left listening: every server of the demo stopped with it.
    for (const base of [mediaServer!, collector!]) await expect(fetch(base)).rejects.toThrow();
    expect(existsSync(join(home, 'collector', 'candor.duckdb'))).toBe(true);
    expect(existsSync(join(home, 'media', 'Movies', 'Color Bars (2025).mkv'))).toBe(true);
  });
});
