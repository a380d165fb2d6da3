import { Rejection, type Generalizer } from '../generalizer.js';
import { describeType } from './read-number.js';

const IDENT = /^[A-Za-z_$][\w$]{0,63}$/;

/**
 * A code identifier such as an error class name (`TypeError`); anything else leaves as `other`.
 * Counted as free text by data review, so only crash reports may declare it.
 * @example identifier() // 'RangeError' → 'RangeError'
 */
export function identifier(): Generalizer<string, string> {
  return {
    spec: { kind: 'identifier' },
    problems: [],
    freeText: true,
    outputs: undefined,
    schema: { type: 'string', pattern: IDENT.source },
    example: 'TypeError',
    apply(raw) {
      if (typeof raw !== 'string') return new Rejection('wrong_type', `expected a string, got ${describeType(raw)}`);
      return IDENT.test(raw) ? raw : 'other';
    },
    accepts: (value) => typeof value === 'string' && IDENT.test(value),
    describe: () => 'the name of the error class (such as TypeError), or "other"',
  };
}
