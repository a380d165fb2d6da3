/** A grid of numbers `origin + k·step`, with outputs free of binary floating-point residue. */
export interface StepGrid {
  /** The grid point nearest to `value`. */
  snap(value: number): number;
  /** Whether `value` is (within rounding) a grid point. */
  has(value: number): boolean;
  /** Whether `multipleOf` in JSON Schema describes the grid exactly (integer step and origin on the grid). */
  readonly exactMultipleOf: boolean;
}

/**
 * Builds the grid of a rounding generalizer. A step of 0.1 must give 0.3, not
 * 0.30000000000000004: the wire value is compared and grouped as a string downstream, and
 * JSON Schema's `multipleOf` would refuse the noisy form.
 */
export function stepGrid(origin: number, step: number): StepGrid {
  const decimals = Math.min(20, Math.max(decimalsOf(step), decimalsOf(origin)));
  const clean = decimals === 0 ? (v: number) => v : (v: number) => Number(v.toFixed(decimals));
  return {
    snap: (value) => clean(origin + Math.round((value - origin) / step) * step),
    has(value) {
      const k = (value - origin) / step;
      return Math.abs(k - Math.round(k)) < 1e-9 && clean(value) === value;
    },
    exactMultipleOf: Number.isInteger(step) && Number.isInteger(origin) && origin % step === 0,
  };
}

function decimalsOf(n: number): number {
  if (!Number.isFinite(n) || Number.isInteger(n)) return 0;
  const [mantissa = '', exponent] = String(n).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}
