import { Rejection, type Generalizer } from '../generalizer.js';
import { scrubText } from '../scrub-text.js';
import { describeType } from './read-number.js';

/** Options of {@link scrubbedText}. */
export interface ScrubbedTextOptions {
  /** The scrubbed text is cut to this many characters. @default 1024 */
  readonly maxLength?: number;
  /** Raw strings longer than this are rejected before scrubbing. @default 262144 */
  readonly maxInputLength?: number;
}

/**
 * Free text after scrubbing paths, file names, URLs, e-mail and IP addresses and secrets.
 * Only crash-report events may declare it (data review enforces this).
 * @example scrubbedText() // "ENOENT /mnt/media/Film (2017).mkv" → "ENOENT <path>"
 */
export function scrubbedText(options: ScrubbedTextOptions = {}): Generalizer<string, string> {
  const maxLength = options.maxLength ?? 1024;
  const maxInputLength = options.maxInputLength ?? 262_144;
  return {
    spec: { kind: 'scrubbed-text', maxLength },
    problems: maxLength > 0 ? [] : ['scrubbed-text: maxLength must be positive'],
    freeText: true,
    outputs: undefined,
    schema: { type: 'string', maxLength },
    example: 'TranscodeError: ffmpeg exited with code 1 reading <path>'.slice(0, Math.max(0, maxLength)),
    apply(raw) {
      if (typeof raw !== 'string') return new Rejection('wrong_type', `expected a string, got ${describeType(raw)}`);
      if (raw.length > maxInputLength) return new Rejection('too_long', `expected at most ${maxInputLength} characters`);
      const s = scrubText(raw);
      if (s.length <= maxLength) return s;
      // Never cut a surrogate pair in half: a lone surrogate is not valid UTF-8 on the wire.
      const code = s.charCodeAt(maxLength - 1);
      return s.slice(0, code >= 0xd800 && code <= 0xdbff ? maxLength - 1 : maxLength);
    },
    accepts: (value) => typeof value === 'string' && value.length <= maxLength,
    describe: () => `text of at most ${maxLength} characters, after removing file paths and names, web addresses, e-mail and IP addresses and secrets`,
  };
}
