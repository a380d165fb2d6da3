/** Stable codes of privacy-tab configuration errors, thrown at start-up. */
export const PRIVACY_TAB_CONFIG_CODES = {
  PRIVACY_TAB_MISSING_CLIENT: 'no SDK client was passed (option `client`)',
  PRIVACY_TAB_MISSING_AUTHORIZE: 'no admin check was passed (option `authorize`)',
  PRIVACY_TAB_INVALID_OPTION: 'an option has a value of the wrong type or range',
  PRIVACY_TAB_ASSETS_MISSING: 'the built element (candor-privacy-tab.js) was not found; run `npm run build`',
  PRIVACY_TAB_ELEMENT_TOO_LARGE: 'the built element with its styles exceeds its gzipped size budget',
} as const;

/** A privacy-tab configuration error code. */
export type PrivacyTabConfigCode = keyof typeof PRIVACY_TAB_CONFIG_CODES;

/** Thrown at start-up when the privacy tab is configured wrongly. */
export class PrivacyTabConfigError extends Error {
  /** @param code stable error code  @param message what is wrong, naming the option */
  constructor(
    readonly code: PrivacyTabConfigCode,
    message: string,
  ) {
    super(message);
    this.name = 'PrivacyTabConfigError';
  }
}

/**
 * Every error code the privacy tab's JSON API answers with, its HTTP status and meaning.
 * `docs/privacy-tab.md` documents each; a test checks that.
 */
export const PRIVACY_TAB_API_ERRORS = {
  UNAUTHORIZED: { status: 401, description: "The request does not come from the host's authenticated admin (the host's `authorize` hook refused it)." },
  CSRF_REJECTED: { status: 403, description: 'A change (consent, deletion) came without a valid CSRF token, or from another origin.' },
  NOT_FOUND: { status: 404, description: 'No such page, asset, endpoint or sent-log entry.' },
  METHOD_NOT_ALLOWED: { status: 405, description: 'The endpoint does not accept this method; the Allow header lists those it does.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'A change must be sent as application/json.' },
  BODY_TOO_LARGE: { status: 413, description: 'The request body exceeds 16 KB.' },
  INVALID_REQUEST: { status: 400, description: 'The body or a query parameter is malformed; the message names it.' },
  UNKNOWN_CATEGORY: { status: 404, description: 'The category is not in the catalog.' },
  UNKNOWN_INTEGRATION: { status: 404, description: 'No integration with that id is declared, or the host disclosed it without a switch.' },
  CATEGORY_REQUIRED: { status: 409, description: 'The category is required by the catalog; only the server-wide switch CANDOR_TELEMETRY=off turns it off.' },
  DELETE_FAILED: { status: 502, description: "The deletion request did not reach the collector or was refused; the message carries the collector's reason. Retrying is safe." },
  CLIENT_FAILED: { status: 500, description: 'The SDK client failed to answer; the message carries its reason.' },
} as const;

/** A privacy-tab API error code. */
export type PrivacyTabApiErrorCode = keyof typeof PRIVACY_TAB_API_ERRORS;

/** An error the API turns into `{ error: { code, message } }` with the code's status. */
export class PrivacyTabApiError extends Error {
  /** @param code stable error code  @param message what went wrong, for the owner */
  constructor(
    readonly code: PrivacyTabApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PrivacyTabApiError';
  }

  /** The HTTP status of this error's code. */
  get status(): number {
    return PRIVACY_TAB_API_ERRORS[this.code].status;
  }
}
