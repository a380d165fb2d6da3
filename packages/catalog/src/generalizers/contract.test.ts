import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mediaServerCatalog } from '../media-server.js';
import { Rejection, type AnyGeneralizer } from '../generalizer.js';
import { boolean } from './boolean.js';
import { buckets } from './buckets.js';
import { clamp } from './clamp.js';
import { coarseTime } from './coarse-time.js';
import { enumeration } from './enumeration.js';
import { identifier } from './identifier.js';
import { logBuckets } from './log-buckets.js';
import { resolutionClass } from './resolution-class.js';
import { round } from './round.js';
import { scrubbedText } from './scrubbed-text.js';
import { versionPrefix } from './version-prefix.js';

// Every generalizer kind, with a few parameter sets, plus every generalizer the default catalog declares.
const own: [string, AnyGeneralizer][] = [
  ['buckets', buckets({ edges: [10, 100], max: 1e6 })],
  ['log-buckets', logBuckets({ start: 128, count: 8, unit: 'kbps' })],
  ['round 10', round({ step: 10, max: 1000 })],
  ['round 0.25', round({ step: 0.25, min: -5, max: 5 })],
  ['clamp', clamp({ min: 0, max: 16 })],
  ['clamp 0.5 from 0.25', clamp({ min: 0.25, max: 3, step: 0.5 })],
  ['enumeration', enumeration({ values: ['a', 'b'], aliases: { x: 'a' } })],
  ['enumeration strict', enumeration({ values: ['a', 'b'], other: null })],
  ['boolean', boolean()],
  ['resolution-class', resolutionClass()],
  ['version-prefix', versionPrefix({ parts: 3 })],
  ['coarse-time hour', coarseTime({ unit: 'hour' })],
  ['coarse-time month', coarseTime({ unit: 'month' })],
  ['scrubbed-text', scrubbedText({ maxLength: 32 })],
  ['identifier', identifier()],
];
const declared: [string, AnyGeneralizer][] = Object.entries(mediaServerCatalog.events).flatMap(([event, e]) =>
  Object.entries(e.fields).map(([field, f]): [string, AnyGeneralizer] => [`${event}.${field}`, f.generalize]),
);
const all = [...own, ...declared];

const ajv = new Ajv2020({ strict: true, allErrors: true });

// Raw values a host might pass, good and bad, biased towards each generalizer's domain.
const rawValue = fc.oneof(
  fc.anything(),
  fc.double(),
  fc.integer({ min: -10, max: 100_000 }),
  fc.double({ min: 0, max: 20_000, noNaN: true }),
  fc.constantFrom('1.32.4.7003', 'v2.0', 'H.264', 'a', 'x', '', 'Film (2017).mkv', '2026-11-29T13:45:00Z', 'TypeError', new Date(Date.UTC(2026, 1, 3)), Date.UTC(2026, 5, 1), true, null, undefined),
  fc.string(),
);

describe.each(all)('generalizer %s', (_name, g) => {
  const validate = ajv.compile(g.schema);

  it('is declared without problems', () => {
    expect(g.problems).toEqual([]);
    expect(g.describe().length).toBeGreaterThan(0);
  });

  it('never throws, and everything it outputs is accepted by its check and its JSON Schema', () => {
    fc.assert(
      fc.property(rawValue, rawValue, (a, b) => {
        const out = g.apply(a, b);
        if (out instanceof Rejection) {
          expect(out.detail.length).toBeGreaterThan(0);
          return;
        }
        expect(g.accepts(out)).toBe(true);
        expect(validate(out)).toBe(true);
        if (g.outputs) expect(g.outputs).toContain(out);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts its example and every declared output, on the wire and in the schema', () => {
    for (const v of [g.example, ...(g.outputs ?? [])]) {
      expect(g.accepts(v)).toBe(true);
      expect(validate(v)).toBe(true);
    }
  });

  it('refuses values of another type on the wire', () => {
    for (const v of [null, undefined, {}, [], Number.NaN]) expect(g.accepts(v)).toBe(false);
  });
});
