/** One satisfiable byte range, both ends inclusive (RFC 9110 §14.1.2). */
export interface ByteRange {
  /** The first byte. */
  readonly start: number;
  /** The last byte, inclusive. */
  readonly end: number;
}

/**
 * What to do with a `Range` header for a representation of `size` bytes:
 * - `{ kind: 'full' }`: no header, a unit other than bytes, a malformed or multi-range header —
 *   RFC 9110 §14.2 lets a server ignore those and answer 200 with the whole file;
 * - `{ kind: 'range', range }`: answer 206 with that slice;
 * - `{ kind: 'unsatisfiable' }`: answer 416 with `Content-Range: bytes *\/size`.
 */
export type RangeDecision = { readonly kind: 'full' } | { readonly kind: 'range'; readonly range: ByteRange } | { readonly kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

/**
 * Decides how to answer a `Range` header. Only single ranges are served: browsers ask for one
 * at a time when seeking, and multipart/byteranges answers buy nothing for `<video>`.
 * @example parseRange('bytes=0-99', 1000) // { kind: 'range', range: { start: 0, end: 99 } }
 */
export function parseRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined) return { kind: 'full' };
  const match = SINGLE_RANGE.exec(header.trim().replace(/\s+/g, ''));
  if (match === null) return { kind: 'full' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'full' };
  if (first === '') {
    // A suffix range: the last N bytes. N = 0 selects nothing and cannot be satisfied.
    const suffix = toOffset(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', range: { start: Math.max(0, size - suffix), end: size - 1 } };
  }
  const start = toOffset(first);
  const end = last === '' ? size - 1 : toOffset(last);
  // "bytes=5-2" is syntactically invalid (last < first), so it is ignored rather than refused.
  if (end < start) return last === '' ? { kind: 'unsatisfiable' } : { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', range: { start, end: Math.min(end, size - 1) } };
}

// Offsets past 2^53 cannot be real file positions; they count as "beyond any end", which
// keeps "bytes=99999999999999999999-" unsatisfiable and "bytes=0-99999999999999999999" whole.
function toOffset(digits: string): number {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : Number.POSITIVE_INFINITY;
}
