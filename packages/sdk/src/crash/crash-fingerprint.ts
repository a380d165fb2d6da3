import { createHash } from 'node:crypto';

const FRAME = /^\s*at /;

/**
 * A fingerprint of a crash: SHA-256 over the error class and the frames of its scrubbed
 * stack. Frames (not the message) identify where it happened, so one bug counts once however
 * its message varies; without frames the message stands in, digits folded, so that
 * "timeout after 3012 ms" and "timeout after 2987 ms" count as one.
 */
export function crashFingerprint(errorType: string, scrubbedStack: string, scrubbedMessage: string): string {
  const frames = scrubbedStack
    .split('\n')
    .filter((line) => FRAME.test(line))
    .map((line) => line.trim());
  const basis = frames.length > 0 ? frames.join('\n') : scrubbedMessage.replace(/\d+/g, '#');
  return createHash('sha256').update(`${errorType}\n${basis}`).digest('hex').slice(0, 32);
}
