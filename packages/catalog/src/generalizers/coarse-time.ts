import { Rejection, type Generalizer } from '../generalizer.js';
import { describeType } from './read-number.js';

/** Granularities of {@link coarseTime}. */
export type TimeUnit = 'hour' | 'day' | 'month';

const LENGTH: Record<TimeUnit, number> = { hour: 13, day: 10, month: 7 };
const PATTERN: Record<TimeUnit, RegExp> = {
  hour: /^\d{4}-\d{2}-\d{2}T\d{2}$/,
  day: /^\d{4}-\d{2}-\d{2}$/,
  month: /^\d{4}-\d{2}$/,
};
const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2100, 0, 1);

/** Options of {@link coarseTime}. */
export interface CoarseTimeOptions {
  /** The time leaves truncated to this unit, in UTC. @default 'day' */
  readonly unit?: TimeUnit;
}

/**
 * Coarse time: a Date, epoch milliseconds or ISO string leaves truncated to the hour, day or month (UTC).
 * @example coarseTime({ unit: 'day' }) // new Date('2026-11-29T13:45:12Z') → '2026-11-29'
 */
export function coarseTime(options: CoarseTimeOptions = {}): Generalizer<Date | number | string, string> {
  const unit = options.unit ?? 'day';
  const pattern = PATTERN[unit];
  return {
    spec: { kind: 'coarse-time', unit },
    problems: [],
    freeText: false,
    outputs: undefined,
    schema: { type: 'string', pattern: pattern.source },
    example: new Date(Date.UTC(2026, 0, 15, 12)).toISOString().slice(0, LENGTH[unit]),
    apply(raw) {
      let ms: number;
      if (raw instanceof Date) ms = raw.getTime();
      else if (typeof raw === 'number') ms = raw;
      else if (typeof raw === 'string') {
        if (raw.length > 40) return new Rejection('too_long', 'expected an ISO 8601 time');
        ms = Date.parse(raw);
      } else return new Rejection('wrong_type', `expected a Date, epoch milliseconds or ISO string, got ${describeType(raw)}`);
      if (!Number.isFinite(ms)) return new Rejection('invalid_format', 'expected a valid time');
      if (ms < MIN_MS || ms >= MAX_MS) return new Rejection('out_of_range', 'expected a time between 2000 and 2100');
      return new Date(ms).toISOString().slice(0, LENGTH[unit]);
    },
    accepts: (value) => typeof value === 'string' && pattern.test(value) && Number.isFinite(Date.parse(value.length === 13 ? `${value}:00Z` : value)),
    describe: () => `the ${unit} only (UTC), never the exact time`,
  };
}
