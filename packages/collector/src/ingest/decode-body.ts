import { isUtf8 } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { CollectorError } from '../errors.js';
import { exceedsJsonDepth } from './json-depth.js';

/** Limits applied while decoding a request body. */
export interface DecodeLimits {
  /** Largest body after decompression, in bytes. */
  readonly maxDecompressedBytes: number;
  /** Deepest nesting of objects and arrays. */
  readonly maxJsonDepth: number;
}

/**
 * Turns a raw request body into a JSON value, refusing before any work it should not do:
 * a gzip body is inflated with a hard output cap (a zip bomb stops at the cap, never inflated
 * whole), nesting is measured before parsing, and text must be valid UTF-8 (RFC 8259 §8.1).
 * Throws a {@link CollectorError} naming the problem.
 */
export function decodeBody(raw: Buffer, contentEncoding: string | undefined, limits: DecodeLimits): unknown {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  let text: Buffer;
  if (encoding === 'gzip' || encoding === 'x-gzip') {
    try {
      text = gunzipSync(raw, { maxOutputLength: limits.maxDecompressedBytes });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
        throw new CollectorError('BODY_TOO_LARGE', `the body inflates to more than ${limits.maxDecompressedBytes} bytes`);
      }
      throw new CollectorError('MALFORMED_BODY', 'the gzip stream is corrupt or truncated');
    }
  } else if (encoding === 'identity' || encoding === '') {
    if (raw.length > limits.maxDecompressedBytes) throw new CollectorError('BODY_TOO_LARGE', `the body is larger than ${limits.maxDecompressedBytes} bytes`);
    text = raw;
  } else {
    throw new CollectorError('UNSUPPORTED_MEDIA_TYPE', 'the content encoding must be gzip or identity');
  }
  if (text.length === 0) throw new CollectorError('MALFORMED_BODY', 'the body is empty');
  if (exceedsJsonDepth(text, limits.maxJsonDepth)) throw new CollectorError('TOO_DEEP', `the JSON nests deeper than ${limits.maxJsonDepth} levels`);
  if (!isUtf8(text)) throw new CollectorError('MALFORMED_BODY', 'the body is not valid UTF-8');
  try {
    return JSON.parse(text.toString('utf8')) as unknown;
  } catch {
    throw new CollectorError('MALFORMED_BODY', 'the body is not valid JSON');
  }
}
