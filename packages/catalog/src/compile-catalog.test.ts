import { describe, expect, it } from 'vitest';
import { sampleCatalog, sampleRawPlay, withField } from '../test/sample-catalog.js';
import { compileCatalog } from './compile-catalog.js';
import { CatalogConfigError } from './errors.js';
import { buckets } from './generalizers/buckets.js';
import { NormalizeError } from './normalize-error.js';

describe('compileCatalog', () => {
  const catalog = compileCatalog(sampleCatalog());

  it('compiles every event once, with its fields and category', () => {
    expect([...catalog.events.keys()]).toEqual(['app.daily', 'media.play', 'crash.report']);
    expect([...catalog.categories.keys()]).toEqual(['usage', 'playback', 'crash']);
    const play = catalog.events.get('media.play')!;
    expect(play.category).toBe('playback');
    expect(play.fields.map((f) => [f.name, f.rawKeys, f.optional])).toEqual([
      ['kind', ['kind'], false],
      ['length', ['lengthSeconds'], true],
      ['resolution', ['width', 'height'], false],
      ['hdr', ['hdr'], false],
    ]);
    expect(compileCatalog(catalog.spec)).toBe(catalog);
  });

  it('refuses a catalog that fails data review, naming every problem', () => {
    const bad = withField(sampleCatalog(), 'media.play', 'length', (f) => ({ ...f, description: '', generalize: buckets({ edges: [10, 5] }) }));
    let thrown: unknown;
    try {
      compileCatalog(bad);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CatalogConfigError);
    expect(thrown).toMatchObject({ code: 'CATALOG_INVALID_DECLARATION' });
    expect((thrown as Error).message).toContain('media.play.length: the field has no description');
    expect((thrown as Error).message).toContain('must increase');
  });

  it('refuses field names that are not identifiers, so no catalog text reaches generated code', () => {
    const hostile = withField(sampleCatalog(), 'media.play', 'x"]; globalThis.hacked = 1; //', () => ({ description: 'x', generalize: buckets({ edges: [1] }) }));
    expect(() => compileCatalog(hostile)).toThrow(/invalid|field names/);
    expect((globalThis as Record<string, unknown>).hacked).toBeUndefined();
  });
});

describe('normalize', () => {
  const catalog = compileCatalog(sampleCatalog());

  it('generalizes a raw event into its wire payload, fields in declaration order', () => {
    const r = catalog.normalize('media.play', sampleRawPlay());
    expect(r).toEqual({ ok: true, payload: { kind: 'movie', length: '1 h or more', resolution: '1080p', hdr: true } });
    expect(Object.keys(r.ok ? r.payload : {})).toEqual(['kind', 'length', 'resolution', 'hdr']);
  });

  it('sends an omitted or null optional field as null, and audio without a size as resolution none', () => {
    const { lengthSeconds: _, width: _w, height: _h, ...rest } = sampleRawPlay();
    expect(catalog.normalize('media.play', rest)).toEqual({ ok: true, payload: { kind: 'movie', length: null, resolution: 'none', hdr: true } });
    expect(catalog.normalize('media.play', { ...sampleRawPlay(), lengthSeconds: null })).toMatchObject({ ok: true, payload: { length: null } });
    expect(catalog.normalize('media.play', { ...sampleRawPlay(), lengthSeconds: undefined })).toMatchObject({ ok: true, payload: { length: null } });
  });

  it('names an unknown event', () => {
    const r = catalog.normalize('media.title', {});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBeInstanceOf(NormalizeError);
    expect(r.error.code).toBe('invalid_event');
    expect(r.error.reason).toBe('unknown_event');
    expect(r.error.event).toBe('media.title');
  });

  it('names every problem with its raw key and reason', () => {
    const r = catalog.normalize('media.play', { kind: 'movie', lengthSeconds: -5, width: 1920, hdr: 'yes', title: 'Some Film', path: '/mnt/x.mkv' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.issues.map((i) => [i.path, i.reason])).toEqual([
      ['media.play.lengthSeconds', 'out_of_range'],
      ['media.play.width+height', 'wrong_type'],
      ['media.play.hdr', 'wrong_type'],
      ['media.play.title', 'unknown_field'],
      ['media.play.path', 'unknown_field'],
    ]);
    expect(r.error.reason).toBe('out_of_range');
    expect(r.error.message).toContain('media.play.hdr: expected a boolean, got string');
  });

  it('reports a missing required field as missing and a null one as the wrong type', () => {
    const { kind: _, ...noKind } = sampleRawPlay();
    expect(catalog.normalize('media.play', noKind)).toMatchObject({ ok: false, error: { issues: [{ path: 'media.play.kind', reason: 'missing' }] } });
    expect(catalog.normalize('media.play', { ...sampleRawPlay(), kind: null })).toMatchObject({ ok: false, error: { issues: [{ path: 'media.play.kind', reason: 'wrong_type' }] } });
  });

  it('refuses a payload that is not a plain object', () => {
    for (const raw of [null, undefined, 42, 'x', [sampleRawPlay()], () => sampleRawPlay()]) {
      expect(catalog.normalize('media.play', raw)).toMatchObject({ ok: false, error: { issues: [{ reason: 'not_an_object' }] } });
    }
  });

  it('names the first undeclared fields of a huge object and counts the rest', () => {
    const raw: Record<string, unknown> = sampleRawPlay();
    for (let i = 0; i < 10_000; i++) raw[`junk${i}`] = i;
    const r = catalog.normalize('media.play', raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.issues).toHaveLength(21);
    expect(r.error.issues.at(-1)).toEqual({ path: 'media.play', reason: 'unknown_field', message: '9980 more undeclared fields' });
  });

  it('never echoes a raw value in its messages', () => {
    const secret = 'Secret Film Title (1999)';
    const r = catalog.normalize('media.play', { kind: 42, lengthSeconds: secret, width: secret, height: secret, hdr: secret, [secret]: secret });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).not.toContain('Secret');
  });
});

