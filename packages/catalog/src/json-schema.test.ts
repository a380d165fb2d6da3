import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleCatalog, sampleRawPlay } from '../test/sample-catalog.js';
import { compileCatalog } from './compile-catalog.js';
import { examplePayload } from './example-payload.js';
import { catalogJsonSchema, eventFieldsSchema } from './json-schema.js';
import { mediaServerCatalog } from './media-server.js';
import type { CatalogSpec } from './types.js';

function compile(spec: CatalogSpec) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  return ajv.compile(catalogJsonSchema(spec));
}

describe.each([
  ['media-server', mediaServerCatalog as CatalogSpec],
  ['sample', sampleCatalog() as CatalogSpec],
])('catalogJsonSchema of the %s catalog', (_name, spec) => {
  const validate = compile(spec);

  it('compiles in strict mode and names the catalog version', () => {
    expect(catalogJsonSchema(spec)).toMatchObject({ $id: `candor:catalog:${spec.id}:${spec.version}`, $schema: 'https://json-schema.org/draft/2020-12/schema' });
  });

  it('accepts the example payload of every event', () => {
    for (const [name, event] of Object.entries(spec.events)) {
      const ok = validate({ name, time: '2026-03-01', fields: examplePayload(event) });
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('refuses events that do not match', () => {
    const [name, event] = Object.entries(spec.events)[0]!;
    const fields = examplePayload(event);
    const [firstField] = Object.keys(fields);
    const bad = [
      { name: 'no.such', time: '2026-03-01', fields },
      { name, time: '2026-03-01T10:00:00Z', fields },
      { name, time: '2026-03-01', fields: { ...fields, title: 'Some Film' } },
      { name, time: '2026-03-01', fields: { ...fields, [firstField!]: 'not a generalized value' } },
      { name, time: '2026-03-01', fields: Object.fromEntries(Object.entries(fields).slice(1)) },
      { name, time: '2026-03-01' },
      { name, time: '2026-03-01', fields, extra: 1 },
    ];
    for (const event of bad) expect(validate(event)).toBe(false);
  });
});

describe('eventFieldsSchema', () => {
  const spec = sampleCatalog();
  const play = compileCatalog(spec).events.get('media.play')!;
  const ajv = new Ajv2020({ strict: true });
  const validate = ajv.compile(eventFieldsSchema(spec.events['media.play']));

  it('allows null for optional fields only', () => {
    expect(validate({ kind: 'movie', length: null, resolution: 'sd', hdr: false })).toBe(true);
    expect(validate({ kind: null, length: null, resolution: 'sd', hdr: false })).toBe(false);
  });

  it('agrees with the compiled check: what the check accepts, the schema accepts', () => {
    const value = fc.oneof(fc.constantFrom('movie', 'track', 'other', '1 h or more', 'under 1 min', 'sd', '4k', true, false, null), fc.anything());
    const payload = fc.record({ kind: value, length: value, resolution: value, hdr: value }, { requiredKeys: [] });
    fc.assert(
      fc.property(payload, (p) => {
        if (play.check(p).length === 0) expect(validate(p)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts every normalized payload', () => {
    const r = play.normalize(sampleRawPlay());
    expect(r.ok && validate(r.payload)).toBe(true);
  });
});
