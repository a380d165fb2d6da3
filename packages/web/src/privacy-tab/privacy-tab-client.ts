import type { CatalogDiff, CatalogSpec } from '@candor/catalog';

/** What a category's consent looks like to the privacy tab (the SDK's `ConsentState`). */
export interface PrivacyTabConsentEntry {
  /** Whether the category's events may be recorded and leave. */
  readonly granted: boolean;
  /** Who decided: `default`, `owner`, `required`, `env` (CANDOR_TELEMETRY=off or DO_NOT_TRACK=1) or `recovered`. */
  readonly source?: string;
  /** When the owner decided (ISO 8601 or epoch ms), or null. */
  readonly decidedAt?: number | string | null;
}

/** One entry of the SDK's sent log: the exact bytes that left (the SDK's `SentLogEntry`). */
export interface PrivacyTabSentLogEntry {
  readonly id: string | number;
  /** When it left (ISO 8601 or epoch ms). */
  readonly sentAt: number | string;
  /** `batch`, `deletion` or `export` to the collector, or `delivery` to a third party. */
  readonly kind: string;
  /** Categories of the events it carried (for deletions, those deleted; empty means all). */
  readonly categories: readonly string[];
  readonly eventCount: number;
  /** `pending`, `delivered`, `duplicate`, `rejected`, `failed`, … */
  readonly status?: string;
  /** The collector's error code or acknowledgement, when there is one. */
  readonly detail?: string | null;
  /** The URL it went to. */
  readonly destination?: string | null;
  /** The uncompressed body, byte for byte; gzip is only the transport encoding. */
  readonly body: string;
}

/** Query of the SDK's sent log; times in epoch ms. */
export interface PrivacyTabSentLogQuery {
  readonly category?: string;
  /** Earliest time, inclusive. */
  readonly since?: number;
  /** Latest time, exclusive. */
  readonly until?: number;
  readonly limit?: number;
}

/** The answer of `deleteMyData()` (the SDK's `SubjectResult`). */
export type PrivacyTabSubjectResult =
  | { readonly status: 'ok'; readonly response: unknown }
  | { readonly status: 'pending' | 'failed'; readonly error: { readonly code: string; readonly message: string; readonly httpStatus?: number } };

/** The catalog versions the owner is under (the SDK's `PolicyInfo`). */
export interface PrivacyTabPolicy {
  readonly catalogId: string;
  readonly inEffect: { readonly version: string; readonly effectiveDate: string } | null;
  readonly shipped: { readonly version: string; readonly effectiveDate: string };
  readonly pending: { readonly version: string; readonly effectiveDate: string; readonly diff: CatalogDiff } | null;
  readonly notYetEffective: readonly string[];
}

/** One third-party integration as the SDK discloses it (the SDK's `IntegrationDisclosure`). */
export interface PrivacyTabIntegration {
  readonly id: string;
  /** `webhook`, `speaker`, `voice-assistant`, `scrobbler`. */
  readonly kind: string;
  readonly kindLabel?: string;
  readonly title: string;
  readonly purpose: string;
  /** The URL deliveries go to. */
  readonly destination: string;
  /** Whether the owner turned this integration on. */
  readonly granted?: boolean;
  /** Whether deliveries leave now: the integrations category and this integration are both on. */
  readonly active?: boolean;
  /** How a receiver can tell a delivery came from this server, in words. */
  readonly signing?: string;
  /** One paragraph: what is sent, where, and whether it is sent now. */
  readonly summary?: string;
  /** Each field it receives: why, and what leaves for it now, in words. */
  readonly fields: readonly { readonly name: string; readonly why: string; readonly sends: string }[];
}

/** A declared integration the owner can switch (the SDK's `Integration`). */
export interface PrivacyTabIntegrationHandle {
  disclosure(): PrivacyTabIntegration;
  readonly consent: { set(granted: boolean): void };
}

/**
 * The part of the SDK client (`createTelemetry()` in `@candor/sdk`) that the privacy tab uses.
 * The handler talks to nothing else, so a host can also pass an adapter over another client.
 */
export interface PrivacyTabClient {
  /** The catalog the client generalizes with. */
  readonly catalog: CatalogSpec;
  readonly consent: {
    /** Every category's consent. */
    get(): Readonly<Record<string, PrivacyTabConsentEntry>>;
    /** Turns one optional category on or off. */
    set(category: string, granted: boolean): unknown;
  };
  readonly sentLog: {
    /** Entries matching the query, newest first. */
    list(query?: PrivacyTabSentLogQuery): readonly PrivacyTabSentLogEntry[];
  };
  /** Counters, including drops by reason. */
  stats(): { readonly dropped: Readonly<Record<string, number>> };
  /** Asks the collector to delete everything of this install. */
  deleteMyData(): Promise<PrivacyTabSubjectResult>;
  /** The catalog version in effect, and a pending newer one with its changes. */
  policy(): PrivacyTabPolicy;
}
