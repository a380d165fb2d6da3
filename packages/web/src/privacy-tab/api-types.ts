// The JSON shapes of the privacy tab's API. The element imports these types only, so the
// browser bundle and the server cannot drift apart silently.
import type { DataDictionary } from '@candor/catalog';

/** `GET api/session`: the CSRF token to send as `x-candor-csrf` with every change. */
export interface SessionBody {
  readonly csrfToken: string;
}

/** One change a pending catalog version makes, in a sentence. */
export interface PolicyChangeBody {
  readonly kind: string;
  readonly category: string | null;
  readonly sentence: string;
}

/** `GET api/catalog`: everything collected, in words, and the policy version. */
export interface CatalogBody {
  /** The dictionary of the catalog the SDK generalizes with (the shipped version). */
  readonly dictionary: DataDictionary;
  readonly policy: {
    readonly id: string;
    /** The version in effect today, or null when none is yet. */
    readonly inEffect: { readonly version: string; readonly effectiveDate: string } | null;
    readonly shipped: { readonly version: string; readonly effectiveDate: string };
    readonly linkagePeriod: string;
  };
  /** A shipped version that is not yet in effect, and what it changes. */
  readonly pending: { readonly version: string; readonly effectiveDate: string; readonly changes: readonly PolicyChangeBody[] } | null;
  /** Events held back until the pending version takes effect. */
  readonly notYetEffective: readonly string[];
}

/** One category's switch. */
export interface ConsentCategoryBody {
  readonly id: string;
  readonly title: string;
  readonly required: boolean;
  readonly on: boolean;
  /** Who decided: `default`, `owner`, `required`, `env` (CANDOR_TELEMETRY=off or DO_NOT_TRACK=1) or `recovered`. */
  readonly source: string;
  /** ISO 8601, when the owner decided. */
  readonly decidedAt: string | null;
}

/** `GET|POST api/consent`. */
export interface ConsentBody {
  readonly categories: readonly ConsentCategoryBody[];
}

/** What a sent-log entry was: a batch, deletion or export request to the collector, or a third-party delivery. */
export type SentKind = 'batch' | 'deletion' | 'export' | 'delivery';

/** One sent-log entry without its bytes. */
export interface SentEntryBody {
  readonly id: string;
  /** ISO 8601. */
  readonly sentAt: string;
  readonly kind: SentKind;
  /** `pending`, `delivered`, `duplicate`, `rejected`, `failed`, … as the SDK reports it. */
  readonly status: string;
  /** The collector's error code or acknowledgement, when there is one. */
  readonly detail: string | null;
  readonly destination: string | null;
  readonly categories: readonly string[];
  readonly events: number;
  readonly byteLength: number;
}

/** Totals of one UTC day of the filtered sent log. */
export interface DayTotalBody {
  readonly day: string;
  readonly entries: number;
  readonly events: number;
  readonly bytes: number;
}

/** `GET api/sent?category=&from=&to=&kind=batch,deletion&limit=&offset=`: newest first. */
export interface SentListBody {
  readonly entries: readonly SentEntryBody[];
  /** How many entries match the filter (the list holds at most `limit` of them). */
  readonly total: number;
  readonly totalsPerDay: readonly DayTotalBody[];
}

/** `GET api/dropped`. */
export interface DroppedBody {
  readonly total: number;
  readonly reasons: readonly { readonly reason: string; readonly count: number; readonly description: string }[];
}

/** `GET|POST api/integrations`: declared third parties, what each receives, and whether it sends now. */
export interface IntegrationsBody {
  /** Whether the third-party integrations category is on; null when the catalog has none. */
  readonly categoryOn: boolean | null;
  readonly integrations: readonly {
    readonly id: string;
    readonly kind: string;
    readonly kindLabel: string;
    readonly title: string;
    readonly purpose: string;
    readonly destination: string;
    /** Whether the owner turned it on; null when unknown. */
    readonly granted: boolean | null;
    /** Whether deliveries leave now; null when unknown. */
    readonly active: boolean | null;
    /** Whether the owner can switch it from the tab. */
    readonly switchable: boolean;
    readonly signing: string | null;
    readonly summary: string | null;
    readonly fields: readonly { readonly name: string; readonly why: string; readonly sends: string }[];
  }[];
}

/** `POST api/delete`: the collector's acknowledgement. */
export interface DeleteBody {
  readonly acknowledgement: unknown;
}

/** `GET api/export`: everything sent, as a download. */
export interface ExportBody {
  readonly exportedAt: string;
  readonly catalog: { readonly id: string; readonly version: string };
  readonly entries: readonly (SentEntryBody & {
    /** The exact text that left (uncompressed JSON; gzip is only the transport encoding). */
    readonly bytes: string;
  })[];
}

/** The body of every error answer. */
export interface ErrorResponseBody {
  readonly error: { readonly code: string; readonly message: string };
}
