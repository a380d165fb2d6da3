import { buckets, defineCatalog, enumeration, type CatalogSpec, type FieldSpec } from '@candor/catalog';

/** Parameters of a small telemetry catalog whose answers can be worked out by hand. */
export interface ToyCatalogOptions {
  readonly durationEdges: readonly number[];
  /** @default durationEdges */
  readonly playedEdges?: readonly number[];
  /** Edges of the daily play count; unset: playback is not sampled. */
  readonly countEdges?: readonly number[];
  /** @default 3 */
  readonly maxPerPeriod?: number;
  /** Whether `duration` is a field of its own (a field in `extraFields` may read the length instead). @default true */
  readonly withDuration?: boolean;
  /** More playback fields. */
  readonly extraFields?: Readonly<Record<string, FieldSpec>>;
}

/** A telemetry catalog with only what the risk tool reads: media type, duration and played ranges, and a daily count. */
export function toyCatalog(options: ToyCatalogOptions): CatalogSpec {
  const sampled = options.countEdges !== undefined;
  const daily = {
    category: 'playback',
    description: 'How many plays there were in the day.',
    purpose: 'Weight the sampled playback reports.',
    retentionDays: 30,
    maxPerPeriod: 1,
    fields: { plays: { description: 'Plays in the day.', generalize: buckets({ edges: options.countEdges ?? [2], min: 1, max: 1_000_000 }) } },
  };
  return defineCatalog({
    id: 'toy',
    version: '1.0.0',
    effectiveDate: '2026-01-01',
    linkagePeriod: 'day',
    categories: {
      playback: { title: 'Playback', description: 'What is played, in ranges.', required: false, defaultOn: true, ownerText: 'Turn it off to stop playback reports.', maxRetentionDays: 30 },
    },
    events: {
      'playback.session': {
        category: 'playback',
        description: 'One playback.',
        purpose: 'Measure the risk tool.',
        retentionDays: 30,
        maxPerPeriod: options.maxPerPeriod ?? 3,
        ...(sampled ? { sampled: { countEvent: 'playback.daily', countField: 'plays' } } : {}),
        fields: {
          mediaType: { description: 'The kind of media.', generalize: enumeration({ values: ['movie', 'track'] }) },
          ...(options.withDuration === false ? {} : { duration: { description: 'Length in ranges.', from: 'durationSeconds', generalize: buckets({ edges: options.durationEdges, unit: 'seconds', max: 1_000_000 }) } }),
          played: { description: 'Played length in ranges.', from: 'playedSeconds', generalize: buckets({ edges: options.playedEdges ?? options.durationEdges, unit: 'seconds', max: 1_000_000 }) },
          ...options.extraFields,
        },
      },
      ...(sampled ? { 'playback.daily': daily } : {}),
    },
  });
}
