/** Stable codes of the risk tool's input errors. */
export const RISK_ERROR_CODES = {
  RISK_FILE_UNREADABLE: 'the media catalog file could not be read',
  RISK_CSV_MALFORMED: 'the file is not well-formed CSV (RFC 4180)',
  RISK_UNKNOWN_KIND: 'the CSV header matches neither a movie nor a music catalog',
  RISK_BAD_VALUE: 'a row holds a value the catalog kind does not allow',
  RISK_EMPTY_CATALOG: 'the media catalog has no rows',
  RISK_CATALOG_UNSUITABLE: 'the telemetry catalog cannot be measured (it lacks the playback event or its fields)',
  RISK_BAD_OPTION: 'an option of the risk analysis is out of range',
} as const;

/** A risk-tool error code. */
export type RiskErrorCode = keyof typeof RISK_ERROR_CODES;

/** Thrown when the risk tool's input (a media catalog file, a telemetry catalog, an option) is unusable. */
export class RiskInputError extends Error {
  /** @param code stable error code  @param message what is wrong, naming the file, line or field */
  constructor(
    readonly code: RiskErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RiskInputError';
  }
}
