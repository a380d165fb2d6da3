import type { RequestKind } from '../transport/types.js';

/** Warning codes the client reports (in `stats().warnings` and through `onDiagnostic`). */
export const WARNING_CODES = {
  OUTBOX_SET_ASIDE: 'the outbox file was damaged, emptied or not a Candor outbox; it was renamed aside and a new one started',
  STORAGE_UNAVAILABLE: 'the data directory cannot be used; events are counted as storage_error and nothing is sent',
  STORAGE_ERROR: 'writing the outbox failed (for example, the disk is full); the events of that commit were dropped',
  CONSENT_UNREADABLE: 'the consent choices could not be read; optional categories stay off until the owner decides',
  CONSENT_NOT_SAVED: 'a consent choice could not be saved; it holds until the process restarts',
  SECRET_SET_ASIDE: 'the install secret was damaged and replaced',
  SECRET_UNAVAILABLE: 'the install secret could not be read or created; nothing can be sent',
  ENV_UNRECOGNIZED: 'an environment variable had a value the SDK does not understand; it chose the more private reading',
  BATCH_REJECTED: 'the collector refused a batch permanently; its events were dropped as rejected',
  SUBJECT_REQUEST_REJECTED: 'the collector refused a deletion request permanently',
  SEND_FAILED: 'a batch failed too many rounds and was dropped as send_failed',
} as const;

/** A warning code. */
export type WarningCode = keyof typeof WARNING_CODES;

/** A warning, as `stats().warnings` lists it. */
export interface TelemetryWarning {
  /** One of {@link WARNING_CODES}, or a code an extension reports. */
  readonly code: WarningCode | (string & {});
  readonly message: string;
  /** When it happened (ISO 8601). */
  readonly at: string;
}

/** What the client tells `onDiagnostic`. */
export type TelemetryDiagnostic =
  | { readonly type: 'warning'; readonly warning: TelemetryWarning }
  | {
      readonly type: 'retry_scheduled';
      readonly kind: RequestKind;
      /** `request`: the next attempt of the same request; `outbox`: the next round for a batch kept in the outbox. */
      readonly scope: 'request' | 'outbox';
      readonly attempt: number;
      readonly delayMs: number;
      /** The error code that caused the retry. */
      readonly reason: string;
    };

/** How often the default sink repeats a warning of one code: a collector refusing every batch must not flood the host's stderr. */
const REPEAT_MS = 600_000;
const lastEmitted = new Map<string, number>();

/**
 * The default diagnostic sink: warnings become process warnings, each code at most once every
 * ten minutes (all of them are kept in `stats().warnings`); retry notices are dropped.
 */
export function defaultDiagnostic(d: TelemetryDiagnostic): void {
  if (d.type !== 'warning') return;
  const now = Date.now();
  const last = lastEmitted.get(d.warning.code);
  if (last !== undefined && now - last < REPEAT_MS) return;
  lastEmitted.set(d.warning.code, now);
  process.emitWarning(d.warning.message, { type: 'CandorTelemetryWarning', code: `CANDOR_${d.warning.code}` });
}
