import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCatalog, type NormalizeResult } from './compile-catalog.js';
import { REJECT_REASONS } from './generalizer.js';
import { mediaServerCatalog } from './media-server.js';
import { NormalizeError } from './normalize-error.js';

// Property tests of the bar: bad input to a normalizer yields a typed error, never throws
// past the API, and never mutates the input or shared state.

const catalog = compileCatalog(mediaServerCatalog);
const eventNames = [...catalog.events.keys()];

const validSession = fc.record({
  mediaType: fc.constantFrom('movie', 'episode', 'track', 'photo', 'clip', 'live', 'Film', 'song', 'unknown thing'),
  durationSeconds: fc.option(fc.double({ min: 0, max: 7 * 24 * 3600, noNaN: true }), { nil: undefined }),
  playedSeconds: fc.double({ min: 0, max: 7 * 24 * 3600, noNaN: true }),
  bitrateKbps: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
  container: fc.string({ maxLength: 64 }),
  videoCodec: fc.constantFrom('h264', 'H.264', 'hevc', 'x265', 'none', 'prores', ''),
  audioCodec: fc.constantFrom('aac', 'E-AC-3', 'flac', 'none', 'weird'),
  width: fc.integer({ min: 0, max: 100_000 }),
  height: fc.integer({ min: 0, max: 100_000 }),
  deviceType: fc.string({ maxLength: 64 }),
  decision: fc.constantFrom('directplay', 'Direct Play', 'directstream', 'copy', 'transcode'),
  hdr: fc.boolean(),
}, { requiredKeys: ['mediaType', 'playedSeconds', 'container', 'videoCodec', 'audioCodec', 'width', 'height', 'deviceType', 'decision', 'hdr'] });

const badNumber = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, -1e300, 1e300, Number.MAX_VALUE, -0.5);
const megabyte = 'x'.repeat(1_048_576);
const badValue = fc.oneof(
  badNumber,
  fc.constant(megabyte),
  fc.constantFrom(null, {}, [], [1], Symbol('s'), 10n, () => 1, new Date(Number.NaN), Object.create(null) as unknown),
  fc.anything(),
);

function prototypeSnapshot(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].flatMap((p) => Object.getOwnPropertyNames(p).map((n) => `${n}:${typeof Object.getOwnPropertyDescriptor(p, n)?.value}`)).sort();
}

function expectTypedError(r: NormalizeResult): asserts r is Extract<NormalizeResult, { ok: false }> {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error).toBeInstanceOf(NormalizeError);
  expect(r.error.code).toBe('invalid_event');
  expect(r.error.issues.length).toBeGreaterThan(0);
  for (const i of r.error.issues) {
    expect(Object.hasOwn(REJECT_REASONS, i.reason)).toBe(true);
    expect(typeof i.path).toBe('string');
    expect(i.message.length).toBeGreaterThan(0);
  }
  expect(typeof r.error.message).toBe('string');
}

