import type { IncomingMessage, ServerResponse } from 'node:http';
import { DATA_CSP, strictPageCsp } from '../csp.js';
import { PRIVACY_TAB_API_ERRORS, PrivacyTabApiError } from './errors.js';
import type { PrivacyTabApiErrorCode } from './errors.js';

/** Largest JSON body a change may carry. */
export const MAX_BODY_BYTES = 16 * 1024;

/**
 * Content-Security-Policy of the page: no inline script or style, nothing from elsewhere, and
 * Trusted Types with no policy, so that any attempt to write HTML from a string throws.
 */
export const PAGE_CSP = strictPageCsp("'self'");

/** Headers that every answer carries. */
export function securityHeaders(kind: 'page' | 'asset' | 'api'): Record<string, string> {
  return {
    'content-security-policy': kind === 'api' ? DATA_CSP : PAGE_CSP,
    'x-frame-options': kind === 'api' ? 'DENY' : 'SAMEORIGIN',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    ...(kind === 'asset' ? { 'cache-control': 'no-cache' } : { 'cache-control': 'no-store' }),
  };
}

/** Writes a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...securityHeaders('api'),
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Writes `{ error: { code, message } }` with the code's status. */
export function sendError(res: ServerResponse, code: PrivacyTabApiErrorCode, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, PRIVACY_TAB_API_ERRORS[code].status, { error: { code, message } }, headers);
}

/**
 * Reads a JSON object body. A host framework that parsed it already (express.json(),
 * a fastify parser) leaves it in `req.body`; otherwise the stream is read here, bounded.
 */
export async function readJsonBody(req: IncomingMessage & { body?: unknown }): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new PrivacyTabApiError('UNSUPPORTED_MEDIA_TYPE', `Send changes as application/json, not ${type === '' ? 'no content type' : type}.`);
  let value: unknown = req.body;
  if (value === undefined || Buffer.isBuffer(value) || typeof value === 'string') {
    const text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : await readText(req);
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new PrivacyTabApiError('BODY_TOO_LARGE', `The body exceeds ${MAX_BODY_BYTES} bytes.`);
    try {
      value = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new PrivacyTabApiError('INVALID_REQUEST', 'The body is not valid JSON.');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PrivacyTabApiError('INVALID_REQUEST', 'The body must be a JSON object.');
  return value as Record<string, unknown>;
}

async function readText(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new PrivacyTabApiError('BODY_TOO_LARGE', `The body exceeds ${MAX_BODY_BYTES} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new PrivacyTabApiError('BODY_TOO_LARGE', `The body exceeds ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
