/** Stable codes of dashboard configuration errors, thrown at start-up. */
export const DASHBOARD_CONFIG_CODES = {
  DASHBOARD_INVALID_OPTION: 'an option has a value of the wrong type or range; the message names it',
  DASHBOARD_ASSETS_MISSING: 'the built page script or styles were not found; run `npm run build`',
  DASHBOARD_BUNDLE_TOO_LARGE: 'the page script with uPlot exceeds its gzipped size budget',
} as const;

/** A dashboard configuration error code. */
export type DashboardConfigCode = keyof typeof DASHBOARD_CONFIG_CODES;

/** Thrown when the dashboard is configured wrongly. */
export class DashboardConfigError extends Error {
  /** @param code stable error code  @param message what is wrong, naming the option */
  constructor(
    readonly code: DashboardConfigCode,
    message: string,
  ) {
    super(message);
    this.name = 'DashboardConfigError';
  }
}

/**
 * Error codes the dashboard's own endpoints answer with (`{ error: { code, message } }`), besides
 * the collector's codes that `/dashboard/api/stats` passes through unchanged. `docs/dashboard.md`
 * documents each; a test checks that.
 */
export const DASHBOARD_API_ERRORS = {
  SESSION_REQUIRED: { status: 401, description: 'No dashboard session: sign in at /dashboard/login. Sessions end on sign-out, after their lifetime, or when the collector restarts.' },
  CSRF_REJECTED: { status: 403, description: 'A sign-in or sign-out form came without a valid CSRF token, or from another site.' },
  SIGN_IN_REFUSED: { status: 401, description: 'The token given at sign-in is not the admin token.' },
  SIGN_IN_RATE_LIMITED: { status: 429, description: 'Too many failed sign-ins from this client; Retry-After says when to try again.' },
  ASSETS_UNAVAILABLE: { status: 503, description: 'The page script or styles could not be loaded (not built); the message says how to build them.' },
} as const;

/** A dashboard API error code. */
export type DashboardApiErrorCode = keyof typeof DASHBOARD_API_ERRORS;
