import { Rejection, type Generalizer } from '../generalizer.js';
import { readNumber } from './read-number.js';
import { stepGrid } from './step-grid.js';

/** Options of {@link clamp}. */
export interface ClampOptions {
  /** Values below leave as `min`. */
  readonly min: number;
  /** Values above leave as `max` (or the last step below it). */
  readonly max: number;
  /** After clamping, the value is rounded to this step, counted from `min`. @default 1 */
  readonly step?: number;
}

/**
 * Clamping into `[min, max]` (then rounding to `step`): extremes, which are rare and so identifying, collapse onto the bounds.
 * @example clamp({ min: 0, max: 16 }) // 40 → 16
 */
export function clamp(options: ClampOptions): Generalizer<number, number> {
  const { min, max } = options;
  const step = options.step ?? 1;
  const problems: string[] = [];
  if (!(min < max) || !Number.isFinite(min) || !Number.isFinite(max)) problems.push('clamp: min must be less than max, both finite');
  const validStep = step > 0 && Number.isFinite(step);
  if (!validStep) problems.push('clamp: step must be positive');
  const grid = stepGrid(Number.isFinite(min) ? min : 0, validStep ? step : 1);
  const count = validStep && min < max ? Math.floor((max - min) / step + 1e-9) + 1 : 0;
  const outputs = count > 0 && count <= 1000 ? Array.from({ length: count }, (_, i) => grid.snap(min + i * step)) : undefined;
  // The largest grid point that does not exceed max.
  const top = count > 0 ? grid.snap(min + (count - 1) * step) : min;
  const bounds = { type: 'number', minimum: min, maximum: top };
  return {
    spec: { kind: 'clamp', min, max, step },
    problems,
    freeText: false,
    outputs,
    schema: grid.exactMultipleOf ? { ...bounds, multipleOf: step } : outputs ? { type: 'number', enum: [...outputs] } : bounds,
    example: min,
    apply(raw) {
      const v = readNumber(raw, -Number.MAX_VALUE, Number.MAX_VALUE);
      if (v instanceof Rejection) return v;
      const snapped = grid.snap(v < min ? min : v > max ? max : v);
      return snapped > top ? top : snapped;
    },
    accepts: (value) => typeof value === 'number' && Number.isFinite(value) && value >= min && value <= top && grid.has(value),
    describe: () => (step === 1 && Number.isInteger(min) ? `a whole number from ${min} to ${top}; values beyond are capped` : `a number from ${min} to ${top} in steps of ${step}; values beyond are capped`),
  };
}
