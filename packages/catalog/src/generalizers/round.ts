import { Rejection, type Generalizer } from '../generalizer.js';
import { readNumber, type NumberRange } from './read-number.js';

/** Options of {@link round}. */
export interface RoundOptions extends NumberRange {
  /** The raw number leaves rounded to the nearest multiple of this step. */
  readonly step: number;
}

/**
 * Rounding to a step.
 * @example round({ step: 10, max: 1000 }) // 47 → 50
 */
export function round(options: RoundOptions): Generalizer<number, number> {
  const { step } = options;
  const min = options.min ?? 0;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const problems: string[] = [];
  if (!(step > 0) || !Number.isFinite(step)) problems.push('round: step must be a positive finite number');
  const lo = Math.round(min / step) * step;
  const hi = Math.round(max / step) * step;
  const count = Math.floor((hi - lo) / step) + 1;
  const outputs = count <= 1000 ? Array.from({ length: count }, (_, i) => lo + i * step) : undefined;
  return {
    spec: { kind: 'round', step, min, max },
    problems,
    freeText: false,
    outputs,
    schema: { type: 'number', minimum: lo, maximum: hi, multipleOf: step },
    example: Math.round((lo + hi) / 2 / step) * step,
    apply(raw) {
      const v = readNumber(raw, min, max);
      if (v instanceof Rejection) return v;
      return Math.round(v / step) * step;
    },
    accepts(value) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) return false;
      const k = value / step;
      return Math.abs(k - Math.round(k)) < 1e-9;
    },
    describe: () => `rounded to the nearest ${step}, between ${lo} and ${hi}`,
  };
}
