/** Every error code the collector answers with, its HTTP status and meaning. `docs/protocol.md` documents each; a test checks that. */
export const ERROR_CODES = {
  BODY_TOO_LARGE: { status: 413, description: 'The request body (compressed or decompressed) exceeds the size limit.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'The content type is not application/json, or the content encoding is not gzip or identity.' },
  MALFORMED_BODY: { status: 400, description: 'The body is not valid JSON, or its gzip stream is corrupt or truncated.' },
  TOO_DEEP: { status: 400, description: 'The JSON nests deeper than the limit.' },
  INVALID_BATCH: { status: 400, description: 'The batch envelope is malformed (version, catalog, pseudonym, period, batch key or events).' },
  UNSUPPORTED_PROTOCOL_VERSION: { status: 400, description: 'The protocol version is not one this collector accepts.' },
  UNKNOWN_CATALOG: { status: 422, description: 'The catalog id or version named by the batch is not known to this collector.' },
  INVALID_EVENTS: { status: 422, description: 'One or more events do not match the catalog; details name the first 20 problems. Nothing of the batch is stored.' },
  TOO_MANY_EVENTS: { status: 413, description: 'The batch holds more events than allowed.' },
  PERIOD_MISMATCH: { status: 422, description: "An event's time lies outside the batch's period, or the period is in the future." },
  PERIOD_TOO_OLD: { status: 422, description: 'The batch period ended longer ago than the collector accepts (its `maxPeriodAgeDays`); resending will not help.' },
  INVALID_SUBJECT_REQUEST: { status: 400, description: 'A deletion or export request is malformed.' },
  INVALID_QUERY: { status: 400, description: 'A statistics query names unknown fields or an invalid range or granularity.' },
  PRIVACY_BUDGET_EXHAUSTED: { status: 429, description: "The day's differential-privacy budget for this dataset is spent." },
  UNAUTHORIZED: { status: 401, description: 'The admin token is missing or wrong.' },
  FORBIDDEN: { status: 403, description: 'The request is not allowed (for example, a missing CSRF token).' },
  NOT_FOUND: { status: 404, description: 'No such endpoint.' },
  METHOD_NOT_ALLOWED: { status: 405, description: 'The endpoint does not accept this method.' },
  RATE_LIMITED: { status: 429, description: 'Too many requests from this client; retry after the Retry-After header.' },
  HEADERS_TOO_LARGE: { status: 431, description: 'The request headers are too large.' },
  REQUEST_TIMEOUT: { status: 408, description: 'The request took too long to arrive.' },
  SHUTTING_DOWN: { status: 503, description: 'The collector is shutting down and takes no new requests; nothing was stored. Retry later.' },
  STORE_UNAVAILABLE: { status: 503, description: 'The store cannot commit right now (locked, read-only or down); nothing was stored. Retry later.' },
  INTERNAL: { status: 500, description: 'An unexpected error; nothing of the request was stored.' },
} as const;

/** A collector error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Whether a string is a known error code. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}
