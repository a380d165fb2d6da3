import { Rejection, type Generalizer } from '../generalizer.js';
import { describeType } from './read-number.js';

/**
 * A yes/no value, passed as is.
 * @example boolean() // true → true
 */
export function boolean(): Generalizer<boolean, boolean> {
  return {
    spec: { kind: 'boolean' },
    problems: [],
    freeText: false,
    outputs: [false, true],
    schema: { type: 'boolean' },
    example: true,
    apply: (raw) => (typeof raw === 'boolean' ? raw : new Rejection('wrong_type', `expected a boolean, got ${describeType(raw)}`)),
    accepts: (value) => typeof value === 'boolean',
    describe: () => 'yes or no',
  };
}
