/**
 * What the page is told about its charts: the shapes shared by the server module that renders
 * the page and the browser code that draws it. Types only, so the browser bundle and the server
 * agree without importing each other.
 */

/** How a chart turns released cells into marks. */
export type ChartKind = 'breakdown' | 'active' | 'consent';

/** Time granularity a chart asks for. */
export type ChartGranularity = 'day' | 'week' | 'month';

/** One chart as declared: what to ask `/v1/stats` and how to title it. */
export interface ChartSpec {
  /** Stable id, used in element ids and CSV file names. */
  readonly id: string;
  readonly title: string;
  /** One sentence under the title saying what is counted. */
  readonly description: string;
  /**
   * `breakdown`: stacked bars of one event grouped by one field, per period.
   * `active`: `/v1/stats/active` at a fixed granularity.
   * `consent`: the share of installs with each boolean field on (one query per field).
   */
  readonly kind: ChartKind;
  readonly event: string;
  /** The field to group by (breakdown). */
  readonly field?: string;
  /** The boolean fields (consent). */
  readonly fields?: readonly string[];
  /** A fixed granularity (active); otherwise the page's day/week choice applies. */
  readonly granularity?: ChartGranularity;
  /** Display names of values; values not listed show as they are. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A group of charts under one heading. */
export interface SectionSpec {
  readonly id: string;
  readonly title: string;
  /** A sentence of context shown under the heading (for example that playback is sampled). */
  readonly description?: string;
  readonly charts: readonly ChartSpec[];
}

/** A chart as the page receives it: its spec, the catalog's order of its values and field labels. */
export interface ChartConfig extends ChartSpec {
  /** Values in the catalog's order (enumerations, bucket ranges); other values follow, sorted. */
  readonly order: readonly string[];
  /** Display names of the fields (consent: the categories' titles). */
  readonly fieldLabels: Readonly<Record<string, string>>;
}

/** A section as the page receives it. */
export interface SectionConfig extends Omit<SectionSpec, 'charts'> {
  readonly charts: readonly ChartConfig[];
}

/** Everything the page needs besides released statistics, embedded in it as a JSON data block. */
export interface DashboardConfig {
  /** Base path of the dashboard's JSON endpoints, such as `/dashboard/api`. */
  readonly apiBase: string;
  readonly catalog: { readonly id: string; readonly version: string };
  readonly sections: readonly SectionConfig[];
  /** The range, granularity and noise the page uses when its address names none. */
  readonly defaults: {
    readonly rangeDays: number;
    readonly granularity: 'day' | 'week';
    readonly epsilon: number | null;
    readonly mechanism: 'laplace' | 'geometric';
  };
}

/** Id of the JSON data block holding the {@link DashboardConfig}. */
export const CONFIG_ELEMENT_ID = 'candor-dashboard-config';
