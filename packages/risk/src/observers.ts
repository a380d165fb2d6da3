import { compileCatalog, type CatalogSpec, type CompiledEvent, type Payload } from '@candor/catalog';
import { countEventFor, releaseSampledPeriod, shuffleInPlace, type Random } from '@candor/sdk';
import { RiskInputError } from './errors.js';
import type { RawPlay } from './play-profiles.js';

/** The event whose reports the attacks observe. */
export const PLAYBACK_EVENT = 'playback.session';

/**
 * What the adversary sees of an install's plays: the report each play turns into, the count
 * report of a period, and which reports of a period leave. The catalog observer runs the
 * catalog's compiled normalizer and the SDK's linkage code; the exact observer is the baseline
 * of a system that sends raw values and every report.
 */
export interface Observer {
  /** Whether reports are generalized (false for the exact-values baseline). */
  readonly generalized: boolean;
  /** The most reports of the event that leave per linkage period. */
  readonly maxPerPeriod: number;
  /** Edges of the `played` buckets, which the attacks' played sweep must reach; empty when unknown. */
  readonly playedEdges: readonly number[];
  /**
   * Whether no report field reads both what was played (media type, duration, played length)
   * and how it was encoded. Each field is generalized from its own raw keys only, so then a
   * report is a pair (what, how) whose second half is the same for every item; the encoding
   * cannot narrow an anonymity set, and the attacks may try one encoding instead of all.
   */
  readonly encodingIndependent: boolean;
  /** The report one play produces, or `undefined` when none leaves (the event is rejected). */
  report(play: RawPlay): Payload | undefined;
  /** The period's count report for `plays` plays, or `undefined` when the catalog sends none. */
  countReport(plays: number): Payload | undefined;
  /** The reports of one period that leave, given all of them in play order; may reorder `reports`. */
  release<T>(reports: T[], random: Random): T[];
}

/** The raw keys of a play that depend on which item was played; every other key describes the encoding. */
export const ITEM_KEYS: ReadonlySet<string> = new Set(['mediaType', 'durationSeconds', 'playedSeconds']);

/** A stable string for a report, to compare reports by value. */
export function reportKey(report: Payload): string {
  return JSON.stringify(report);
}

/**
 * Observes through a telemetry catalog, exactly as it ships: each play goes through the
 * compiled `playback.session` normalizer; a sampled event leaves as the SDK's
 * {@link releaseSampledPeriod} (its reservoir sample of at most `maxPerPeriod` reports, in
 * random order) with the count event of {@link countEventFor}; an unsampled one as its first
 * `maxPerPeriod` reports, as the SDK's recorder keeps them, shuffled with {@link shuffleInPlace}.
 * Throws a {@link RiskInputError} when the catalog has no usable playback event.
 */
export function createCatalogObserver(spec: CatalogSpec): Observer {
  const compiled = compileCatalog(spec);
  const event = compiled.events.get(PLAYBACK_EVENT);
  if (event === undefined) throw new RiskInputError('RISK_CATALOG_UNSUITABLE', `catalog "${spec.id}" declares no "${PLAYBACK_EVENT}" event`);
  const rawKeys = new Set(event.fields.flatMap((f) => f.rawKeys));
  const keysOfPlay = ['mediaType', 'durationSeconds', 'playedSeconds', 'bitrateKbps', 'container', 'videoCodec', 'audioCodec', 'width', 'height', 'deviceType', 'decision', 'hdr'] as const;
  // Only the keys the catalog reads: a catalog without, say, `hdr` would reject the event for
  // carrying an undeclared field, which is not what a host of that catalog would send.
  const readKeys = keysOfPlay.filter((k) => rawKeys.has(k));
  const passThrough = readKeys.length === keysOfPlay.length;
  const max = event.spec.maxPerPeriod;
  const sampled = event.spec.sampled !== undefined;
  return {
    generalized: true,
    maxPerPeriod: max,
    playedEdges: playedEdgesOf(event),
    encodingIndependent: event.fields.every((f) => f.rawKeys.every((k) => ITEM_KEYS.has(k)) || f.rawKeys.every((k) => !ITEM_KEYS.has(k))),
    report(play) {
      let raw: unknown = play;
      if (!passThrough) {
        const picked: Record<string, unknown> = {};
        for (const k of readKeys) if (play[k] !== undefined) picked[k] = play[k];
        raw = picked;
      }
      const result = event.normalize(raw);
      return result.ok ? result.payload : undefined;
    },
    countReport: (plays) => countEventFor(compiled, PLAYBACK_EVENT, plays)?.fields,
    release: (reports, random) => (sampled ? releaseSampledPeriod(compiled, PLAYBACK_EVENT, reports, random).sample : shuffleInPlace(reports.slice(0, max), random)),
  };
}

/** The baseline: every play leaves with its exact values, and the count is exact. */
export function createExactObserver(): Observer {
  return {
    generalized: false,
    maxPerPeriod: Number.POSITIVE_INFINITY,
    playedEdges: [],
    encodingIndependent: true,
    report: (play) => {
      const out: Payload = {};
      for (const [k, v] of Object.entries(play)) if (v !== undefined) out[k] = v as Payload[string];
      return out;
    },
    countReport: (plays) => ({ plays }),
    release: (reports) => reports,
  };
}

function playedEdgesOf(event: CompiledEvent): number[] {
  const played = event.fields.find((f) => f.rawKeys.includes('playedSeconds'));
  const edges = played?.generalizer.spec.edges;
  return Array.isArray(edges) ? edges.filter((e): e is number => typeof e === 'number') : [];
}
