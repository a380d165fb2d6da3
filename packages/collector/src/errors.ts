import { ERROR_CODES, LIMITS, type ErrorCode } from '@candor/protocol';

/** One named problem in an error answer. */
export interface ErrorDetail {
  readonly path: string;
  readonly reason: string;
  readonly message: string;
}

/**
 * An error the collector answers with: a documented code, its HTTP status, a message naming
 * the problem and at most {@link LIMITS.maxErrorDetails} details.
 */
export class CollectorError extends Error {
  readonly status: number;
  readonly details: readonly ErrorDetail[] | undefined;

  /** @param code a documented error code  @param message what is wrong  @param details the individual problems (first 20 kept) */
  constructor(
    readonly code: ErrorCode,
    message: string,
    details?: readonly ErrorDetail[],
  ) {
    super(message);
    this.name = 'CollectorError';
    this.status = ERROR_CODES[code].status;
    this.details = details === undefined ? undefined : details.slice(0, LIMITS.maxErrorDetails);
  }

  /** The JSON error body. */
  toBody(): { error: { code: string; message: string; details?: readonly ErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

/** Thrown by a store that cannot serve now (locked, read-only, down); the collector answers 503 and stored nothing. */
export class StoreUnavailableError extends CollectorError {
  /** @param message why the store cannot serve  @param cause the engine's error */
  constructor(message: string, cause?: unknown) {
    super('STORE_UNAVAILABLE', message);
    this.name = 'StoreUnavailableError';
    if (cause !== undefined) this.cause = cause;
  }
}

/** Stable codes of collector configuration errors. */
export const COLLECTOR_CONFIG_ERROR_CODES = {
  CONFIG_INVALID_VALUE: 'an option has a value of the wrong type or outside its range',
  CONFIG_FILE_UNREADABLE: 'the configuration file cannot be read or is not a JSON object',
  CONFIG_UNKNOWN_OPTION: 'the configuration names an option that does not exist',
  CONFIG_CATALOG_INCOMPATIBLE: 'the catalog and its previous versions cannot share one store (a field changes type)',
} as const;

/** A collector configuration error code. */
export type CollectorConfigErrorCode = keyof typeof COLLECTOR_CONFIG_ERROR_CODES;

/** Thrown at start-up when the configuration is unusable; the collector does not start. */
export class CollectorConfigError extends Error {
  /** @param code stable error code  @param message what is wrong, naming the option */
  constructor(
    readonly code: CollectorConfigErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CollectorConfigError';
  }
}
