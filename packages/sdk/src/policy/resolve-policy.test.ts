import { boolean, defineCatalog } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from './resolve-policy.js';

const next = defineCatalog({
  ...mediaServerCatalog,
  version: '1.1.0',
  effectiveDate: '2027-03-01',
  previous: [mediaServerCatalog],
  events: {
    ...mediaServerCatalog.events,
    'playback.subtitles': {
      category: 'playback',
      description: 'Whether subtitles were on.',
      purpose: 'Know whether subtitle rendering matters.',
      retentionDays: 100,
      maxPerPeriod: 3,
      fields: { on: { description: 'Subtitles on.', generalize: boolean() } },
    },
    'server.features': {
      category: 'usage',
      description: 'Whether hardware transcoding is on.',
      purpose: 'Support decisions.',
      retentionDays: 100,
      maxPerPeriod: 1,
      fields: { hardware: { description: 'Hardware transcoding.', generalize: boolean() } },
    },
  },
});

describe('resolvePolicy', () => {
  it('holds back events a pending version adds to optional categories, and shows the diff', () => {
    const p = resolvePolicy(next, '2027-02-28');
    expect(p.inEffect).toEqual({ version: '1.0.0', effectiveDate: '2026-01-01' });
    expect(p.shipped).toEqual({ version: '1.1.0', effectiveDate: '2027-03-01' });
    expect(p.notYetEffective).toEqual(['playback.subtitles']);
    expect(p.pending?.diff.changes.map((c) => c.event)).toEqual(expect.arrayContaining(['playback.subtitles', 'server.features']));
  });
  it('lets them start on the effective date', () => {
    const p = resolvePolicy(next, '2027-03-01');
    expect(p).toMatchObject({ inEffect: { version: '1.1.0' }, pending: null, notYetEffective: [] });
  });
  it('holds back every optional event of a catalog with no version in effect yet', () => {
    const fresh = defineCatalog({ ...mediaServerCatalog, effectiveDate: '2099-01-01' });
    const p = resolvePolicy(fresh, '2027-01-01');
    expect(p.inEffect).toBeNull();
    const optional = Object.entries(fresh.events).filter(([, e]) => !fresh.categories[e.category].required).map(([n]) => n);
    expect([...p.notYetEffective].sort()).toEqual(optional.sort());
  });
});
