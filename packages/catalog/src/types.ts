import type { AnyGeneralizer, Generalizer, InputOf, MultiInputGeneralizer, OutputOf, Scalar } from './generalizer.js';

/** How long one pseudonym links an install's reports. */
export type LinkagePeriod = 'day' | 'week' | 'month';

/** A category of data that an owner can see and, unless required, turn off. */
export interface CategorySpec {
  /** Short title shown to owners ("Playback statistics"). */
  readonly title: string;
  /** Plain-language description of what the category covers and why. */
  readonly description: string;
  /** Whether the owner cannot turn it off (the kill switch `CANDOR_TELEMETRY=off` still can). */
  readonly required: boolean;
  /** Whether an optional category is on until the owner decides. */
  readonly defaultOn: boolean;
  /** The wording shown next to the toggle: what turning it off does. */
  readonly ownerText: string;
  /** Longest retention any event of this category may declare, in days. */
  readonly maxRetentionDays: number;
  /** Whether events of this category may carry scrubbed free text (crash reports only). */
  readonly allowsFreeText?: boolean;
}

/** One field of an event: what it means and how its raw value is generalized. */
export interface FieldSpec<G extends AnyGeneralizer = AnyGeneralizer> {
  /** What the field tells the vendor, in plain language. */
  readonly description: string;
  /** The generalizer that turns the raw value into what may leave. */
  readonly generalize: G;
  /** The raw key it reads, when it differs from the field name (`durationSeconds` → `duration`). */
  readonly from?: string;
  /** Whether the host may omit it; an omitted field leaves as `null`. @default false */
  readonly optional?: boolean;
}

/** How a sampled event is counted; see {@link EventSpec.sampled}. */
export interface SampledSpec {
  /** The event that carries the period's count. */
  readonly countEvent: string;
  /** Its field that receives the count. */
  readonly countField: string;
}

/** One event: a kind of report, its purpose, category, retention and fields. */
export interface EventSpec<C extends string = string> {
  /** The category that governs consent for this event. */
  readonly category: C;
  /** What the event is. */
  readonly description: string;
  /** Why the vendor needs it. */
  readonly purpose: string;
  /** How long the collector keeps it, in days. */
  readonly retentionDays: number;
  /** The most reports of this event one install may send per linkage period. */
  readonly maxPerPeriod: number;
  /**
   * When set, the SDK holds this event's reports for the whole linkage period and sends a uniform
   * sample of at most `maxPerPeriod` when the period ends, together with `countEvent` whose
   * `countField` receives how many there were (so statistics can be weighted). Unset: the first
   * `maxPerPeriod` of a period leave and later ones are dropped.
   */
  readonly sampled?: SampledSpec;
  /**
   * `'consent-state'`: the SDK records this event itself once per period, with one boolean
   * field per optional category (field name = category id), so the vendor learns opt-out rates
   * and nothing else. The host never records it.
   */
  readonly auto?: 'consent-state';
  /** The fields, by name. */
  readonly fields: { readonly [name: string]: FieldSpec };
}

/** A complete catalog declaration. */
export interface CatalogSpec<C extends string = string> {
  /** Stable id of the catalog ("media-server"). */
  readonly id: string;
  /** Version (semver); the collector validates each batch against the version it names. */
  readonly version: string;
  /** The date (YYYY-MM-DD, UTC) from which events this version adds to optional categories may be sent. */
  readonly effectiveDate: string;
  /** How long one pseudonym links an install's reports. */
  readonly linkagePeriod: LinkagePeriod;
  /** Categories by id. */
  readonly categories: { readonly [K in C]: CategorySpec };
  /** Events by name (`area.event`). */
  readonly events: { readonly [name: string]: EventSpec<C> };
  /** The previous versions still accepted by collectors, oldest first. */
  readonly previous?: readonly CatalogSpec<string>[];
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type FieldRaw<Name extends string, F> = F extends { readonly generalize: MultiInputGeneralizer<infer R, Scalar> }
  ? R
  : F extends { readonly optional: true }
    ? { [P in F extends { readonly from: infer K extends string } ? K : Name]?: InputOf<F extends FieldSpec<infer G> ? G : never> | null }
    : { [P in F extends { readonly from: infer K extends string } ? K : Name]: InputOf<F extends FieldSpec<infer G> ? G : never> };

/** The raw object a host passes to `record(name, raw)` for an event. */
export type RawOf<E extends EventSpec> = Simplify<
  UnionToIntersection<{ [F in keyof E['fields'] & string]: FieldRaw<F, E['fields'][F]> }[keyof E['fields'] & string]>
>;

/** The generalized payload of an event, as it leaves the machine. */
export type PayloadOf<E extends EventSpec> = {
  [F in keyof E['fields']]: E['fields'][F] extends { readonly optional: true }
    ? OutputOf<E['fields'][F]['generalize']> | null
    : OutputOf<E['fields'][F]['generalize']>;
};

/** Names of the events of a catalog. */
export type EventName<S extends CatalogSpec> = keyof S['events'] & string;

/** Names of the categories of a catalog. */
export type CategoryId<S extends CatalogSpec> = keyof S['categories'] & string;

/** The raw input of event `N` of catalog `S`. */
export type RawEvent<S extends CatalogSpec, N extends EventName<S>> = RawOf<S['events'][N]>;

/** A generalizer reference, re-exported for catalog authors' annotations. */
export type { Generalizer };
