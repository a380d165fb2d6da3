import type { CatalogSpec } from '@candor/catalog';

/** What a category's consent looks like to the privacy tab. */
export interface PrivacyTabConsentEntry {
  /** Whether the category's events may be recorded and leave. */
  readonly granted: boolean;
  /** Who decided: `default`, `owner`, `required`, `env` (CANDOR_TELEMETRY=off or DO_NOT_TRACK=1) or `recovered`. */
  readonly source?: string;
  /** When the owner decided (ISO 8601 or epoch ms), or null. */
  readonly decidedAt?: number | string | null;
}

/** One entry of the SDK's sent log: the exact bytes that left. */
export interface PrivacyTabSentLogEntry {
  /** Stable id of the entry. */
  readonly id: string | number;
  /** When it left (epoch ms or ISO 8601). */
  readonly sentAt: number | string;
  /** A batch to the collector, or a third-party delivery. */
  readonly kind?: string;
  /** The URL it went to. */
  readonly destination?: string;
  /** The exact bytes, before any content encoding. */
  readonly bytes: Uint8Array | string;
  /** Categories of the events it carried, when the SDK records them. */
  readonly categories?: readonly string[];
  /** How many events it carried, when the SDK records it. */
  readonly events?: number;
}

/** Query of the SDK's sent log. */
export interface PrivacyTabSentLogQuery {
  readonly category?: string;
  /** Earliest time, epoch ms. */
  readonly since?: number;
}

/** One third-party integration as the SDK discloses it. */
export interface PrivacyTabIntegration {
  readonly id: string;
  readonly kind: string;
  readonly title?: string;
  readonly destination: string;
  readonly purpose?: string;
  readonly enabled?: boolean;
  readonly fields: readonly { readonly name: string; readonly description: string; readonly sentAs?: string }[];
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
    get(): Readonly<Record<string, PrivacyTabConsentEntry | boolean>> | Promise<Readonly<Record<string, PrivacyTabConsentEntry | boolean>>>;
    /** Turns one category on or off. */
    set(category: string, on: boolean): unknown;
  };
  readonly sentLog: {
    /** Entries matching the query, in any order. */
    list(query?: PrivacyTabSentLogQuery): readonly PrivacyTabSentLogEntry[] | Promise<readonly PrivacyTabSentLogEntry[]>;
  };
  /** Counters, including drops by reason. */
  stats(): { readonly dropped?: Readonly<Record<string, number>> } | Promise<{ readonly dropped?: Readonly<Record<string, number>> }>;
  /** Asks the collector to delete everything of this install; resolves with its acknowledgement. */
  deleteMyData(): Promise<unknown>;
  /** Third-party integrations, when the host declared any. */
  readonly integrations?: { disclosure(): readonly PrivacyTabIntegration[] };
}
