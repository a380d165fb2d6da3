import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sampleCatalog } from '../test/sample-catalog.js';
import { compileCatalog } from './compile-catalog.js';
import { buildDataDictionary, renderDataDictionaryMarkdown } from './data-dictionary.js';
import { mediaServerCatalog } from './media-server.js';
import type { CatalogSpec } from './types.js';

describe('buildDataDictionary', () => {
  const spec: CatalogSpec = mediaServerCatalog;
  const dict = buildDataDictionary(spec);
  const compiled = compileCatalog(spec);

  it('lists every category, event and field of the catalog with its generalization', () => {
    expect(dict).toMatchObject({ id: spec.id, version: spec.version, effectiveDate: spec.effectiveDate, linkagePeriod: spec.linkagePeriod });
    expect(dict.categories.map((c) => c.id)).toEqual(Object.keys(spec.categories));
    const events = dict.categories.flatMap((c) => c.events);
    expect(events.map((e) => e.name).sort()).toEqual(Object.keys(spec.events).sort());
    for (const e of events) {
      const declared = spec.events[e.name]!;
      expect(e.category).toBe(declared.category);
      expect(e.fields.map((f) => f.name)).toEqual(Object.keys(declared.fields));
      for (const f of e.fields) {
        const g = declared.fields[f.name]!.generalize;
        expect(f.kind).toBe(g.spec.kind);
        expect(f.generalization).toBe(g.describe());
        expect(f.values).toEqual(g.outputs ?? null);
        expect(f.description.length).toBeGreaterThan(0);
      }
    }
  });

  it('gives each event an example payload the collector accepts', () => {
    for (const e of dict.categories.flatMap((c) => c.events)) {
      expect(compiled.events.get(e.name)!.check(e.example.fields)).toEqual([]);
      expect(e.example.time).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(dict))).toEqual(dict);
  });

  it('names the raw keys a host passes', () => {
    const play = dict.categories.flatMap((c) => c.events).find((e) => e.name === 'playback.session')!;
    expect(play.fields.find((f) => f.name === 'resolution')!.rawKeys).toEqual(['width', 'height']);
    expect(play.fields.find((f) => f.name === 'duration')!.rawKeys).toEqual(['durationSeconds']);
    expect(play.sampled).toBe(true);
  });
});

describe('renderDataDictionaryMarkdown', () => {
  const dict = buildDataDictionary(sampleCatalog());
  const md = renderDataDictionaryMarkdown(dict);

  it('shows every event, field, bucket label and an example', () => {
    for (const c of dict.categories) {
      expect(md).toContain(`## ${c.title} (\`${c.id}\`)`);
      for (const e of c.events) {
        expect(md).toContain(`### \`${e.name}\``);
        expect(md).toContain(JSON.stringify(e.example, null, 2));
        for (const f of e.fields) {
          expect(md).toContain(`| \`${f.name}\``);
          for (const v of f.values ?? []) if (typeof v === 'string') expect(md).toContain(v);
        }
      }
    }
    expect(md).toContain('Optional, on by default.');
    expect(md).toContain('Required: only the server-wide switch');
  });

  it('escapes table cells', () => {
    const spec = sampleCatalog();
    const piped = { ...spec, events: { ...spec.events, 'crash.report': { ...spec.events['crash.report'], fields: { message: { ...spec.events['crash.report'].fields.message, description: 'a | b\nc' } } } } };
    expect(renderDataDictionaryMarkdown(buildDataDictionary(piped))).toContain('| a \\| b c |');
  });
});

describe('docs/data-dictionary.md', () => {
  it('is the current rendering of the media-server catalog', () => {
    const path = fileURLToPath(new URL('../../../docs/data-dictionary.md', import.meta.url));
    const committed = existsSync(path) ? readFileSync(path, 'utf8') : '(missing)';
    const current = renderDataDictionaryMarkdown(buildDataDictionary(mediaServerCatalog));
    expect(committed === current, 'docs/data-dictionary.md is stale: run `npm run build && npx candor catalog docs --format md --out docs/data-dictionary.md` and commit it').toBe(true);
  });
});
