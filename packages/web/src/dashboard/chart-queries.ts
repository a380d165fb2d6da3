import type { ChartConfig, DashboardConfig } from './dashboard-config.js';

/** What the page's controls ask for, as far as queries are concerned. */
export interface QueryControls {
  readonly from: string;
  readonly to: string;
  readonly granularity: 'day' | 'week';
  /** Epsilon per query, or null for exact, k-suppressed counts. */
  readonly epsilon: number | null;
}

/** One query of a chart: the path under the API base, its query string, and its CSV download. */
export interface ChartQuery {
  /** The boolean field it asks about (consent charts). */
  readonly field?: string;
  /** `stats` or `stats/active`. */
  readonly path: 'stats' | 'stats/active';
  /** The query string, always built the same way for the same chart and controls. */
  readonly query: string;
  readonly csv: { readonly label: string; readonly file: string };
}

function query(params: readonly (readonly [string, string | undefined])[]): string {
  const q = new URLSearchParams();
  for (const [k, v] of params) if (v !== undefined) q.set(k, v);
  return q.toString();
}

/**
 * The `/v1/stats` queries behind a chart. Shared by the page, which sends them, and the server
 * module, which starts them while the page loads: both build the very same strings.
 */
export function chartQueries(chart: ChartConfig, c: QueryControls, defaults: DashboardConfig['defaults']): ChartQuery[] {
  const tail: [string, string | undefined][] = [
    ['from', c.from],
    ['to', c.to],
    ['epsilon', c.epsilon === null ? undefined : String(c.epsilon)],
    ['mechanism', c.epsilon === null ? undefined : defaults.mechanism],
  ];
  if (chart.kind === 'active') return [{ path: 'stats/active', query: query([['granularity', chart.granularity ?? 'day'], ...tail]), csv: { label: chart.title, file: `${chart.id}.csv` } }];
  if (chart.kind === 'consent') {
    return (chart.fields ?? []).map((f) => ({ field: f, path: 'stats', query: query([['event', chart.event], ['groupBy', f], ['granularity', c.granularity], ...tail]), csv: { label: chart.fieldLabels[f] ?? f, file: `${chart.id}-${f}.csv` } }));
  }
  return [{ path: 'stats', query: query([['event', chart.event], ['groupBy', chart.field], ['granularity', chart.granularity ?? c.granularity], ...tail]), csv: { label: chart.title, file: `${chart.id}.csv` } }];
}
