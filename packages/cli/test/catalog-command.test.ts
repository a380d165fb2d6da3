import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDataDictionary, renderDataDictionaryMarkdown, type CatalogDiff, type DataDictionary, type LintProblem } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// These tests run the built CLI as a person would: `node packages/cli/bin/candor.js …` from the
// repository root. `npm test` builds first; run alone, they build when dist/ is missing.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'packages/cli/bin/candor.js');
const fixture = (name: string) => `packages/cli/test/fixtures/${name}.mjs`;
const out = mkdtempSync(join(tmpdir(), 'candor-cli-'));

beforeAll(() => {
  if (!existsSync(join(root, 'packages/cli/dist/main.js')) || !existsSync(join(root, 'packages/catalog/dist/index.js'))) execSync('npm run build', { cwd: root, stdio: 'ignore' });
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

function candor(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('candor catalog lint', () => {
  it('exits 0 on the default catalog', () => {
    const r = candor('catalog', 'lint');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^catalog media-server \d+\.\d+\.\d+: no problems \(\d+ events, \d+ fields\)\.\n$/);
    expect(r.status).toBe(0);
  });

  it('exits 0 on a valid catalog module', () => {
    expect(candor('catalog', 'lint', '--catalog', fixture('valid')).status).toBe(0);
  });

  it.each([
    ['missing-description', [['media.play', 'missing_description', 'the event has no description'], ['media.play', 'missing_purpose', 'the event does not say why it is collected'], ['media.play.hdr', 'missing_description', 'the field has no description']]],
    ['no-generalizer', [['media.play.title', 'missing_generalizer', 'the field has no generalizer, so its raw value would leave as is']]],
    ['free-text', [['media.play.note', 'free_text_outside_crash', 'the field accepts free text, which only crash reports may carry']]],
    ['retention', [['app.daily', 'missing_retention', 'the event needs a retention in whole days'], ['crash.report', 'retention_above_maximum', "retention of 365 days exceeds the crash category's maximum of 90"]]],
    ['collisions', [['app.daily.lengthAgain', 'name_collision', 'raw key "version" is already read by field "version"'], ['media.plaY', 'name_collision', 'the event name collides with "media.play"']]],
    ['edges', [['media.play.length', 'invalid_generalizer', 'bucket edges must increase']]],
  ])('exits 1 on %s, naming each problem by path, code and message', (name, expected) => {
    const r = candor('catalog', 'lint', '--catalog', fixture(name));
    expect(r.status).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('error'));
    expect(lines).toHaveLength(expected.length);
    expected.forEach(([path, code, message], i) => {
      expect(lines[i]).toMatch(new RegExp(`^error\\s+${path!.replace('.', '\\.')}\\s+${code}\\s+`));
      expect(lines[i]).toContain(message);
    });
    expect(r.stdout).toContain(`catalog fixture 1.0.0: ${expected.length} problem`);
  });

  it('prints the problems as JSON on request', () => {
    const r = candor('catalog', 'lint', '--catalog', fixture('retention'), '--format', 'json');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { catalog: { id: string }; problems: LintProblem[] };
    expect(report.catalog.id).toBe('fixture');
    expect(report.problems.map((p) => [p.path, p.code])).toEqual([
      ['app.daily', 'missing_retention'],
      ['crash.report', 'retention_above_maximum'],
    ]);
  });

  it('exits 3, naming the module, when it cannot be loaded or exports no catalog', () => {
    const missing = candor('catalog', 'lint', '--catalog', './no-such-catalog.mjs');
    expect(missing.status).toBe(3);
    expect(missing.stderr).toBe('candor catalog: could not load catalog module "./no-such-catalog.mjs": no such file or package [CATALOG_MODULE_NOT_FOUND]\n');
    const none = candor('catalog', 'lint', '--catalog', fixture('not-a-catalog'));
    expect(none.status).toBe(3);
    expect(none.stderr).toContain(`"./${fixture('not-a-catalog')}" exports no catalog [CATALOG_EXPORT_NOT_FOUND]`);
    expect(candor('catalog', 'lint', '--catalog', 'catalog.ts').stderr).toContain('must be JavaScript');
  });
});

describe('candor catalog docs', () => {
  it('lists every event and field with its generalization as JSON', () => {
    const r = candor('catalog', 'docs', '--format', 'json');
    expect(r.status).toBe(0);
    const dict = JSON.parse(r.stdout) as DataDictionary;
    expect(dict).toEqual(JSON.parse(JSON.stringify(buildDataDictionary(mediaServerCatalog))));
    const events = dict.categories.flatMap((c) => c.events);
    expect(events.map((e) => e.name).sort()).toEqual(Object.keys(mediaServerCatalog.events).sort());
    for (const e of events) {
      expect(e.fields.map((f) => f.name)).toEqual(Object.keys(mediaServerCatalog.events[e.name as keyof typeof mediaServerCatalog.events].fields));
      for (const f of e.fields) {
        expect(f.kind.length).toBeGreaterThan(0);
        expect(f.generalization.length).toBeGreaterThan(0);
      }
    }
  });

  it('writes Markdown to a file and says so on stderr', () => {
    const file = join(out, 'dictionary.md');
    const r = candor('catalog', 'docs', '--format', 'md', '--out', file);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^catalog media-server \S+: data dictionary \(\d+ events, \d+ fields\) written to /);
    expect(readFileSync(file, 'utf8')).toBe(renderDataDictionaryMarkdown(buildDataDictionary(mediaServerCatalog)));
  });

  it('documents a fixture module, in Markdown by default', () => {
    const r = candor('catalog', 'docs', '--catalog', fixture('valid'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('# Data dictionary: fixture 1.0.0');
    expect(r.stdout).toContain('### `media.play`');
  });

  it('refuses to document a catalog that fails data review', () => {
    const r = candor('catalog', 'docs', '--catalog', fixture('edges'));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`candor catalog: catalog fixture 1.0.0 (${fixture('edges')}) has 1 problem; run \`candor catalog lint --catalog ${fixture('edges')}\` to see them.\n`);
  });

  it('exits 3 when the output cannot be written', () => {
    const r = candor('catalog', 'docs', '--out', join(out, 'no-such-dir', 'x.md'));
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('could not write');
  });
});

describe('candor catalog diff', () => {
  it('says what changed, by category, in sentences', () => {
    const r = candor('catalog', 'diff', fixture('valid'), fixture('valid-next'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('# Changes from fixture 1.0.0 to 1.1.0 (effective 2026-06-01)');
    expect(r.stdout).toContain('## playback');
    expect(r.stdout).toContain('- Playback: new event media.seek (The viewer skipped), with fields forward, sent from 2026-06-01.');
    expect(r.stdout).toContain('- Crashes: event crash.report is no longer sent.');
    expect(r.stdout).toContain('- Usage: app.daily is kept 100 days instead of 400.');
    expect(r.stdout).toContain('what leaves the machine for media.play.length changes to');
  });

  it('prints the changes as JSON on request', () => {
    const r = candor('catalog', 'diff', fixture('valid'), fixture('valid-next'), '--format', 'json');
    const diff = JSON.parse(r.stdout) as CatalogDiff;
    expect(diff.changes.map((c) => [c.kind, c.category, c.event, c.field])).toEqual([
      ['event_changed', 'usage', 'app.daily', undefined],
      ['field_changed', 'playback', 'media.play', 'length'],
      ['event_added', 'playback', 'media.seek', undefined],
      ['event_removed', 'crash', 'crash.report', undefined],
    ]);
  });

  it('compares with --catalog when the new module is omitted, and exits 1 on changes with --exit-code', () => {
    const same = candor('catalog', 'diff', fixture('valid'), '--catalog', fixture('valid'), '--exit-code');
    expect(same.status).toBe(0);
    expect(same.stdout).toContain('No changes.');
    expect(candor('catalog', 'diff', fixture('valid'), fixture('valid-next'), '--exit-code').status).toBe(1);
    const againstDefault = candor('catalog', 'diff', fixture('valid'));
    expect(againstDefault.status).toBe(0);
    expect(againstDefault.stdout).toMatch(/^# Changes from fixture 1\.0\.0 to /);
  });
});

describe('the command line', () => {
  it.each([
    [['--help'], 'Usage: candor'],
    [['catalog', '--help'], 'Usage: candor catalog'],
    [['catalog', 'lint', '--help'], 'Usage: candor catalog lint'],
    [['catalog', 'docs', '--help'], 'Usage: candor catalog docs'],
    [['catalog', 'diff', '--help'], 'Usage: candor catalog diff'],
  ])('%j prints help and exits 0', (args, usage) => {
    const r = candor(...args);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(usage);
    expect(r.stdout).toMatch(/exit/i);
  });

  it('documents the exit codes in the help of every catalog command', () => {
    for (const cmd of ['lint', 'docs', 'diff']) {
      const help = candor('catalog', cmd, '--help').stdout;
      for (const code of ['0  success', '1  data review found problems', '2  the command line is wrong', '3  a catalog module could not be loaded']) expect(help).toContain(code);
    }
  });

  it.each([
    [['catalog', 'docs', '--format', 'xml'], "argument 'xml' is invalid. Allowed choices are md, json."],
    [['catalog', 'diff'], "missing required argument 'old-module'"],
    [['catalog', 'lint', '--strict'], "unknown option '--strict'"],
    [['catalog', 'lint', '--catalog'], "option '--catalog <module>' argument missing"],
    [['catalog', 'publish'], "unknown command 'publish'"],
  ])('%j is a usage error: exit 2 with a message', (args, message) => {
    const r = candor(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
