import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// `candor risk` as a person runs it: the built CLI in a child process (`npm test` builds first).
const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'packages/cli/bin/candor.js');
const dir = mkdtempSync(join(tmpdir(), 'candor-risk-cli-'));

function candor(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, 'risk', ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(() => {
  if (!existsSync(join(root, 'packages/cli/dist/main.js')) || !existsSync(join(root, 'packages/risk/dist/index.js'))) {
    throw new Error('the CLI is not built: run `npm run build` first');
  }
});

const albums = Array.from({ length: 120 }, (_, i) => `alb${Math.floor(i / 4)},${(i % 4) + 1},t${i},x,${(150 + ((i * 53) % 300)) * 1000}`);
const musicCsv = ['album_id,track_no,title,artist,duration_ms', ...albums].join('\n');

describe('candor risk', () => {
  it('prints exactly the --json object', () => {
    const r = candor('--media', file('songs.csv', musicCsv), '--json', '--installs', '300');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { scenarios: Record<string, unknown>[]; utility: { tvd: Record<string, number> } };
    expect(Object.keys(report)).toEqual(['scenarios', 'utility']);
    expect(report.scenarios.map((s) => [s.attack, s.generalized, s.items])).toEqual([
      ['single', true, 120],
      ['single', false, 120],
      ['linked', true, 30],
      ['linked', false, 30],
    ]);
    for (const s of report.scenarios) expect(Object.keys(s)).toEqual(['name', 'attack', 'generalized', 'items', 'identifiedFraction', 'p10AnonymitySet', 'medianAnonymitySet']);
    expect(Object.keys(report.utility.tvd)).toEqual(['duration', 'bitrate', 'resolution', 'mediaType']);
  });

  it('prints the same figures for the same seed, and a readable table without --json', () => {
    const path = file('songs2.csv', musicCsv);
    const a = candor('--media', path, '--json', '--installs', '200', '--seed', '4');
    expect(candor('--media', path, '--json', '--installs', '200', '--seed', '4').stdout).toBe(a.stdout);
    const table = candor('--media', path, '--installs', '200', '--seed', '4');
    expect(table.status).toBe(0);
    expect(table.stdout).toContain('Re-identification risk of telemetry catalog media-server');
    expect(table.stdout).toMatch(/^songs2: whole album played in one day +linked +generalized +30 /m);
  });

  it('measures a catalog module given with --catalog', () => {
    const catalog = file(
      'catalog.mjs',
      `import { mediaServerCatalog } from '${join(root, 'packages/catalog/dist/media-server.js')}';\nexport default { ...mediaServerCatalog, id: 'my-fork', version: '2.0.0' };\n`,
    );
    const r = candor('--media', file('films.csv', 'title,year,runtime_seconds\na,2000,5400\nb,2001,5460\n'), '--catalog', catalog, '--installs', '100');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('telemetry catalog my-fork 2.0.0');
  });

  it('names the problem and exits 1 for a bad file', () => {
    const unknown = candor('--media', file('odd.csv', 'name,length\nx,1\n'));
    expect(unknown.status).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^candor risk: .*odd\.csv: header "name,length" is neither a movie catalog .* \[RISK_UNKNOWN_KIND\]\n$/);
    const bad = candor('--media', file('bad.csv', 'title,year,runtime_seconds\nx,2000,soon\n'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('row 2: runtime_seconds "soon" is not a positive number [RISK_BAD_VALUE]');
    const missing = candor('--media', join(dir, 'nope.csv'));
    expect(missing.stderr).toContain('[RISK_FILE_UNREADABLE]');
  });

  it('refuses a missing --media and a bad --seed', () => {
    const none = candor();
    expect(none.status).not.toBe(0);
    expect(none.stderr).toContain("required option '--media <csv>' not specified");
    const seed = candor('--media', 'x.csv', '--seed', '-3');
    expect(seed.status).not.toBe(0);
    expect(seed.stderr).toContain('expected an integer of at least 0');
  });
});
