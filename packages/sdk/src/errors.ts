/** Stable codes of configuration errors; each is thrown only by `createTelemetry` / `resolveTelemetryOptions` at start-up. */
export const CONFIG_ERROR_CODES = {
  CONFIG_INVALID_OPTIONS: 'the options are not an object',
  CONFIG_UNKNOWN_OPTION: 'an option name is not one the SDK knows (a typo would otherwise be ignored silently)',
  CONFIG_INVALID_CATALOG: 'the catalog is missing or fails data review',
  CONFIG_INVALID_ENDPOINT: 'the collector endpoint is missing or is not an http(s) URL without credentials',
  CONFIG_INVALID_DATA_DIR: 'the data directory is missing or is not a non-empty string',
  CONFIG_INVALID_OPTION: 'an option has a value of the wrong type or outside its range',
  CONFIG_LIMIT_EXCEEDED: 'a batch bound exceeds what the protocol allows (LIMITS in @candor/protocol)',
} as const;

/** A configuration error code. */
export type ConfigErrorCode = keyof typeof CONFIG_ERROR_CODES;

/** Thrown at start-up for bad configuration; the only error the SDK ever throws into its host. */
export class ConfigError extends Error {
  /** @param code stable error code  @param message what is wrong, naming the option */
  constructor(
    readonly code: ConfigErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
