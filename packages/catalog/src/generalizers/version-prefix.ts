import { Rejection, type Generalizer } from '../generalizer.js';
import { describeType } from './read-number.js';

/** Options of {@link versionPrefix}. */
export interface VersionPrefixOptions {
  /** How many leading numeric parts are kept. @default 2 */
  readonly parts?: number;
}

const VERSION = /^v?(\d{1,6}(?:\.\d{1,6})*)(?:[-+ ].*)?$/;

/**
 * Version truncation: only the leading numeric parts leave; build numbers and suffixes are dropped.
 * @example versionPrefix({ parts: 2 }) // '1.32.4.7003' → '1.32'
 */
export function versionPrefix(options: VersionPrefixOptions = {}): Generalizer<string, string> {
  const parts = options.parts ?? 2;
  const accepted = new RegExp(`^\\d{1,6}(\\.\\d{1,6}){0,${Math.max(0, parts - 1)}}$`);
  const problems = Number.isInteger(parts) && parts >= 1 && parts <= 4 ? [] : ['version-prefix: parts must be an integer from 1 to 4'];
  return {
    spec: { kind: 'version-prefix', parts },
    problems,
    freeText: false,
    outputs: undefined,
    schema: { type: 'string', pattern: accepted.source, maxLength: 7 * parts },
    example: ['1', '32', '4', '7003'].slice(0, parts).join('.'),
    apply(raw) {
      if (typeof raw !== 'string') return new Rejection('wrong_type', `expected a version string, got ${describeType(raw)}`);
      if (raw.length > 64) return new Rejection('too_long', 'expected at most 64 characters');
      const m = VERSION.exec(raw.trim());
      if (m === null) return new Rejection('invalid_format', 'expected a version like 1.32.4');
      return m[1]!
        .split('.')
        .slice(0, parts)
        .map((p) => String(Number(p)))
        .join('.');
    },
    accepts: (value) => typeof value === 'string' && accepted.test(value),
    describe: () => `the first ${parts} part${parts === 1 ? '' : 's'} of the version number (1.32.4.7003 is sent as ${['1', '32', '4', '7003'].slice(0, parts).join('.')})`,
  };
}
