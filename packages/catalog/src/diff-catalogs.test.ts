import { describe, expect, it } from 'vitest';
import { sampleCatalog, withEvent, withField } from '../test/sample-catalog.js';
import { diffCatalogs, renderCatalogDiffMarkdown } from './diff-catalogs.js';
import { boolean } from './generalizers/boolean.js';
import { buckets } from './generalizers/buckets.js';
import type { CatalogSpec } from './types.js';

describe('diffCatalogs', () => {
  const before: CatalogSpec = sampleCatalog();

  it('finds no change between equal catalogs', () => {
    const diff = diffCatalogs(before, sampleCatalog());
    expect(diff.changes).toEqual([]);
    expect(renderCatalogDiffMarkdown(diff)).toContain('No changes.');
  });

  it('names added and removed events by category, in sentences', () => {
    let after = withEvent(before, 'media.seek', () => ({ category: 'playback', description: 'The viewer skipped.', purpose: 'Find confusing scenes.', retentionDays: 30, maxPerPeriod: 5, fields: { forward: { description: 'Direction.', generalize: boolean() } } }));
    after = withEvent(after, 'crash.report', () => undefined);
    after = { ...after, version: '1.1.0', effectiveDate: '2026-06-01' };
    const diff = diffCatalogs(before, after);
    expect(diff.from).toEqual({ id: 'sample', version: '1.0.0' });
    expect(diff.to).toEqual({ id: 'sample', version: '1.1.0', effectiveDate: '2026-06-01' });
    expect(diff.changes).toEqual([
      { kind: 'event_added', category: 'playback', event: 'media.seek', sentence: 'Playback: new event media.seek (The viewer skipped), with fields forward, sent from 2026-06-01.' },
      { kind: 'event_removed', category: 'crash', event: 'crash.report', sentence: 'Crashes: event crash.report is no longer sent.' },
    ]);
  });

  it('names changed events: retention, bound, purpose, category', () => {
    const after = withEvent(before, 'media.play', (e) => ({ ...e, retentionDays: 100, maxPerPeriod: 2, purpose: 'Plan codecs.', category: 'usage' }));
    const [change] = diffCatalogs(before, after).changes;
    expect(change).toMatchObject({ kind: 'event_changed', category: 'usage', event: 'media.play' });
    expect(change!.sentence).toBe('Usage: media.play moves from "Playback" to "Usage"; is kept 100 days instead of 200; may be sent 2 times per week instead of 5; has a new purpose: Plan codecs.');
  });

  it('names a change of sampling', () => {
    const after = withEvent(before, 'media.play', (e) => ({ ...e, sampled: { countEvent: 'app.daily', countField: 'items' } }));
    expect(diffCatalogs(before, after).changes).toMatchObject([{ kind: 'event_changed', sentence: 'Playback: media.play is now sent as a uniform sample when the period ends.' }]);
    expect(diffCatalogs(after, before).changes).toMatchObject([{ kind: 'event_changed', sentence: 'Playback: media.play is no longer sampled.' }]);
  });

  it('names added, removed and changed fields', () => {
    let after = withField(before, 'media.play', 'stereo', () => ({ description: 'Whether audio is stereo.', generalize: boolean() }));
    after = withField(after, 'media.play', 'hdr', () => undefined);
    after = withField(after, 'media.play', 'length', (f) => ({ ...f, generalize: buckets({ edges: [600, 3600], unit: 'seconds' }) }));
    const changes = diffCatalogs(before, after).changes;
    expect(changes.map((c) => [c.kind, c.category, c.event, c.field])).toEqual([
      ['field_changed', 'playback', 'media.play', 'length'],
      ['field_added', 'playback', 'media.play', 'stereo'],
      ['field_removed', 'playback', 'media.play', 'hdr'],
    ]);
    expect(changes[0]!.sentence).toBe('Playback: what leaves the machine for media.play.length changes to: reported as one of under 10 min, 10 min–1 h, 1 h or more (was: reported as one of under 1 min, 1 min–10 min, 10 min–1 h, 1 h or more).');
    expect(changes[1]!.sentence).toBe('Playback: media.play gains field stereo (Whether audio is stereo); what leaves the machine: yes or no.');
    expect(changes[2]!.sentence).toBe('Playback: media.play no longer sends hdr.');
  });

  it('names category and linkage changes', () => {
    const after = {
      ...before,
      linkagePeriod: 'day' as const,
      categories: {
        usage: before.categories.usage,
        playback: { ...before.categories.playback, defaultOn: false, maxRetentionDays: 100 },
        crash: before.categories.crash,
        marketing: { title: 'Marketing', description: 'News and offers.', required: false, defaultOn: false, ownerText: 'Stops the preference.', maxRetentionDays: 730 },
      },
    } as CatalogSpec;
    const changes = diffCatalogs(before, after).changes;
    expect(changes.map((c) => [c.kind, c.category, c.sentence])).toEqual([
      ['metadata_changed', null, 'Reports become linkable for one day instead of one week.'],
      ['category_changed', 'playback', '"Playback" is now off by default, may be kept 100 days instead of 200.'],
      ['category_added', 'marketing', 'New category "Marketing" (optional, off by default): News and offers.'],
    ]);
    const removed = diffCatalogs(after, before).changes.find((c) => c.kind === 'category_removed');
    expect(removed).toMatchObject({ category: 'marketing', sentence: 'Category "Marketing" is no longer collected.' });
  });

  it('renders Markdown grouped by category', () => {
    const after = withEvent(withField(before, 'app.daily', 'items', () => undefined), 'media.play', (e) => ({ ...e, retentionDays: 100 }));
    const md = renderCatalogDiffMarkdown(diffCatalogs(before, { ...after, version: '1.1.0' }));
    expect(md).toBe(
      [
        '# Changes from sample 1.0.0 to 1.1.0 (effective 2026-01-01)',
        '',
        '## usage',
        '',
        '- Usage: app.daily no longer sends items.',
        '',
        '## playback',
        '',
        '- Playback: media.play is kept 100 days instead of 200.',
        '',
      ].join('\n'),
    );
  });
});
