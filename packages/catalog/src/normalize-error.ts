import { REJECT_REASONS, type RejectReason } from './generalizer.js';

/** One problem with one raw field. */
export interface FieldIssue {
  /** Where: `event` or `event.field` (the raw key). */
  readonly path: string;
  /** Stable reason code. */
  readonly reason: RejectReason;
  /** What is wrong, in words; never echoes the raw value. */
  readonly message: string;
}

/** Why an event could not be normalized; returned, never thrown. */
export class NormalizeError {
  readonly code = 'invalid_event' as const;
  /** @param event the event name as given (truncated)  @param issues every problem found */
  constructor(
    readonly event: string,
    readonly issues: readonly FieldIssue[],
  ) {}

  /** The most important reason, for drop counters. */
  get reason(): RejectReason {
    return this.issues[0]?.reason ?? 'internal';
  }

  /** All problems in one sentence. */
  get message(): string {
    return this.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  }
}

/** Builds an issue with the default wording of its reason when no detail is given. */
export function issue(path: string, reason: RejectReason, detail?: string): FieldIssue {
  return { path, reason, message: detail ?? REJECT_REASONS[reason] };
}
