import type { AnyGeneralizer } from '@candor/catalog';
import type { WireValue } from '@candor/protocol';
import { CollectorError } from '../errors.js';
import { chargeBudget, linkagePeriodsIn, type NoiseReport, type ReleaseDeps } from './release-stats.js';
import { noisyCount, secureUniform } from './noise.js';
import type { StatsRequest } from './stats-request.js';

/** Where activity counts come from: a daily event carrying "active days in the last 7 / 28 days". */
export interface ActivityMeasure {
  /** The once-per-period event. @default 'server.daily' */
  readonly event: string;
  /** Its field with the active days of the last 7 days. @default 'activeDays7' */
  readonly weekField: string;
  /** Its field with the active days of the last 28 days. @default 'activeDays28' */
  readonly monthField: string;
}

/** One released activity cell. */
export type ActiveCell = { readonly period: string } & Record<string, WireValue> & {
    /** Estimated active installs in the period, or null when suppressed. */
    readonly active: number | null;
    /** Reports the estimate rests on, or null when suppressed. */
    readonly reports: number | null;
    readonly suppressed: boolean;
    readonly noised: boolean;
  };

/** The answer of `GET /v1/stats/active`. */
export interface ActiveAnswer {
  readonly event: string;
  readonly field: string | null;
  readonly groupBy: readonly string[];
  readonly granularity: StatsRequest['granularity'];
  readonly from: string;
  readonly to: string;
  readonly k: number;
  readonly noise: NoiseReport | null;
  readonly cells: readonly ActiveCell[];
  readonly suppressedCells: number;
  readonly withheldCells: number;
}

/**
 * The weight of each value of an "active days" field: the mean of 1/x over the whole days x
 * its bucket stands for (a report of an install active on x of the last 7 days counts 1/x, so
 * that an install counts once over the days it reported). Numeric fields weigh 1/value.
 */
export function activityWeights(generalizer: AnyGeneralizer): (value: WireValue) => number {
  const spec = generalizer.spec;
  if (spec.kind === 'buckets') {
    const edges = spec.edges as number[];
    const labels = spec.labels as string[];
    const min = Math.max(1, Math.ceil(spec.min as number));
    const max = Math.floor(spec.max as number);
    const weights = new Map<string, number>();
    labels.forEach((label, i) => {
      const lo = Math.max(min, i === 0 ? min : Math.ceil(edges[i - 1]!));
      const hi = i === edges.length ? max : Math.ceil(edges[i]!) - 1;
      let sum = 0;
      let n = 0;
      for (let x = lo; x <= hi && n < 10_000; x++, n++) sum += 1 / x;
      weights.set(label, n > 0 ? sum / n : 0);
    });
    return (value) => (typeof value === 'string' ? (weights.get(value) ?? 0) : 0);
  }
  return (value) => (typeof value === 'number' && value >= 1 ? 1 / value : 0);
}

/**
 * Estimates active installs per period. Daily: distinct pseudonyms of the event (one per
 * install and day). Weekly and monthly: pseudonyms cannot be linked across days, so the
 * estimate is the sum over the period's reports of 1/(active days in the last 7, resp. 28,
 * days). Cells are suppressed below k by their peak daily installs, like every release.
 */
export async function releaseActive(deps: ReleaseDeps, measure: ActivityMeasure, request: Omit<StatsRequest, 'event'>): Promise<ActiveAnswer> {
  const { registry, rules } = deps;
  if (request.epsilon === undefined && rules.requireNoise) {
    throw new CollectorError('INVALID_QUERY', 'this collector releases noised statistics only: give epsilon', [{ path: 'epsilon', reason: 'missing', message: 'epsilon is required' }]);
  }
  const event = registry.latestEvent(measure.event);
  const field = request.granularity === 'week' ? measure.weekField : request.granularity === 'month' ? measure.monthField : null;
  const generalizer = field === null ? undefined : event?.fields.find((f) => f.name === field)?.generalizer;
  if (event === undefined || (field !== null && generalizer === undefined)) {
    throw new CollectorError('INVALID_QUERY', `the catalog declares no ${measure.event}${field === null ? '' : `.${field}`} to estimate activity from`, [{ path: 'granularity', reason: 'unsupported', message: 'no activity field for this granularity' }]);
  }
  const schema = registry.schema.events.find((e) => e.name === measure.event)!;
  for (const f of request.groupBy) {
    const declared = schema.fields.find((x) => x.name === f);
    if (declared === undefined || !declared.groupable || f === field) {
      throw new CollectorError('INVALID_QUERY', `${measure.event} cannot be grouped by "${f.slice(0, 64)}" here`, [{ path: `groupBy.${f.slice(0, 64)}`, reason: 'unknown_field', message: 'not a groupable field of the activity event' }]);
    }
  }
  const sensitivity = schema.maxPerPeriod * linkagePeriodsIn(registry, request.from, request.to);
  let noise: NoiseReport | null = null;
  if (request.epsilon !== undefined) {
    noise = { mechanism: request.mechanism, epsilon: request.epsilon, sensitivity, budget: await chargeBudget(deps, measure.event, request.epsilon) };
  }
  const base = { event: measure.event, from: request.from, to: request.to, granularity: request.granularity };
  const totals = await deps.store.queryAggregates({ ...base, groupBy: request.groupBy });
  const sums = new Map<string, number>();
  if (field !== null) {
    const weight = activityWeights(generalizer!);
    for (const c of await deps.store.queryAggregates({ ...base, groupBy: [...request.groupBy, field] })) {
      const key = JSON.stringify([c.period, c.values.slice(0, request.groupBy.length)]);
      sums.set(key, (sums.get(key) ?? 0) + c.events * weight(c.values[request.groupBy.length] ?? null));
    }
  }
  const uniform = deps.uniform ?? secureUniform;
  const cells: ActiveCell[] = [];
  let suppressedCells = 0;
  let withheldCells = 0;
  for (const c of totals) {
    let active = field === null ? c.installs : (sums.get(JSON.stringify([c.period, c.values])) ?? 0);
    let reports = c.events;
    let peak = c.peakInstalls;
    if (noise !== null) {
      const share = noise.epsilon / 3;
      active = noisyCount(active, share, sensitivity, noise.mechanism, uniform);
      reports = noisyCount(reports, share, sensitivity, noise.mechanism, uniform);
      peak = noisyCount(peak, share, sensitivity, noise.mechanism, uniform);
    }
    const suppressed = peak < rules.k;
    if (suppressed) {
      suppressedCells++;
      if (noise !== null) {
        withheldCells++;
        continue;
      }
    }
    const cell: Record<string, WireValue> = { period: c.period };
    request.groupBy.forEach((f, i) => {
      cell[f] = c.values[i] ?? null;
    });
    cell.active = suppressed ? null : Math.round(active * 100) / 100;
    cell.reports = suppressed ? null : reports;
    cell.suppressed = suppressed;
    cell.noised = noise !== null;
    cells.push(cell as ActiveCell);
  }
  return { event: measure.event, field, groupBy: request.groupBy, granularity: request.granularity, from: request.from, to: request.to, k: rules.k, noise, cells, suppressedCells: suppressedCells - withheldCells, withheldCells };
}
