export { createTelemetry } from './client/create-telemetry.js';
export type {
  Telemetry,
  TelemetryConsent,
  TelemetryStats,
  TelemetryExtensions,
  HostEventName,
  RecordOutcome,
  SentLog,
  SentLogEntry,
  SentLogQuery,
  SentLogKind,
  SentLogStatus,
  SentLogAppend,
  FlushResult,
  SubjectResult,
  Activity,
} from './client/types.js';
export { resolveTelemetryOptions } from './options/resolve-telemetry-options.js';
export type { TelemetryOptions, ResolvedTelemetryOptions } from './options/telemetry-options.js';
export { WARNING_CODES } from './options/diagnostics.js';
export type { TelemetryWarning, TelemetryDiagnostic, WarningCode } from './options/diagnostics.js';
export { ConfigError, CONFIG_ERROR_CODES } from './errors.js';
export type { ConfigErrorCode } from './errors.js';
export type { ConsentState, ConsentSource } from './consent/consent-store.js';
export { resolvePolicy } from './policy/resolve-policy.js';
export type { PolicyInfo } from './policy/resolve-policy.js';
export { samplePeriod, shuffleInPlace } from './linkage/sample-period.js';
export type { Random } from './linkage/sample-period.js';
export { createReservoir, offerToReservoir } from './linkage/reservoir.js';
export type { Reservoir } from './linkage/reservoir.js';
export { releaseSampledPeriod, finishReservoir, countEventFor } from './linkage/release-sampled-period.js';
export type { SampledRelease } from './linkage/release-sampled-period.js';
export { pseudonymFor, windowPseudonyms } from './pseudonym/pseudonym.js';
export { createHttpTransport } from './transport/http-transport.js';
export type { HttpTransportOptions } from './transport/http-transport.js';
export { createRetryingTransport } from './transport/retrying-transport.js';
export type { RetryingTransportOptions } from './transport/retrying-transport.js';
export { createConcurrencyLimitedTransport } from './transport/concurrency-limited-transport.js';
export { isRetryable } from './transport/is-retryable.js';
export { parseRetryAfter } from './transport/parse-retry-after.js';
export { classifyResponse } from './transport/classify-response.js';
export { backoffDelay } from './transport/backoff.js';
export type { Transport, TransportRequest, TransportResult, TransportError, RequestKind } from './transport/types.js';
export { createCryptoRandom } from './util/crypto-random.js';
export { captureCrashes } from './crash/capture-crashes.js';
export type { CrashCapture, CrashStats, CrashOrigin } from './crash/capture-crashes.js';
export type { CaptureCrashesOptions } from './crash/resolve-capture-crashes-options.js';
export type { CrashProcess } from './crash/crash-process.js';
export { defineIntegration } from './integrations/define-integration.js';
export type { IntegrationSpec } from './integrations/define-integration.js';
export type { Integration, IntegrationStats, DeliverResult } from './integrations/integration-types.js';
export { listIntegrations, listIntegrationDisclosures } from './integrations/list-integrations.js';
export { reportIntegrationsDaily } from './integrations/report-integrations-daily.js';
export { INTEGRATION_KINDS } from './integrations/integration-disclosure.js';
export type { IntegrationKind, IntegrationDisclosure, FieldDisclosure } from './integrations/integration-disclosure.js';
export type { IntegrationField, FieldChoice } from './integrations/shape-delivery.js';
export { signDelivery, SIGNATURE_HEADER } from './integrations/sign-delivery.js';
export type { SigningSecret } from './integrations/sign-delivery.js';
export { verifyDeliverySignature } from './integrations/verify-delivery-signature.js';
export type { VerifyDeliveryInput, VerifyDeliveryResult } from './integrations/verify-delivery-signature.js';
export type { DeliverySend, DeliveryRequest, DeliveryOutcome } from './integrations/deliver-with-retry.js';
export { definePlexStyleWebhook, plexStyleWebhookPayload, PLEX_STYLE_WEBHOOK_FIELDS } from './integrations/plex-style-webhook.js';
export type { PlaybackWebhook, PlaybackWebhookEvent, PlexStyleWebhookPayload, PlexStyleWebhookOptions } from './integrations/plex-style-webhook.js';
