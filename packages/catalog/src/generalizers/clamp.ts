import { Rejection, type Generalizer } from '../generalizer.js';
import { readNumber } from './read-number.js';

/** Options of {@link clamp}. */
export interface ClampOptions {
  /** Values below leave as `min`. */
  readonly min: number;
  /** Values above leave as `max`. */
  readonly max: number;
  /** After clamping, the value is rounded to this step. @default 1 */
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
  if (!(min < max)) problems.push('clamp: min must be less than max');
  if (!(step > 0)) problems.push('clamp: step must be positive');
  return {
    spec: { kind: 'clamp', min, max, step },
    problems,
    freeText: false,
    outputs: (max - min) / step <= 1000 ? Array.from({ length: Math.floor((max - min) / step) + 1 }, (_, i) => min + i * step) : undefined,
    schema: { type: 'number', minimum: min, maximum: max, multipleOf: step },
    example: min,
    apply(raw) {
      const v = readNumber(raw, -Number.MAX_VALUE, Number.MAX_VALUE);
      if (v instanceof Rejection) return v;
      const c = v < min ? min : v > max ? max : v;
      return Math.min(max, Math.max(min, Math.round(c / step) * step));
    },
    accepts(value) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) return false;
      const k = value / step;
      return Math.abs(k - Math.round(k)) < 1e-9;
    },
    describe: () => `a whole number of ${step === 1 ? 'units' : `steps of ${step}`}, capped to ${min}–${max}`,
  };
}
