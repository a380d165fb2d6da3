import { getRandomValues } from 'node:crypto';

/** A differential-privacy noise mechanism. */
export type NoiseMechanism = 'laplace' | 'geometric';

/** The mechanisms a query may ask for. */
export const NOISE_MECHANISMS: readonly NoiseMechanism[] = ['laplace', 'geometric'];

/** A uniform random number in (0, 1), from the operating system's CSPRNG. */
export type UniformSource = () => number;

/** Uniform doubles in the open interval (0, 1) with 53 random bits, from `crypto.getRandomValues`. */
export function secureUniform(): number {
  const words = getRandomValues(new Uint32Array(2));
  const value = ((words[0]! >>> 5) * 67_108_864 + (words[1]! >>> 6)) / 9_007_199_254_740_992;
  return value === 0 ? secureUniform() : value;
}

/**
 * Adds noise to a count for `epsilon`-differential privacy with L1 sensitivity `sensitivity`,
 * and returns a non-negative integer (rounding and clamping are post-processing and cost no
 * privacy). Geometric noise (two-sided, α = e^(−ε/Δ)) is integer-valued by construction and
 * so avoids the floating-point weaknesses of textbook Laplace sampling (Mironov 2012).
 */
export function noisyCount(count: number, epsilon: number, sensitivity: number, mechanism: NoiseMechanism, uniform: UniformSource = secureUniform): number {
  if (!(epsilon > 0) || !(sensitivity > 0)) throw new RangeError('epsilon and sensitivity must be positive');
  let noise: number;
  if (mechanism === 'laplace') {
    const scale = sensitivity / epsilon;
    const u = uniform() - 0.5;
    noise = -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
  } else {
    const logAlpha = -epsilon / sensitivity;
    const geometric = (): number => Math.floor(Math.log(uniform()) / logAlpha);
    noise = geometric() - geometric();
  }
  return Math.max(0, Math.round(count + noise));
}