describe('normalize of playback.session, by property', () => {
  const session = catalog.events.get('playback.session')!;

  it('turns any valid raw event into a payload the collector accepts', () => {
    fc.assert(
      fc.property(validSession, (raw) => {
        const r = session.normalize(raw);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(session.check(r.payload)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('gives a typed error, naming the field, for a bad value in any field', () => {
    const keys = ['mediaType', 'durationSeconds', 'playedSeconds', 'bitrateKbps', 'container', 'videoCodec', 'audioCodec', 'width', 'height', 'deviceType', 'decision', 'hdr'];
    fc.assert(
      fc.property(validSession, fc.constantFrom(...keys), badValue, (raw, key, value) => {
        const r = session.normalize({ ...raw, [key]: value });
        // Some "bad" values are fine for some fields (a large number for an unbounded bucket, a
        // junk string for an enumeration with an `other` fallback); those must still leave generalized.
        if (r.ok) {
          expect(session.check(r.payload)).toEqual([]);
          return;
        }
        expectTypedError(r);
        expect(r.error.issues.some((i) => i.path.includes(key) || i.reason === 'internal')).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('refuses NaN, ±Infinity, negative and absurd numbers in numeric fields', () => {
    for (const key of ['durationSeconds', 'playedSeconds', 'bitrateKbps', 'width', 'height']) {
      for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 1e300]) {
        const r = session.normalize({ ...fc.sample(validSession, { numRuns: 1, seed: 1 })[0], [key]: value });
        expectTypedError(r);
        expect(r.error.issues.map((i) => i.path)).toEqual([expect.stringContaining(key)]);
      }
    }
  });

  it('refuses 1 MB strings without generalizing them', () => {
    for (const key of ['mediaType', 'container', 'videoCodec', 'audioCodec', 'deviceType', 'decision']) {
      const r = session.normalize({ ...fc.sample(validSession, { numRuns: 1, seed: 2 })[0], [key]: megabyte });
      expectTypedError(r);
      expect(r.error.issues).toMatchObject([{ reason: 'too_long' }]);
    }
  });
});

describe('normalize of any event, by property', () => {
  const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__');

  it('never throws and returns a typed error for unknown events, unknown or missing fields and wrong types', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...eventNames), fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString')), fc.anything({ withNullPrototype: true, withObjectString: true, withSparseArray: true }), (name, raw) => {
        let r: NormalizeResult | undefined;
        expect(() => {
          r = catalog.normalize(name, raw);
        }).not.toThrow();
        if (!r!.ok) expectTypedError(r!);
        else expect(catalog.events.get(name)!.check(r!.payload)).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses __proto__ and constructor keys without touching any prototype', () => {
    const before = prototypeSnapshot();
    fc.assert(
      fc.property(fc.constantFrom(...eventNames), hostileKey, fc.anything(), (name, key, value) => {
        const json = JSON.parse(`{"${key}": ${JSON.stringify(value ?? null) ?? 'null'}}`) as unknown;
        const literal = { [key]: value };
        for (const raw of [json, literal]) {
          const r = catalog.normalize(name, raw);
          expectTypedError(r);
        }
      }),
    );
    expect(prototypeSnapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('reports getters and proxies that throw as an unreadable payload', () => {
    const sample = fc.sample(validSession, { numRuns: 1, seed: 3 })[0]!;
    const withGetter = { ...sample };
    Object.defineProperty(withGetter, 'container', { enumerable: true, get: () => { throw new Error('host bug'); } });
    const traps = ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf'] as const;
    const proxies = traps.map((trap) => new Proxy({ ...sample }, { [trap]: () => { throw new Error(`${trap} trap`); } }));
    const revocable = Proxy.revocable({ ...sample }, {});
    revocable.revoke();
    // A trap the normalizer never needs (`has`) may stay silent; every other one must surface as an error.
    for (const raw of [withGetter, ...proxies, revocable.proxy]) {
      let r: NormalizeResult | undefined;
      expect(() => {
        r = catalog.normalize('playback.session', raw);
      }).not.toThrow();
      if (!r!.ok) expectTypedError(r!);
    }
    for (const raw of [withGetter, proxies[0], proxies[2], revocable.proxy]) {
      expect(catalog.normalize('playback.session', raw)).toMatchObject({ ok: false, error: { issues: [{ reason: 'internal' }] } });
    }
  });

  it('never mutates its input, the catalog or the compiled normalizers, and repeats itself exactly', () => {
    const specBefore = JSON.stringify(mediaServerCatalog);
    const fieldsBefore = JSON.stringify([...catalog.events.values()].map((e) => e.fields.map((f) => [f.name, f.rawKeys, f.optional, f.generalizer.spec])));
    const protoBefore = prototypeSnapshot();
    fc.assert(
      fc.property(fc.constantFrom(...eventNames), fc.oneof(validSession, fc.dictionary(fc.string(), fc.anything())), (name, raw) => {
        const copy = structuredClone(raw);
        const first = catalog.normalize(name, raw);
        const second = catalog.normalize(name, raw);
        expect(raw).toEqual(copy);
        expect(second).toEqual(first);
        // A deep-frozen input normalizes the same way: nothing is written to it.
        expect(catalog.normalize(name, deepFreeze(structuredClone(raw)))).toEqual(first);
      }),
      { numRuns: 500 },
    );
    expect(JSON.stringify(mediaServerCatalog)).toBe(specBefore);
    expect(JSON.stringify([...catalog.events.values()].map((e) => e.fields.map((f) => [f.name, f.rawKeys, f.optional, f.generalizer.spec])))).toBe(fieldsBefore);
    expect(Object.isFrozen(mediaServerCatalog.events['playback.session'].fields)).toBe(true);
    expect(prototypeSnapshot()).toEqual(protoBefore);
  });

  it('ignores enumerable keys a polluted prototype would add, and stays correct', () => {
    const raw = fc.sample(validSession, { numRuns: 1, seed: 4 })[0]!;
    const expected = catalog.normalize('playback.session', raw);
    const proto = Object.prototype as Record<string, unknown>;
    proto.injected = 'x';
    try {
      expect(catalog.normalize('playback.session', raw)).toEqual(expected);
    } finally {
      delete proto.injected;
    }
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
