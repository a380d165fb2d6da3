import { inspect } from 'node:util';

/** The raw text of an error, before scrubbing: its class name, message and stack with causes. */
export interface ErrorDescription {
  readonly errorType: string;
  readonly message: string;
  readonly stack: string;
}

/** Limits of {@link describeError}. */
export interface DescribeErrorLimits {
  /** Most `at …` frames kept per error. */
  readonly maxFrames: number;
  /** Most `cause` links followed (and AggregateError members listed). */
  readonly maxCauseDepth: number;
  /** Most characters of the result's message and of its stack. */
  readonly maxChars: number;
}

const FRAME = /^\s*at /;

function safeString(value: unknown): string {
  try {
    if (typeof value === 'string') return value;
    return inspect(value, { depth: 2, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 2000 });
  } catch {
    return '[uninspectable value]';
  }
}

function read(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    // A getter that throws (a Proxy, say) must not break crash handling.
    return undefined;
  }
}

function typeOf(value: unknown): string {
  if (value instanceof Error || (typeof value === 'object' && value !== null && typeof read(value, 'stack') === 'string')) {
    const name = read(value, 'name');
    if (typeof name === 'string' && name.length > 0) return name;
    const ctor = read(value, 'constructor') as { name?: unknown } | undefined;
    return typeof ctor?.name === 'string' && ctor.name.length > 0 ? ctor.name : 'Error';
  }
  // A rejection with a string or an object is not an Error: say what it was.
  if (value === null) return 'null';
  return typeof value === 'object' ? 'NonErrorObject' : `NonError${typeof value === 'string' ? 'String' : ''}`;
}

/** The stack of one error with at most `maxFrames` frames. */
function ownStack(value: unknown, maxFrames: number): { message: string; stack: string } {
  if (typeof value !== 'object' || value === null) {
    const text = safeString(value);
    return { message: text, stack: text };
  }
  const messageValue = read(value, 'message');
  const message = typeof messageValue === 'string' ? messageValue : safeString(value);
  const stackValue = read(value, 'stack');
  if (typeof stackValue !== 'string') return { message, stack: `${typeOf(value)}: ${message}` };
  const lines = stackValue.split('\n');
  const out: string[] = [];
  let frames = 0;
  let skipped = 0;
  for (const line of lines) {
    if (FRAME.test(line)) {
      if (frames >= maxFrames) {
        skipped++;
        continue;
      }
      frames++;
    }
    out.push(line);
  }
  if (skipped > 0) out.push(`    ... ${skipped} more frames`);
  return { message, stack: out.join('\n') };
}

/**
 * Describes a thrown or rejected value: its class name, message and stack, followed by its
 * `cause` chain and the members of an AggregateError, as Node's inspector prints them
 * (`[cause]: …`). Never throws, whatever the value (a Proxy, an object with throwing getters,
 * a cycle of causes).
 */
export function describeError(value: unknown, limits: DescribeErrorLimits): ErrorDescription {
  try {
    const head = ownStack(value, limits.maxFrames);
    const parts = [head.stack];
    const seen = new Set<unknown>([value]);
    const members = typeof value === 'object' && value !== null ? read(value, 'errors') : undefined;
    if (Array.isArray(members)) {
      members.slice(0, limits.maxCauseDepth).forEach((member, i) => {
        parts.push(`[errors][${i}]: ${ownStack(member, Math.min(3, limits.maxFrames)).stack}`);
      });
      if (members.length > limits.maxCauseDepth) parts.push(`[errors]: ... ${members.length - limits.maxCauseDepth} more`);
    }
    let current: unknown = value;
    for (let depth = 0; depth < limits.maxCauseDepth; depth++) {
      const cause = typeof current === 'object' && current !== null ? read(current, 'cause') : undefined;
      if (cause === undefined || seen.has(cause)) break;
      seen.add(cause);
      parts.push(`[cause]: ${ownStack(cause, limits.maxFrames).stack}`);
      current = cause;
    }
    return {
      errorType: typeOf(value),
      message: head.message.slice(0, limits.maxChars),
      stack: parts.join('\n').slice(0, limits.maxChars),
    };
  } catch {
    return { errorType: 'Error', message: '[the error could not be read]', stack: '[the error could not be read]' };
  }
}
