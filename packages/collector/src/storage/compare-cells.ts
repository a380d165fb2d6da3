import type { WireValue } from '@candor/protocol';
import type { AggregateCell } from './contract.js';

const RANK = { null: 0, boolean: 1, number: 2, string: 3 } as const;

function rank(v: WireValue): number {
  return v === null ? RANK.null : RANK[typeof v as 'boolean' | 'number' | 'string'];
}

/** Orders wire values: null first, then booleans, numbers and strings, each in natural order. */
export function compareValues(a: WireValue, b: WireValue): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a === b || a === null || b === null) return 0;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order of aggregate answers: by period, then by each group value; every adapter sorts the same way. */
export function compareCells(a: AggregateCell, b: AggregateCell): number {
  if (a.period !== b.period) return a.period < b.period ? -1 : 1;
  for (let i = 0; i < a.values.length; i++) {
    const c = compareValues(a.values[i] ?? null, b.values[i] ?? null);
    if (c !== 0) return c;
  }
  return 0;
}
