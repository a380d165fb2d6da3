import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The short version of `npm run chaos`, as CI runs it: every scenario on loopback against the
// BUILT packages (`npm test` builds first), in about two minutes, with the same bars as the
// full run. The run is one child process; each test below asserts the bars of one row.

interface Bar {
  readonly name: string;
  readonly pass: boolean;
  readonly detail: string;
}
interface Row {
  readonly id: string;
  readonly title: string;
  readonly bars: readonly Bar[];
  readonly lost?: number | string;
  readonly duplicated?: number | string;
}
interface RunResult {
  readonly results: readonly Row[];
}

const repoRoot = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'candor-chaos-test-'));
const jsonFile = join(dir, 'result.json');
const mdFile = join(dir, 'reliability.md');
let run: RunResult;
let output = '';

beforeAll(async () => {
  const child = spawn(process.execPath, [join(repoRoot, 'chaos', 'run.mjs'), '--short', '--json', jsonFile, '--out', mdFile], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  // Exit code 1 means some bar failed (the tests below say which); 2 means the run itself broke.
  expect(code === 0 || code === 1, output.slice(-4000)).toBe(true);
  run = JSON.parse(readFileSync(jsonFile, 'utf8')) as RunResult;
}, 175_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function barsOf(id: string): Row {
  const row = run.results.find((r) => r.id === id);
  expect(row, `no row "${id}" in the run\n${output.slice(-3000)}`).toBeDefined();
  return row!;
}

function expectBars(id: string): void {
  const row = barsOf(id);
  const failed = row.bars.filter((b) => !b.pass).map((b) => `${b.name}: ${b.detail}`);
  expect(failed, `${row.title}`).toEqual([]);
  expect(row.bars.length).toBeGreaterThan(0);
}

describe('npm run chaos --short', () => {
  it('writes the report table with every scenario', () => {
    const md = readFileSync(mdFile, 'utf8');
    expect(md).toContain('| Scenario | Load held | Faults injected | Bad inputs tried | Events accepted | Delivered | Lost | Duplicated |');
    for (const r of run.results) expect(md).toContain(`| ${r.title.replaceAll('|', '\\|')} |`);
  });

  it('soak: 200 installs, every accepted event stored once, the SDK books balance', () => {
    const row = barsOf('soak');
    expect(row.lost).toBe(0);
    expect(row.duplicated).toBe(0);
    expectBars('soak');
  });

  for (const id of ['kill-9', 'unreachable', 'disk-full', 'corrupt-outbox', 'clock-jumps', 'clock-ahead', 'store-locked', 'store-read-only']) {
    it(`fault ${id}: lost 0, duplicated 0, no crash loop`, () => {
      const row = barsOf(id);
      expect(row.lost).toBe(0);
      expect(row.duplicated).toBe(0);
      expectBars(id);
    });
  }

  for (const id of ['fuzz', 'mutation', 'slow', 'replay', 'pseudonyms', 'admin', 'web', 'pollution']) {
    it(`hostile ${id}: no 5xx, every hostile request refused with the right 4xx`, () => expectBars(id));
  }

  it('data minimization: no address, path or title in anything Candor wrote', () => expectBars('minimization'));
});
