import { periodsBetween } from '@candor/protocol';
import type { ChartConfig } from '../dashboard-config.js';
import type { ActiveAnswerBody, AnswerBodyBase, CellValue, NoiseBody, StatsAnswerBody } from './api-types.js';

/** One drawn series: a value per period, null where nothing is released. */
export interface SeriesModel {
  readonly key: string;
  readonly label: string;
  readonly values: readonly (number | null)[];
  /** Per period: whether a cell of this series was suppressed there. */
  readonly suppressed: readonly boolean[];
}

/** A column of the numbers table. */
export interface ColumnModel {
  readonly key: string;
  readonly label: string;
  readonly numeric: boolean;
}

/** A row of the numbers table: one released (or suppressed) cell, as the API returned it. */
export interface RowModel {
  readonly period: string;
  /** The group value as the API returned it (breakdown, consent), or undefined. */
  readonly value?: string;
  /** Cell by column key; null where the count is withheld. */
  readonly cells: Readonly<Record<string, number | string | null>>;
  readonly suppressed: boolean;
  readonly noised: boolean;
}

/** What one chart draws and says, built from its answers alone. */
export interface ChartModel {
  readonly kind: ChartConfig['kind'];
  readonly periods: readonly string[];
  readonly series: readonly SeriesModel[];
  /** Bars stacked per period (breakdown), single bars (active) or lines of percentages (consent). */
  readonly shape: 'stacked' | 'bars' | 'lines';
  readonly unit: 'count' | 'percent';
  readonly columns: readonly ColumnModel[];
  readonly rows: readonly RowModel[];
  readonly k: number;
  readonly noise: NoiseBody | null;
  /** Cells listed as suppressed (counts withheld). */
  readonly suppressedCells: number;
  /** Cells left out of the answer entirely. */
  readonly withheldCells: number;
  /** The event whose budget noise draws on. */
  readonly event: string;
}

/** The count a breakdown chart draws. */
export type Measure = 'events' | 'installs';

/** The text of a group value, as tables and legends show it. */
export function valueText(value: CellValue | undefined): string {
  return value === null || value === undefined ? '(none)' : String(value);
}

/** Every period the answer's (aligned) range covers, oldest first. */
export function periodsOf(answer: Pick<AnswerBodyBase<unknown>, 'from' | 'to' | 'granularity'>): string[] {
  return periodsBetween(Date.parse(`${answer.from}T00:00:00Z`), Date.parse(`${answer.to}T00:00:00Z`), answer.granularity);
}

const collator = new Intl.Collator('en', { numeric: true });

/** Values in the catalog's order, then any others sorted naturally (versions, error names). */
export function orderValues(present: Iterable<string>, order: readonly string[]): string[] {
  const set = new Set(present);
  const known = order.filter((v) => set.has(v));
  const rest = [...set].filter((v) => !order.includes(v)).sort((a, b) => collator.compare(a, b));
  return [...known, ...rest];
}

function base(answer: AnswerBodyBase<unknown>): Pick<ChartModel, 'k' | 'noise' | 'suppressedCells' | 'withheldCells' | 'event'> {
  return { k: answer.k, noise: answer.noise, suppressedCells: answer.suppressedCells, withheldCells: answer.withheldCells, event: answer.event };
}

/** Stacked bars of one field's values per period, with every cell in the table. */
export function breakdownModel(chart: ChartConfig, answer: StatsAnswerBody, measure: Measure): ChartModel {
  const field = chart.field!;
  const periods = periodsOf(answer);
  const index = new Map(periods.map((p, i) => [p, i]));
  const keys = orderValues(answer.cells.map((c) => valueText(c[field])), chart.order);
  const series = keys.map((key) => {
    const values: (number | null)[] = periods.map(() => null);
    const suppressed = periods.map(() => false);
    for (const c of answer.cells) {
      const i = index.get(c.period);
      if (i === undefined || valueText(c[field]) !== key) continue;
      values[i] = c.suppressed ? null : c[measure];
      suppressed[i] = c.suppressed;
    }
    return { key, label: chart.labels?.[key] ?? key, values, suppressed };
  });
  return {
    kind: 'breakdown',
    periods,
    series,
    shape: 'stacked',
    unit: 'count',
    columns: [
      { key: 'period', label: 'Period', numeric: false },
      { key: 'value', label: chart.title, numeric: false },
      { key: 'events', label: 'Reports', numeric: true },
      { key: 'installs', label: 'Installs', numeric: true },
    ],
    rows: answer.cells.map((c) => {
      const key = valueText(c[field]);
      return { period: c.period, value: key, cells: { period: c.period, value: chart.labels?.[key] ?? key, events: c.events, installs: c.installs }, suppressed: c.suppressed, noised: c.noised };
    }),
    ...base(answer),
  };
}

