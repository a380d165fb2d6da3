import { dayOf, periodsBetween, type WireValue } from '@candor/protocol';
import type { CatalogRegistry } from '../catalogs/catalog-registry.js';
import { CollectorError } from '../errors.js';
import type { AggregateCell, CollectorStore } from '../storage/contract.js';
import { noisyCount, secureUniform, type NoiseMechanism, type UniformSource } from './noise.js';
import type { StatsRequest } from './stats-request.js';

/** The rules statistics are released under. */
export interface ReleaseRules {
  /** Cells with fewer distinct installs are suppressed. */
  readonly k: number;
  /** Epsilon each dataset (event) may spend per UTC day. */
  readonly dailyEpsilon: number;
  /** Refuse queries without epsilon (release noised statistics only). */
  readonly requireNoise: boolean;
}

/** One released cell: group values under their field names, counts withheld when suppressed. */
export type ReleasedCell = { readonly period: string } & Record<string, WireValue> & {
    readonly events: number | null;
    readonly installs: number | null;
    readonly suppressed: boolean;
    readonly noised: boolean;
  };

/** How noise was applied to an answer. */
export interface NoiseReport {
  readonly mechanism: NoiseMechanism;
  readonly epsilon: number;
  /** L1 sensitivity of each released vector: what one install can change across the whole answer. */
  readonly sensitivity: number;
  /** The day's budget of the dataset after this query. */
  readonly budget: { readonly day: string; readonly spent: number; readonly limit: number };
}

/** The answer of `GET /v1/stats`. */
export interface StatsAnswer {
  readonly event: string;
  readonly groupBy: readonly string[];
  readonly granularity: StatsRequest['granularity'];
  readonly from: string;
  readonly to: string;
  readonly k: number;
  readonly noise: NoiseReport | null;
  readonly cells: readonly ReleasedCell[];
  /** Cells below k, listed with counts withheld (only without noise). */
  readonly suppressedCells: number;
  /** Suppressed cells left out entirely: their group values are free text, or noise is on. */
  readonly withheldCells: number;
}

/** Services the release needs. */
export interface ReleaseDeps {
  readonly store: CollectorStore;
  readonly registry: CatalogRegistry;
  readonly rules: ReleaseRules;
  readonly now: () => number;
  /** Randomness for noise. @default the operating system's CSPRNG */
  readonly uniform?: UniformSource;
}

const DAY_MS = 86_400_000;

/** How many linkage periods a range touches: an install holds one pseudonym in each. */
export function linkagePeriodsIn(registry: CatalogRegistry, from: string, to: string): number {
  return periodsBetween(Date.parse(`${from}T00:00:00Z`), Date.parse(`${to}T00:00:00Z`) + DAY_MS - 1, registry.linkage).length;
}

/** Charges a query's epsilon to its dataset's budget of the day, or refuses with PRIVACY_BUDGET_EXHAUSTED. */
export async function chargeBudget(deps: ReleaseDeps, dataset: string, epsilon: number): Promise<NoiseReport['budget']> {
  const day = dayOf(deps.now());
  const spend = await deps.store.spendBudget({ dataset, day, epsilon, limit: deps.rules.dailyEpsilon });
  if (!spend.granted) {
    throw new CollectorError('PRIVACY_BUDGET_EXHAUSTED', `the privacy budget of ${dataset} for ${day} is spent (${spend.spent.toFixed(3)} of ${deps.rules.dailyEpsilon}); ask with a smaller epsilon or tomorrow`, [
      { path: 'epsilon', reason: 'budget_exhausted', message: `${Math.max(0, deps.rules.dailyEpsilon - spend.spent).toFixed(3)} left today` },
    ]);
  }
  return { day, spent: spend.spent, limit: deps.rules.dailyEpsilon };
}

/**
 * Answers a statistics request with only what is safe to release. A cell is released when at
 * least k distinct installs stand behind it, judged by its peak per linkage period (with daily
 * pseudonyms a weekly cell's install-days cannot tell how many installs there were, but each
 * day's distinct pseudonyms are distinct installs). Below k, the cell's counts are withheld.
 * With epsilon, counts are noised, the suppression decision is taken on the noisy values,
 * suppressed cells are left out (their existence would leak), and the epsilon is charged first.
 */
export async function releaseStats(deps: ReleaseDeps, request: StatsRequest): Promise<StatsAnswer> {
  const { registry, rules } = deps;
  if (request.epsilon === undefined && rules.requireNoise) {
    throw new CollectorError('INVALID_QUERY', 'this collector releases noised statistics only: give epsilon', [{ path: 'epsilon', reason: 'missing', message: 'epsilon is required' }]);
  }
  const schema = registry.schema.events.find((e) => e.name === request.event)!;
  const freeText = request.groupBy.map((f) => registry.latestEvent(request.event)?.fields.find((x) => x.name === f)?.generalizer.freeText === true);
  let noise: NoiseReport | null = null;
  const periods = linkagePeriodsIn(registry, request.from, request.to);
  // One install holds one pseudonym per linkage period, each contributing at most maxPerPeriod
  // events, each to one cell: that bounds every released vector's L1 change.
  const sensitivity = schema.maxPerPeriod * periods;
  const peakDiffers = request.granularity !== registry.linkage;
  if (request.epsilon !== undefined) {
    const budget = await chargeBudget(deps, request.event, request.epsilon);
    noise = { mechanism: request.mechanism, epsilon: request.epsilon, sensitivity, budget };
  }
  const raw = await deps.store.queryAggregates({ event: request.event, groupBy: request.groupBy, from: request.from, to: request.to, granularity: request.granularity });
  const uniform = deps.uniform ?? secureUniform;
  const cells: ReleasedCell[] = [];
  let suppressedCells = 0;
  let withheldCells = 0;
  for (const cell of raw) {
    let { events, installs, peakInstalls } = cell;
    if (noise !== null) {
      // Events, installs and (when it differs from installs) the peak are separate vectors: the epsilon is split among them.
      const share = noise.epsilon / (peakDiffers ? 3 : 2);
      events = noisyCount(events, share, sensitivity, noise.mechanism, uniform);
      installs = noisyCount(installs, share, sensitivity, noise.mechanism, uniform);
      peakInstalls = peakDiffers ? noisyCount(peakInstalls, share, sensitivity, noise.mechanism, uniform) : installs;
    }
    const suppressed = peakInstalls < rules.k;
    if (suppressed) {
      suppressedCells++;
      if (noise !== null || freeText.some(Boolean)) {
        withheldCells++;
        continue;
      }
    }
    cells.push(releasedCell(cell, request.groupBy, suppressed ? null : events, suppressed ? null : installs, suppressed, noise !== null));
  }
  return { event: request.event, groupBy: request.groupBy, granularity: request.granularity, from: request.from, to: request.to, k: rules.k, noise, cells, suppressedCells: suppressedCells - withheldCells, withheldCells };
}

function releasedCell(cell: AggregateCell, groupBy: readonly string[], events: number | null, installs: number | null, suppressed: boolean, noised: boolean): ReleasedCell {
  const out: Record<string, WireValue> = { period: cell.period };
  groupBy.forEach((f, i) => {
    out[f] = cell.values[i] ?? null;
  });
  out.events = events;
  out.installs = installs;
  out.suppressed = suppressed;
  out.noised = noised;
  return out as ReleasedCell;
}