describe('check (the collector side)', () => {
  const catalog = compileCatalog(sampleCatalog());
  const play = catalog.events.get('media.play')!;
  const valid = { kind: 'movie', length: '1 h or more', resolution: '1080p', hdr: true };

  it('accepts what normalize produces', () => {
    const r = catalog.normalize('media.play', sampleRawPlay());
    expect(r.ok && play.check(r.payload)).toEqual([]);
    expect(play.check({ ...valid, length: null })).toEqual([]);
  });

  it('refuses values outside the output set of each field', () => {
    expect(play.check({ ...valid, kind: 'film' })).toEqual([{ path: 'media.play.kind', reason: 'invalid_format', message: expect.any(String) }]);
    expect(play.check({ ...valid, length: 5400 })).toMatchObject([{ path: 'media.play.length', reason: 'invalid_format' }]);
    expect(play.check({ ...valid, length: '90 min' })).toMatchObject([{ path: 'media.play.length', reason: 'invalid_format' }]);
    expect(play.check({ ...valid, resolution: '1920x800' })).toMatchObject([{ path: 'media.play.resolution', reason: 'invalid_format' }]);
    expect(play.check({ ...valid, hdr: 'true' })).toMatchObject([{ path: 'media.play.hdr', reason: 'invalid_format' }]);
  });

  it('refuses missing, null and undeclared fields', () => {
    const { hdr: _, ...noHdr } = valid;
    expect(play.check(noHdr)).toMatchObject([{ path: 'media.play.hdr', reason: 'missing' }]);
    expect(play.check({ ...valid, kind: null })).toMatchObject([{ path: 'media.play.kind', reason: 'wrong_type' }]);
    expect(play.check({ ...valid, title: 'x' })).toMatchObject([{ path: 'media.play.title', reason: 'unknown_field' }]);
    expect(play.check(JSON.parse(`{"kind":"movie","length":null,"resolution":"sd","hdr":false,"__proto__":{"x":1}}`))).toMatchObject([{ path: 'media.play.__proto__', reason: 'unknown_field' }]);
    expect(play.check([valid])).toMatchObject([{ reason: 'not_an_object' }]);
    expect(play.check('x')).toMatchObject([{ reason: 'not_an_object' }]);
  });

  it('reports an unreadable payload instead of throwing', () => {
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('boom'); }, get: () => { throw new Error('boom'); } });
    expect(play.check(hostile)).toMatchObject([{ reason: 'internal' }]);
  });
});