/** Bars of active installs per period (day, week or month). */
export function activeModel(answer: ActiveAnswerBody): ChartModel {
  const periods = periodsOf(answer);
  const values: (number | null)[] = periods.map(() => null);
  const suppressed = periods.map(() => false);
  const index = new Map(periods.map((p, i) => [p, i]));
  for (const c of answer.cells) {
    const i = index.get(c.period);
    if (i === undefined) continue;
    values[i] = c.suppressed ? null : c.active;
    suppressed[i] = c.suppressed;
  }
  return {
    kind: 'active',
    periods,
    series: [{ key: 'active', label: 'Active installs', values, suppressed }],
    shape: 'bars',
    unit: 'count',
    columns: [
      { key: 'period', label: 'Period', numeric: false },
      { key: 'active', label: answer.field === null ? 'Active installs' : 'Active installs (estimate)', numeric: true },
      { key: 'reports', label: 'Reports', numeric: true },
    ],
    rows: answer.cells.map((c) => ({ period: c.period, cells: { period: c.period, active: c.active, reports: c.reports }, suppressed: c.suppressed, noised: c.noised })),
    ...base(answer),
  };
}

/**
 * Lines of the share of installs with each boolean field on, per period: installs reporting
 * true over installs reporting either. A period where either count is suppressed has no share.
 */
export function consentModel(chart: ChartConfig, answers: readonly { readonly field: string; readonly answer: StatsAnswerBody }[]): ChartModel {
  const first = answers[0]!.answer;
  const periods = periodsOf(first);
  const index = new Map(periods.map((p, i) => [p, i]));
  const rows: RowModel[] = [];
  const series = answers.map(({ field, answer }) => {
    const on = periods.map((): number | null => null);
    const off = periods.map((): number | null => null);
    const suppressed = periods.map(() => false);
    for (const c of answer.cells) {
      const i = index.get(c.period);
      if (i === undefined) continue;
      if (c.suppressed) suppressed[i] = true;
      else if (c[field] === true) on[i] = c.installs;
      else if (c[field] === false) off[i] = c.installs;
    }
    for (const c of answer.cells) {
      const i = index.get(c.period)!;
      const share = !suppressed[i] && on[i] !== null && (on[i]! + (off[i] ?? 0)) > 0 ? (100 * on[i]!) / (on[i]! + (off[i] ?? 0)) : null;
      rows.push({
        period: c.period,
        value: `${field}=${valueText(c[field])}`,
        cells: { period: c.period, category: chart.fieldLabels[field] ?? field, state: c[field] === true ? 'on' : c[field] === false ? 'off' : valueText(c[field]), installs: c.installs, share: c[field] === true && share !== null ? Math.round(share * 10) / 10 : null },
        suppressed: c.suppressed,
        noised: c.noised,
      });
    }
    const values = periods.map((_, i) => (suppressed[i] || on[i] === null ? (off[i] !== null && !suppressed[i] ? 0 : null) : (100 * on[i]!) / (on[i]! + (off[i] ?? 0))));
    return { key: field, label: chart.fieldLabels[field] ?? field, values, suppressed };
  });
  return {
    kind: 'consent',
    periods,
    series,
    shape: 'lines',
    unit: 'percent',
    columns: [
      { key: 'period', label: 'Period', numeric: false },
      { key: 'category', label: 'Category', numeric: false },
      { key: 'state', label: 'State', numeric: false },
      { key: 'installs', label: 'Installs', numeric: true },
      { key: 'share', label: 'Share on (%)', numeric: true },
    ],
    rows,
    k: first.k,
    noise: answers.find((a) => a.answer.noise !== null)?.answer.noise ?? null,
    suppressedCells: answers.reduce((s, a) => s + a.answer.suppressedCells, 0),
    withheldCells: answers.reduce((s, a) => s + a.answer.withheldCells, 0),
    event: first.event,
  };
}

/** Whether a model has nothing at all to show: no cell, released, suppressed or withheld. */
export function isEmpty(model: ChartModel): boolean {
  return model.rows.length === 0 && model.withheldCells === 0;
}
