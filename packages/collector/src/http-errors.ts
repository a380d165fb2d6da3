import type { FastifyError, FastifyReply } from 'fastify';
import { CollectorError } from './errors.js';

/** Maps anything thrown to a documented collector error; unknown errors become INTERNAL. */
export function toCollectorError(error: unknown): CollectorError {
  if (error instanceof CollectorError) return error;
  const e = error as Partial<FastifyError> & { status?: number };
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new CollectorError('BODY_TOO_LARGE', 'the request body is larger than allowed');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new CollectorError('UNSUPPORTED_MEDIA_TYPE', 'send application/json (optionally gzip-encoded)');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_TYPE':
      return new CollectorError('MALFORMED_BODY', 'the request body is empty or its length is wrong');
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return new CollectorError('NOT_FOUND', 'no such endpoint');
    default:
      break;
  }
  const status = e.statusCode ?? e.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) return new CollectorError('BODY_TOO_LARGE', 'the request body is larger than allowed');
    if (status === 415) return new CollectorError('UNSUPPORTED_MEDIA_TYPE', 'send application/json (optionally gzip-encoded)');
    if (status === 408) return new CollectorError('REQUEST_TIMEOUT', 'the request took too long to arrive');
    if (status === 404) return new CollectorError('NOT_FOUND', 'no such endpoint');
    return new CollectorError('MALFORMED_BODY', 'the request could not be read');
  }
  return new CollectorError('INTERNAL', 'an unexpected error; nothing of the request was stored');
}

/** Sends a collector error as JSON with its status, and Retry-After where a retry can help. */
export function sendError(reply: FastifyReply, error: CollectorError, retryAfterSeconds?: number): FastifyReply {
  if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
  else if (error.status === 503) reply.header('retry-after', '5');
  return reply.code(error.status).type('application/json; charset=utf-8').send(error.toBody());
}

