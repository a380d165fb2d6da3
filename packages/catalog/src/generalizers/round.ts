import { Rejection, type Generalizer } from '../generalizer.js';
import { readNumber, type NumberRange } from './read-number.js';
import { stepGrid } from './step-grid.js';

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
  const validStep = step > 0 && Number.isFinite(step);
  if (!validStep) problems.push('round: step must be a positive finite number');
  if (!(min <= max)) problems.push('round: min must not exceed max');
  const grid = stepGrid(0, validStep ? step : 1);
  const lo = grid.snap(min);
  const hi = grid.snap(max);
  const count = validStep ? Math.floor((hi - lo) / step + 1e-9) + 1 : 0;
  const outputs = count > 0 && count <= 1000 ? Array.from({ length: count }, (_, i) => grid.snap(lo + i * step)) : undefined;
  const bounds = { type: 'number', minimum: lo, maximum: hi };
  return {
    spec: { kind: 'round', step, min, max },
    problems,
    freeText: false,
    outputs,
    schema: grid.exactMultipleOf ? { ...bounds, multipleOf: step } : outputs ? { type: 'number', enum: [...outputs] } : bounds,
    example: grid.snap((lo + hi) / 2),
    apply(raw) {
      const v = readNumber(raw, min, max);
      if (v instanceof Rejection) return v;
      return grid.snap(v);
    },
    accepts: (value) => typeof value === 'number' && Number.isFinite(value) && value >= lo && value <= hi && grid.has(value),
    describe: () => `rounded to the nearest ${step}, between ${lo} and ${hi}`,
  };
}
