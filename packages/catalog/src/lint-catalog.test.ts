import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleCatalog, withEvent, withField } from '../test/sample-catalog.js';
import { boolean } from './generalizers/boolean.js';
import { buckets } from './generalizers/buckets.js';
import { identifier } from './generalizers/identifier.js';
import { logBuckets } from './generalizers/log-buckets.js';
import { scrubbedText } from './generalizers/scrubbed-text.js';
import { LINT_CODES, lintCatalog, type LintProblem } from './lint-catalog.js';
import { mediaServerCatalog } from './media-server.js';
import type { CatalogSpec } from './types.js';

const base: CatalogSpec = sampleCatalog();
const codes = (problems: readonly LintProblem[]) => problems.map((p) => [p.code, p.path]);

describe('lintCatalog', () => {
  it('passes the default media-server catalog and the sample catalog', () => {
    expect(lintCatalog(mediaServerCatalog)).toEqual([]);
    expect(lintCatalog(base)).toEqual([]);
  });

  it('names an event without a description', () => {
    expect(codes(lintCatalog(withEvent(base, 'media.play', (e) => ({ ...e, description: '  ' }))))).toEqual([['missing_description', 'media.play']]);
  });

  it('names an event without a purpose', () => {
    const { purpose: _, ...rest } = base.events['media.play']!;
    expect(codes(lintCatalog(withEvent(base, 'media.play', () => rest)))).toEqual([['missing_purpose', 'media.play']]);
  });

  it('names a field without a description', () => {
    expect(codes(lintCatalog(withField(base, 'media.play', 'hdr', (f) => ({ ...f, description: '' }))))).toEqual([['missing_description', 'media.play.hdr']]);
  });

  it('names a field without a generalizer, or with something that is not one', () => {
    for (const generalize of [undefined, null, {}, (v: unknown) => v, { apply: (v: unknown) => v }]) {
      const problems = lintCatalog(withField(base, 'media.play', 'hdr', (f) => ({ ...f, generalize })));
      expect(codes(problems)).toEqual([['missing_generalizer', 'media.play.hdr']]);
      expect(problems[0]!.message).toContain('its raw value would leave as is');
    }
  });

  it('names a free-text field outside the crash category', () => {
    for (const generalize of [scrubbedText(), identifier()]) {
      const problems = lintCatalog(withField(base, 'media.play', 'note', () => ({ description: 'A note.', generalize })));
      expect(codes(problems)).toEqual([['free_text_outside_crash', 'media.play.note']]);
      expect(problems[0]!.message).toContain('only crash reports may carry');
    }
    expect(lintCatalog(withField(base, 'crash.report', 'errorType', () => ({ description: 'Error class.', generalize: identifier() })))).toEqual([]);
  });

  it('names a missing retention', () => {
    const { retentionDays: _, ...rest } = base.events['media.play']!;
    expect(codes(lintCatalog(withEvent(base, 'media.play', () => rest)))).toEqual([['missing_retention', 'media.play']]);
    for (const retentionDays of [0, -1, 1.5, Number.NaN, '30']) {
      expect(codes(lintCatalog(withEvent(base, 'media.play', (e) => ({ ...e, retentionDays }))))).toEqual([['missing_retention', 'media.play']]);
    }
    const categories = { ...base.categories, crash: { ...base.categories.crash, maxRetentionDays: undefined } };
    expect(codes(lintCatalog({ ...base, categories } as unknown as CatalogSpec))).toEqual([['missing_retention', 'category:crash']]);
  });

  it("names a retention above the category's maximum", () => {
    const problems = lintCatalog(withEvent(base, 'crash.report', (e) => ({ ...e, retentionDays: 91 })));
    expect(codes(problems)).toEqual([['retention_above_maximum', 'crash.report']]);
    expect(problems[0]!.message).toBe("retention of 91 days exceeds the crash category's maximum of 90");
  });

  it('names colliding event names', () => {
    const problems = lintCatalog(withEvent(base, 'media.Play'.replace('P', 'p').replace('play', 'plaY'), () => ({ ...base.events['media.play']! })));
    expect(codes(problems)).toEqual([['name_collision', 'media.plaY']]);
    expect(problems[0]!.message).toContain('collides with "media.play"');
  });

  it('names colliding field names and raw keys', () => {
    expect(codes(lintCatalog(withField(base, 'media.play', 'HDR'.toLowerCase().replace('hdr', 'hDR'), () => ({ description: 'x', generalize: boolean() }))))).toEqual([['name_collision', 'media.play.hDR']]);
    const sameRaw = lintCatalog(withField(base, 'media.play', 'length2', () => ({ description: 'Length again.', from: 'lengthSeconds', generalize: buckets({ edges: [1] }) })));
    expect(codes(sameRaw)).toEqual([['name_collision', 'media.play.length2']]);
    expect(sameRaw[0]!.message).toBe('raw key "lengthSeconds" is already read by field "length"');
    const readsWidth = lintCatalog(withField(base, 'media.play', 'width', () => ({ description: 'Width.', generalize: buckets({ edges: [1000] }) })));
    expect(codes(readsWidth)).toEqual([['name_collision', 'media.play.width']]);
  });

  it('names bucket edges that do not increase', () => {
    for (const generalize of [buckets({ edges: [600, 60, 3600] }), buckets({ edges: [60, 60] }), logBuckets({ start: 10, factor: 0.5, count: 3 })]) {
      const problems = lintCatalog(withField(base, 'media.play', 'length', (f) => ({ ...f, generalize })));
      expect(problems.map((p) => p.code)).toContain('invalid_generalizer');
      expect(problems.every((p) => p.path === 'media.play.length')).toBe(true);
      expect(problems.map((p) => p.message).join(' ')).toContain('bucket edges must increase');
    }
  });

  it('names an undeclared category, a missing bound and bad sampling', () => {
    expect(codes(lintCatalog(withEvent(base, 'media.play', (e) => ({ ...e, category: 'ads' }))))).toEqual([['unknown_category', 'media.play']]);
    expect(codes(lintCatalog(withEvent(base, 'media.play', (e) => ({ ...e, maxPerPeriod: 0 }))))).toEqual([['invalid_bound', 'media.play']]);
    expect(codes(lintCatalog(withEvent(base, 'media.play', (e) => ({ ...e, sampled: { countEvent: 'media.count', countField: 'n' } }))))).toEqual([['invalid_sampling', 'media.play']]);
    expect(codes(lintCatalog(withEvent(base, 'media.play', (e) => ({ ...e, sampled: { countEvent: 'app.daily', countField: 'n' } }))))).toEqual([['invalid_sampling', 'media.play']]);
    const otherCategory = lintCatalog(withEvent(base, 'media.play', (e) => ({ ...e, sampled: { countEvent: 'app.daily', countField: 'items' } })));
    expect(otherCategory).toMatchObject([{ code: 'invalid_sampling', message: 'the count event must belong to the same category' }]);
    expect(codes(lintCatalog(withEvent(base, 'media.play', (e) => ({ ...e, sampled: null }))))).toEqual([['invalid_sampling', 'media.play']]);
    expect(codes(lintCatalog(withEvent(base, 'consent.daily', () => ({ category: 'usage', description: 'Consent.', purpose: 'Opt-out rates.', retentionDays: 30, maxPerPeriod: 1, auto: 'consent-state', fields: { playback: { description: 'On?', generalize: boolean() } } }))))).toEqual([['invalid_sampling', 'consent.daily']]);
  });

  it('names malformed metadata and names', () => {
    const problems = lintCatalog({ ...base, id: 'Bad Id', version: '1.0', effectiveDate: '2026-13-45', linkagePeriod: 'year' } as unknown as CatalogSpec);
    expect(codes(problems)).toEqual([
      ['invalid_metadata', 'catalog.id'],
      ['invalid_metadata', 'catalog.version'],
      ['invalid_metadata', 'catalog.effectiveDate'],
      ['invalid_metadata', 'catalog.linkagePeriod'],
    ]);
    expect(codes(lintCatalog(withEvent(base, 'Media_Play', () => ({ ...base.events['media.play']! }))))).toEqual([['invalid_name', 'Media_Play']]);
    expect(codes(lintCatalog(withField(base, 'media.play', 'constructor', () => ({ description: 'x', generalize: boolean() }))))).toEqual([['invalid_name', 'media.play.constructor']]);
  });

  it('has a documented meaning for every code it emits', () => {
    const bad = withField(withEvent(base, 'media.play', (e) => ({ ...e, description: '', purpose: '', retentionDays: 999 })), 'media.play', 'hdr', () => ({ description: '', generalize: scrubbedText() }));
    for (const p of lintCatalog(bad)) expect(Object.hasOwn(LINT_CODES, p.code)).toBe(true);
  });

  it('names, without throwing, a category that cannot become a string (found by the property below)', () => {
    const junk = { id: '', version: {}, categories: {}, events: { '': { category: { toString: null }, fields: {}, sampled: [], auto: 0 } } };
    const problems = lintCatalog(junk as unknown as CatalogSpec);
    expect(problems.some((p) => p.code === 'unknown_category' && p.message.includes('(object)'))).toBe(true);
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true }), (junk) => {
        expect(() => lintCatalog(junk as CatalogSpec)).not.toThrow();
      }),
    );
    const shaped = fc.record({ id: fc.anything(), version: fc.anything(), categories: fc.dictionary(fc.string(), fc.anything()), events: fc.dictionary(fc.string(), fc.record({ category: fc.anything(), fields: fc.dictionary(fc.string(), fc.anything()), sampled: fc.anything(), auto: fc.anything() })) });
    fc.assert(
      fc.property(shaped, (junk) => {
        expect(() => lintCatalog(junk as unknown as CatalogSpec)).not.toThrow();
        expect(lintCatalog(junk as unknown as CatalogSpec).length).toBeGreaterThan(0);
      }),
    );
  });
});
