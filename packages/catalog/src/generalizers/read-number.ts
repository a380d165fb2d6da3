import { Rejection } from '../generalizer.js';

/** The plausible range of a raw number; values outside it are rejected as absurd, never passed on. */
export interface NumberRange {
  /** Smallest plausible raw value. @default 0 */
  readonly min?: number;
  /** Largest plausible raw value. @default Number.MAX_SAFE_INTEGER */
  readonly max?: number;
}

/** Reads a finite number within `[min, max]`, or explains why not. */
export function readNumber(raw: unknown, min: number, max: number): number | Rejection {
  if (typeof raw !== 'number') return new Rejection('wrong_type', `expected a number, got ${describeType(raw)}`);
  if (!Number.isFinite(raw)) return new Rejection('not_finite', 'expected a finite number');
  if (raw < min || raw > max) return new Rejection('out_of_range', `expected a number from ${min} to ${max}`);
  return raw;
}

/** Names the JavaScript type of a value without echoing the value. */
export function describeType(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'an array';
  return typeof raw;
}
