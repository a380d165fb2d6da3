export { createPrivacyTabHandler } from './privacy-tab/create-privacy-tab-handler.js';
export type { PrivacyTabHandler, NextFunction, FastifyInstanceLike } from './privacy-tab/create-privacy-tab-handler.js';
export { resolvePrivacyTabOptions, DEFAULT_ASSETS_DIR } from './privacy-tab/resolve-options.js';
export type { PrivacyTabOptions, ResolvedPrivacyTabOptions, PrivacyTabAuthorization } from './privacy-tab/resolve-options.js';
export type {
  PrivacyTabClient,
  PrivacyTabConsentEntry,
  PrivacyTabSentLogEntry,
  PrivacyTabSentLogQuery,
  PrivacyTabSubjectResult,
  PrivacyTabPolicy,
  PrivacyTabIntegration,
  PrivacyTabIntegrationHandle,
} from './privacy-tab/privacy-tab-client.js';
export { PrivacyTabConfigError, PRIVACY_TAB_CONFIG_CODES, PrivacyTabApiError, PRIVACY_TAB_API_ERRORS } from './privacy-tab/errors.js';
export type { PrivacyTabConfigCode, PrivacyTabApiErrorCode } from './privacy-tab/errors.js';
export { CSRF_COOKIE, CSRF_HEADER } from './privacy-tab/csrf.js';
export { PAGE_CSP } from './privacy-tab/http-io.js';
export type {
  SessionBody,
  CatalogBody,
  PolicyChangeBody,
  ConsentBody,
  ConsentCategoryBody,
  SentEntryBody,
  SentKind,
  SentListBody,
  DayTotalBody,
  DroppedBody,
  IntegrationsBody,
  DeleteBody,
  ExportBody,
  ErrorResponseBody,
} from './privacy-tab/api-types.js';
