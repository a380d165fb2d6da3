export { PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, PATHS, LIMITS, PSEUDONYM_PATTERN, BATCH_KEY_PATTERN } from './wire.js';
export type { WireBatch, WireEvent, WireValue, IngestResponse, SubjectRequest, DeleteResponse, ExportResponse, ErrorBody } from './wire.js';
export { ERROR_CODES, isErrorCode } from './error-codes.js';
export type { ErrorCode } from './error-codes.js';
export { DROP_REASONS } from './drop-reasons.js';
export type { DropReason } from './drop-reasons.js';
export { periodOf, periodRange, periodsBetween, dayOf } from './period.js';
export type { Linkage } from './period.js';
