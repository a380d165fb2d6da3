import { defineCatalog } from '../src/define-catalog.js';
import { buckets } from '../src/generalizers/buckets.js';
import { boolean } from '../src/generalizers/boolean.js';
import { enumeration } from '../src/generalizers/enumeration.js';
import { resolutionClass } from '../src/generalizers/resolution-class.js';
import { round } from '../src/generalizers/round.js';
import { scrubbedText } from '../src/generalizers/scrubbed-text.js';
import { versionPrefix } from '../src/generalizers/version-prefix.js';
import type { CatalogSpec, EventSpec, FieldSpec } from '../src/types.js';

/**
 * A small valid catalog for tests, independent of the media-server catalog (whose bucket
 * edges are being calibrated): one required, one optional and one free-text category.
 */
export function sampleCatalog() {
  return defineCatalog({
    id: 'sample',
    version: '1.0.0',
    effectiveDate: '2026-01-01',
    linkagePeriod: 'week',
    categories: {
      usage: { title: 'Usage', description: 'Versions and platforms.', required: true, defaultOn: true, ownerText: 'Only CANDOR_TELEMETRY=off stops it.', maxRetentionDays: 400 },
      playback: { title: 'Playback', description: 'How playback goes.', required: false, defaultOn: true, ownerText: 'Turning this off stops playback reports.', maxRetentionDays: 200 },
      crash: { title: 'Crashes', description: 'Scrubbed crash reports.', required: false, defaultOn: true, ownerText: 'Turning this off stops crash reports.', maxRetentionDays: 90, allowsFreeText: true },
    },
    events: {
      'app.daily': {
        category: 'usage',
        description: 'Once a day: version and platform.',
        purpose: 'Decide which versions to support.',
        retentionDays: 400,
        maxPerPeriod: 1,
        fields: {
          version: { description: 'Major and minor version.', generalize: versionPrefix({ parts: 2 }) },
          platform: { description: 'Operating system.', generalize: enumeration({ values: ['linux', 'windows', 'macos'], aliases: { darwin: 'macos', win32: 'windows' } }) },
          items: { description: 'Library size, rounded.', generalize: round({ step: 100, max: 1_000_000 }) },
        },
      },
      'media.play': {
        category: 'playback',
        description: 'One playback.',
        purpose: 'Learn which formats are played.',
        retentionDays: 200,
        maxPerPeriod: 5,
        fields: {
          kind: { description: 'Kind of media.', generalize: enumeration({ values: ['movie', 'track'], aliases: { film: 'movie', song: 'track' } }) },
          length: { description: 'Length in ranges.', from: 'lengthSeconds', optional: true, generalize: buckets({ edges: [60, 600, 3600], unit: 'seconds', max: 86_400 }) },
          resolution: { description: 'Resolution class.', generalize: resolutionClass() },
          hdr: { description: 'Whether it is HDR.', generalize: boolean() },
        },
      },
      'crash.report': {
        category: 'crash',
        description: 'The app failed.',
        purpose: 'Fix crashes.',
        retentionDays: 90,
        maxPerPeriod: 10,
        fields: {
          message: { description: 'Scrubbed message.', generalize: scrubbedText({ maxLength: 200 }) },
        },
      },
    },
  });
}

/** A valid raw `media.play` event of {@link sampleCatalog}. */
export function sampleRawPlay(): Record<string, unknown> {
  return { kind: 'movie', lengthSeconds: 5400, width: 1920, height: 800, hdr: true };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A copy of `spec` with event `name` replaced by `change(event)`; the original stays untouched. */
export function withEvent(spec: CatalogSpec, name: string, change: (event: Mutable<EventSpec>) => unknown): CatalogSpec {
  const current = spec.events[name];
  const next = change(current ? { ...current } : ({} as Mutable<EventSpec>));
  const events: Record<string, unknown> = { ...spec.events };
  if (next === undefined) delete events[name];
  else events[name] = next;
  return { ...spec, events } as CatalogSpec;
}

/** A copy of `spec` with field `field` of event `event` replaced by `change(field)` (removed when it returns undefined). */
export function withField(spec: CatalogSpec, event: string, field: string, change: (f: Mutable<FieldSpec>) => unknown): CatalogSpec {
  return withEvent(spec, event, (e) => {
    const fields: Record<string, unknown> = { ...e.fields };
    const current = e.fields[field];
    const next = change(current ? { ...current } : ({} as Mutable<FieldSpec>));
    if (next === undefined) delete fields[field];
    else fields[field] = next;
    return { ...e, fields };
  });
}
