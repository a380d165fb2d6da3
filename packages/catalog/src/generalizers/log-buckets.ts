import type { Unit } from '../format-quantity.js';
import type { Generalizer } from '../generalizer.js';
import { buckets } from './buckets.js';
import type { NumberRange } from './read-number.js';

/** Options of {@link logBuckets}. */
export interface LogBucketsOptions extends NumberRange {
  /** The first edge. */
  readonly start: number;
  /** Each edge is the previous one times this factor. @default 2 */
  readonly factor?: number;
  /** How many edges. */
  readonly count: number;
  /** Unit of the raw number, for labels. @default 'none' */
  readonly unit?: Unit;
}

/**
 * Logarithmic buckets: edges `start, start·factor, start·factor², …`.
 * @example logBuckets({ start: 1000, factor: 2, count: 6, unit: 'kbps' }) // 5000 → "4 Mbps–8 Mbps"
 */
export function logBuckets(options: LogBucketsOptions): Generalizer<number, string> {
  const factor = options.factor ?? 2;
  const edges: number[] = [];
  for (let i = 0; i < options.count; i++) edges.push(options.start * factor ** i);
  const inner = buckets({ edges, unit: options.unit, min: options.min, max: options.max });
  const problems = [...inner.problems];
  if (!(factor > 1)) problems.push('log-buckets: factor must be greater than 1');
  return { ...inner, problems, spec: { ...inner.spec, kind: 'log-buckets', start: options.start, factor, count: options.count } };
}
