import { dayOf, periodOf, periodRange } from '@candor/protocol';
import type { CatalogRegistry } from '../catalogs/catalog-registry.js';
import { CollectorError } from '../errors.js';
import type { Granularity } from '../storage/contract.js';
import { NOISE_MECHANISMS, type NoiseMechanism } from './noise.js';

/** A parsed, validated statistics request. */
export interface StatsRequest {
  readonly event: string;
  readonly groupBy: readonly string[];
  /** First day, aligned to the start of its granularity period. */
  readonly from: string;
  /** Last day, aligned to the end of its granularity period. */
  readonly to: string;
  readonly granularity: Granularity;
  /** Differential-privacy epsilon for this query; exact counts (k-suppressed) when absent. */
  readonly epsilon: number | undefined;
  readonly mechanism: NoiseMechanism;
  readonly format: 'json' | 'csv';
}

/** Limits on statistics requests. */
export interface StatsRequestRules {
  /** Longest range, in days. */
  readonly maxRangeDays: number;
  /** Most fields to group by. */
  readonly maxGroupBy: number;
  /** Largest epsilon one query may spend. */
  readonly maxEpsilonPerQuery: number;
}

/** Names a cell already uses; a field of the same name could not be told apart in the answer. */
export const RESERVED_CELL_KEYS: ReadonlySet<string> = new Set(['period', 'events', 'installs', 'suppressed', 'noised', 'active', 'reports']);

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const GRANULARITIES: readonly Granularity[] = ['day', 'week', 'month'];

function invalid(message: string, path: string, reason = 'invalid'): CollectorError {
  return new CollectorError('INVALID_QUERY', message, [{ path, reason, message }]);
}

function single(params: Record<string, unknown>, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalid(`give ${name} once`, name, 'repeated');
  return v;
}

function parseDay(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (!DAY.test(value) || !Number.isFinite(ms) || dayOf(ms) !== value) throw invalid(`${name} must be a day, YYYY-MM-DD`, name, 'invalid_format');
  return value;
}

/** The first and last day of the granularity periods containing `from` and `to`. */
export function alignRange(from: string, to: string, granularity: Granularity): { from: string; to: string } {
  if (granularity === 'day') return { from, to };
  const first = periodRange(periodOf(Date.parse(`${from}T00:00:00Z`), granularity))!;
  const last = periodRange(periodOf(Date.parse(`${to}T00:00:00Z`), granularity))!;
  return { from: dayOf(first.startMs), to: dayOf(last.endMs - DAY_MS) };
}

/**
 * Parses `GET /v1/stats` parameters: `event`, `groupBy` (comma list of declared fields),
 * `from`/`to` (days; the last 30 days by default), `granularity` (day, week, month),
 * `epsilon` and `mechanism` (laplace, geometric) for noise, `format` (json, csv).
 * Throws INVALID_QUERY naming the parameter at fault.
 */
export function parseStatsRequest(params: Record<string, unknown>, registry: CatalogRegistry, nowMs: number, rules: StatsRequestRules, acceptsCsv = false): StatsRequest {
  const event = single(params, 'event');
  if (event === undefined || event === '') throw invalid('name the event: ?event=…', 'event', 'missing');
  const schema = registry.schema.events.find((e) => e.name === event);
  if (schema === undefined) throw invalid(`event "${event.slice(0, 64)}" is not declared`, 'event', 'unknown_event');
  const groupText = single(params, 'groupBy') ?? '';
  const groupBy = groupText === '' ? [] : groupText.split(',').map((s) => s.trim());
  if (groupBy.length > rules.maxGroupBy) throw invalid(`group by at most ${rules.maxGroupBy} fields`, 'groupBy', 'too_many');
  if (new Set(groupBy).size !== groupBy.length) throw invalid('a field is named twice in groupBy', 'groupBy', 'repeated');
  for (const f of groupBy) {
    const field = schema.fields.find((x) => x.name === f);
    if (field === undefined) throw invalid(`${event} has no field "${f.slice(0, 64)}"`, `groupBy.${f.slice(0, 64)}`, 'unknown_field');
    if (!field.groupable) throw invalid(`${event}.${f} is free text and is never released`, `groupBy.${f}`, 'not_groupable');
    if (RESERVED_CELL_KEYS.has(f)) throw invalid(`${f} is a reserved cell key and cannot be grouped by`, `groupBy.${f}`, 'reserved');
  }
  const granularityText = single(params, 'granularity') ?? 'day';
  if (!GRANULARITIES.includes(granularityText as Granularity)) throw invalid('granularity must be day, week or month', 'granularity', 'invalid_value');
  const granularity = granularityText as Granularity;
  const today = dayOf(nowMs);
  const toDay = parseDay(single(params, 'to'), 'to') ?? today;
  const fromDay = parseDay(single(params, 'from'), 'from') ?? dayOf(Date.parse(`${toDay}T00:00:00Z`) - 29 * DAY_MS);
  if (fromDay > toDay) throw invalid('from must not be after to', 'from', 'invalid_range');
  const range = alignRange(fromDay, toDay, granularity);
  const days = (Date.parse(range.to) - Date.parse(range.from)) / DAY_MS + 1;
  if (days > rules.maxRangeDays) throw invalid(`the range spans ${days} days; at most ${rules.maxRangeDays} are allowed`, 'from', 'range_too_long');
  const epsilonText = single(params, 'epsilon');
  let epsilon: number | undefined;
  if (epsilonText !== undefined && epsilonText !== '') {
    epsilon = Number(epsilonText);
    if (!Number.isFinite(epsilon) || epsilon <= 0 || epsilon > rules.maxEpsilonPerQuery) throw invalid(`epsilon must be a number in (0, ${rules.maxEpsilonPerQuery}]`, 'epsilon', 'invalid_value');
  }
  const mechanism = (single(params, 'mechanism') ?? 'geometric') as NoiseMechanism;
  if (!NOISE_MECHANISMS.includes(mechanism)) throw invalid('mechanism must be laplace or geometric', 'mechanism', 'invalid_value');
  const formatText = single(params, 'format') ?? (acceptsCsv ? 'csv' : 'json');
  if (formatText !== 'json' && formatText !== 'csv') throw invalid('format must be json or csv', 'format', 'invalid_value');
  return { event, groupBy, from: range.from, to: range.to, granularity, epsilon, mechanism, format: formatText };
}
