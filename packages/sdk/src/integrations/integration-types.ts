import type { DropReason } from '@candor/protocol';
import type { IntegrationDisclosure, IntegrationKind } from './integration-disclosure.js';
import type { FieldChoice } from './shape-delivery.js';

/** What happened to one event offered to an integration. */
export type DeliverResult = 'queued' | Extract<DropReason, 'consent_denied' | 'invalid_event'>;

/** Counters of one integration. */
export interface IntegrationStats {
  /** Deliveries waiting or in flight. */
  readonly queued: number;
  readonly delivered: number;
  /** Refused for good by the receiver (a 4xx other than 408 and 429, a redirect). */
  readonly rejected: number;
  /** Given up after every attempt failed. */
  readonly failed: number;
  /** Attempts made, retries included. */
  readonly attempts: number;
  /** Events not delivered, by reason. */
  readonly dropped: Readonly<Partial<Record<DropReason, number>>>;
  /** Fields left out because their generalizer refused the value. */
  readonly refusedFields: number;
}

/** A declared third-party integration. */
export interface Integration {
  readonly id: string;
  readonly kind: IntegrationKind;
  readonly title: string;
  readonly destination: string;
  /**
   * Offers an event: shaped to the declared fields as the owner chose, signed, queued and
   * delivered with retries. Synchronous, never throws; refused when the integrations category
   * or this integration is off.
   */
  deliver(event: unknown): DeliverResult;
  /** Whether deliveries leave now: the integrations category and this integration are both on. */
  isActive(): boolean;
  /** This integration's own consent, persisted in the data directory. Off by default. */
  readonly consent: {
    granted(): boolean;
    /** Turns it on or off; off stops queued and in-flight deliveries at once. */
    set(granted: boolean): void;
  };
  /** What the owner chose for a field (or its default), or undefined for an undeclared field. */
  fieldChoice(name: string): FieldChoice | undefined;
  /** Sets what is sent for a field; false when the field is undeclared or has no generalizer to choose. */
  setFieldChoice(name: string, choice: FieldChoice): boolean;
  /** Destination and fields in words, for the privacy tab. */
  disclosure(): IntegrationDisclosure;
  /** Resolves once every queued delivery has ended (delivered, refused, failed or stopped). Never rejects. */
  flush(): Promise<void>;
  stats(): IntegrationStats;
  /** Stops: queued deliveries are dropped (counted as `shutdown`) and no new ones are taken. */
  close(): void;
}
