import type { CatalogSpec } from '@candor/catalog';
import { summarizeAnonymity } from './anonymity-summary.js';
import { RiskInputError } from './errors.js';
import { simulateFleetUtility } from './fleet-utility.js';
import { linkedAlbumAnonymity } from './linked-album-attack.js';
import type { MediaCatalog } from './media-catalog.js';
import { createCatalogObserver, createExactObserver, type Observer } from './observers.js';
import { createSeededRandom } from './seeded-random.js';
import { singleReportAnonymity } from './single-report-attack.js';

/** One attack on one media catalog, summarized. */
export interface RiskScenario {
  /** What was attacked, readable and unique within a report. */
  readonly name: string;
  /** `single`: one report at a time; `linked`: every report one install sends in one linkage period. */
  readonly attack: 'single' | 'linked';
  /** Whether reports went through the catalog (false for the exact-values baseline). */
  readonly generalized: boolean;
  /** How many items (single) or albums (linked) were attacked. */
  readonly items: number;
  /** Share of items the adversary singles out (anonymity set of 1). */
  readonly identifiedFraction: number;
  /** The 10th percentile of anonymity set sizes. */
  readonly p10AnonymitySet: number;
  /** The median anonymity set size. */
  readonly medianAnonymitySet: number;
}

/** What `candor risk --json` prints. */
export interface RiskReport {
  readonly scenarios: RiskScenario[];
  readonly utility: { readonly tvd: Record<string, number> };
}

/** A scenario with what the readable table adds: the smallest anonymity set. */
export interface RiskScenarioDetail extends RiskScenario {
  readonly smallestAnonymitySet: number;
}

/** The full result of {@link runRiskAnalysis}; {@link toRiskReport} keeps what `--json` prints. */
export interface RiskAnalysis {
  readonly scenarios: RiskScenarioDetail[];
  readonly utility: { readonly tvd: Record<string, number> };
}

/** Options of {@link runRiskAnalysis}. */
export interface RiskAnalysisOptions {
  /** The media catalogs to attack; the fleet plays from all of them. */
  readonly media: readonly MediaCatalog[];
  /** The telemetry catalog under test (for Candor, `mediaServerCatalog`). */
  readonly catalog: CatalogSpec;
  /** Seed of every random draw; the same seed gives the same report. @default 1 */
  readonly seed?: number;
  /** Installs in the simulated fleet. @default 10000 */
  readonly installs?: number;
  /** The collector's suppression threshold. @default 10 */
  readonly k?: number;
}

/**
 * Runs every attack on every media catalog, with the catalog's generalization and linkage
 * limits and with exact values (the baseline), and measures the utility of the released
 * histograms on a simulated fleet. Deterministic for a seed: each scenario draws from its
 * own stream, so adding one does not change the others.
 * @example runRiskAnalysis({ media: [await readMediaCatalog('fixtures/media-catalogs/music_freemusicc.csv')], catalog: mediaServerCatalog })
 */
export function runRiskAnalysis(options: RiskAnalysisOptions): RiskAnalysis {
  const seed = options.seed ?? 1;
  const installs = options.installs ?? 10_000;
  const k = options.k ?? 10;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RiskInputError('RISK_BAD_OPTION', `seed must be a non-negative integer, got ${seed}`);
  if (!Number.isSafeInteger(installs) || installs < 1) throw new RiskInputError('RISK_BAD_OPTION', `installs must be a positive integer, got ${installs}`);
  if (!Number.isSafeInteger(k) || k < 1) throw new RiskInputError('RISK_BAD_OPTION', `k must be a positive integer, got ${k}`);
  if (options.media.length === 0) throw new RiskInputError('RISK_BAD_OPTION', 'at least one media catalog is required');
  const names = options.media.map((m) => m.name);
  if (new Set(names).size !== names.length) throw new RiskInputError('RISK_BAD_OPTION', `media catalogs must have distinct file names, got ${names.join(', ')}`);

  const observers: Observer[] = [createCatalogObserver(options.catalog), createExactObserver()];
  const scenarios: RiskScenarioDetail[] = [];
  for (const media of options.media) {
    const unit = media.kind === 'movies' ? 'movie' : 'track';
    for (const observer of observers) {
      const values = observer.generalized ? '' : ', exact values';
      scenarios.push({ name: `${media.name}: one report per ${unit}${values}`, attack: 'single', generalized: observer.generalized, ...summarizeAnonymity(singleReportAnonymity(media.items, observer)) });
    }
    if (media.kind !== 'music') continue;
    for (const observer of observers) {
      const name = observer.generalized ? `${media.name}: whole album played in one day` : `${media.name}: whole album played in one day, exact values, every report`;
      const random = createSeededRandom(streamSeed(seed, name));
      scenarios.push({ name, attack: 'linked', generalized: observer.generalized, ...summarizeAnonymity(linkedAlbumAnonymity(media.albums, observer, { random })) });
    }
  }
  const utility = simulateFleetUtility(options.media, options.catalog, { random: createSeededRandom(streamSeed(seed, 'fleet')), installs, k });
  return { scenarios, utility };
}

/** Exactly the object `candor risk --json` prints: scenarios with the seven fields, and the utility. */
export function toRiskReport(analysis: RiskAnalysis): RiskReport {
  return {
    scenarios: analysis.scenarios.map(({ name, attack, generalized, items, identifiedFraction, p10AnonymitySet, medianAnonymitySet }) => ({ name, attack, generalized, items, identifiedFraction, p10AnonymitySet, medianAnonymitySet })),
    utility: { tvd: { ...analysis.utility.tvd } },
  };
}

// One random stream per scenario, derived from the seed and the scenario's name (FNV-1a).
function streamSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0) ^ Math.floor(seed / 2 ** 32);
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}
