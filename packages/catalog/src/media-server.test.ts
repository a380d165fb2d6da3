import { describe, expect, it } from 'vitest';
import { compileCatalog } from './compile-catalog.js';
import { lintCatalog } from './lint-catalog.js';
import { mediaServerCatalog } from './media-server.js';
import type { CatalogSpec } from './types.js';

// The bucket edges of duration, played and bitrate are being calibrated against the risk
// analysis, so these tests check properties of the buckets, not their labels.
const spec: CatalogSpec = mediaServerCatalog;
const catalog = compileCatalog(spec);

describe('the media-server catalog', () => {
  it('passes data review', () => {
    expect(lintCatalog(spec)).toEqual([]);
  });

  it('declares the categories with the consent defaults of the issue', () => {
    const summary = Object.fromEntries(Object.entries(spec.categories).map(([id, c]) => [id, [c.required, c.defaultOn]]));
    expect(summary).toEqual({ usage: [true, true], playback: [false, true], crash: [false, true], marketing: [false, false], integrations: [false, false] });
  });

  it('reads exactly the raw inputs of playback.session the issue names', () => {
    const keys = catalog.events.get('playback.session')!.fields.flatMap((f) => f.rawKeys).sort();
    expect(keys).toEqual(['audioCodec', 'bitrateKbps', 'container', 'decision', 'deviceType', 'durationSeconds', 'hdr', 'height', 'mediaType', 'playedSeconds', 'videoCodec', 'width'].sort());
  });

  it('offers the declared device types and decisions', () => {
    const session = catalog.events.get('playback.session')!;
    const outputs = (name: string) => session.fields.find((f) => f.name === name)!.generalizer.outputs;
    expect(outputs('deviceType')).toEqual(['tv', 'mobile', 'tablet', 'desktop', 'web', 'console', 'speaker', 'other']);
    expect(outputs('decision')).toEqual(['directplay', 'directstream', 'transcode']);
    expect(outputs('mediaType')).toEqual(expect.arrayContaining(['movie', 'episode', 'track', 'photo', 'clip', 'live']));
  });

  it('never sends an exact number: every numeric raw value leaves as one of a few labels', () => {
    for (const event of catalog.events.values()) {
      for (const f of event.fields) {
        const kind = f.generalizer.spec.kind;
        if (['buckets', 'log-buckets'].includes(kind)) {
          expect(f.generalizer.outputs!.length).toBeLessThanOrEqual(16);
          expect(f.generalizer.outputs!.every((o) => typeof o === 'string')).toBe(true);
        }
        expect(['round', 'clamp']).not.toContain(kind);
      }
    }
  });

  it('buckets duration, played and bitrate monotonically over their whole range', () => {
    const session = catalog.events.get('playback.session')!;
    for (const name of ['duration', 'played', 'bitrate']) {
      const g = session.fields.find((f) => f.name === name)!.generalizer;
      const edges = g.spec.edges as number[];
      expect(edges.every((e, i) => i === 0 || e > edges[i - 1]!)).toBe(true);
      const max = g.spec.max as number;
      let last = -1;
      for (const v of [0, ...edges.flatMap((e) => [e - 0.001, e]), max]) {
        const index = g.outputs!.indexOf(g.apply(v) as string);
        expect(index).toBeGreaterThanOrEqual(last);
        last = index;
      }
      expect(last).toBe(g.outputs!.length - 1);
    }
  });

  it('carries no title, file name, path, library name or exact size in any field', () => {
    const forbidden = /title|name|path|file|library|url|ip|email|exact/i;
    for (const event of catalog.events.values()) {
      for (const f of event.fields) {
        for (const key of [f.name, ...f.rawKeys]) expect(key).not.toMatch(forbidden);
        if (f.generalizer.freeText) expect(event.category).toBe('crash');
      }
    }
  });

  it('keeps every event within its category retention and bounds it per period', () => {
    for (const [name, e] of Object.entries(spec.events)) {
      expect(e.retentionDays, name).toBeLessThanOrEqual(spec.categories[e.category]!.maxRetentionDays);
      expect(e.maxPerPeriod, name).toBeGreaterThan(0);
    }
  });
});
