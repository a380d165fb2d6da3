import type { ChartConfig } from '../dashboard-config.js';
import type { ChartModel } from './chart-model.js';
import { describeRelease } from './describe-release.js';
import { h } from './dom.js';
import { formatNumber, rangeText } from './format.js';
import { prefersDark, seriesColor } from './palette.js';
import { renderChart, type DrawnChart } from './render-chart.js';

/** A CSV download of a chart: its label and address. */
export interface CsvLink {
  readonly label: string;
  readonly href: string;
  readonly file: string;
}

/** What went wrong with a chart's query, in the API's terms. */
export interface ChartFailure {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly retryAfterSeconds?: number;
}

/** The state a card is in; `data-state` on the card says the same for styles and tests. */
export type CardState = 'loading' | 'ready' | 'empty' | 'error';

/** One chart's card on the page, in one of its designed states. */
export interface ChartCard {
  loading(): void;
  ready(model: ChartModel, csv: readonly CsvLink[]): void;
  empty(range: { from: string; to: string }, csv: readonly CsvLink[]): void;
  error(failure: ChartFailure, retry: () => void, signInHref: string): void;
}

function failureText(f: ChartFailure): string {
  switch (f.code) {
    case 'SESSION_REQUIRED':
      return 'Your session has ended, so no statistics can be read.';
    case 'PRIVACY_BUDGET_EXHAUSTED':
      return `The privacy budget is spent: ${f.message}. Lower ε, turn noise off, or come back tomorrow.`;
    case 'RATE_LIMITED':
      return `The collector is rate-limiting statistics queries${f.retryAfterSeconds === undefined ? '' : `; retry in ${f.retryAfterSeconds} s`}.`;
    case 'INVALID_RANGE':
      return `Fix the range above: ${f.message}`;
    case 'NETWORK':
      return `The collector could not be reached (${f.message}).`;
    default:
      return `The collector refused the query (${f.code}, HTTP ${f.status}): ${f.message}`;
  }
}

/** Wraps a server-rendered card element. */
export function createChartCard(el: HTMLElement, chart: ChartConfig): ChartCard {
  const plot = el.querySelector<HTMLElement>('.plot')!;
  const legend = el.querySelector<HTMLElement>('.legend')!;
  const notes = el.querySelector<HTMLElement>('.notes')!;
  const badges = el.querySelector<HTMLElement>('.badges')!;
  const footer = el.querySelector<HTMLElement>('.card-footer')!;
  let drawn: DrawnChart | undefined;
  // Read now, while every card is read in one pass: measuring later, between other cards' DOM
  // writes, would force a layout of the whole page per chart.
  const initialWidth = plot.clientWidth;

  function reset(state: CardState): void {
    drawn?.destroy();
    drawn = undefined;
    el.dataset.state = state;
    el.setAttribute('aria-busy', state === 'loading' ? 'true' : 'false');
    plot.replaceChildren();
    plot.removeAttribute('role');
    plot.removeAttribute('aria-label');
    legend.replaceChildren();
    notes.replaceChildren();
    badges.replaceChildren();
    footer.replaceChildren();
  }

  function downloads(csv: readonly CsvLink[]): void {
    if (csv.length === 0) return;
    footer.append(
      h('p', { class: 'downloads' }, csv.length === 1 ? '' : 'CSV of released cells: ', ...csv.flatMap((c, i) => [i > 0 ? ' · ' : '', h('a', { class: 'csv', href: c.href, download: c.file }, csv.length === 1 ? 'Download CSV of released cells' : c.label)])),
    );
  }

  function table(model: ChartModel): HTMLElement {
    const head = h('tr', {}, ...model.columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : undefined }, c.label)));
    const rows = model.rows.map((r) =>
      h(
        'tr',
        { 'data-period': r.period, 'data-value': r.value, 'data-suppressed': String(r.suppressed), class: r.suppressed ? 'suppressed' : undefined },
        ...model.columns.map((c) => {
          const v = r.cells[c.key];
          if (!c.numeric) return h('td', {}, v === null || v === undefined ? '' : String(v));
          if (r.suppressed && (c.key === 'events' || c.key === 'installs' || c.key === 'active' || c.key === 'reports')) return h('td', { class: 'num', 'data-key': c.key }, h('span', { class: 'suppressed-mark' }, `suppressed (< ${model.k})`));
          return h('td', { class: 'num', 'data-key': c.key, 'data-raw': v === null || v === undefined ? '' : String(v) }, v === null || v === undefined ? '–' : formatNumber(Number(v), r.noised, c.key === 'share'));
        }),
      ),
    );
    return h('table', {}, h('thead', {}, head), h('tbody', {}, ...rows));
  }

  // The table is built when first opened: thousands of rows on every card would otherwise
  // weigh on the first render of the whole page (the charts show the same cells).
  function numbers(model: ChartModel): HTMLElement {
    const wrap = h('div', { class: 'table-wrap' });
    const details = h('details', { class: 'numbers' }, h('summary', {}, `Numbers (${model.rows.length} cell${model.rows.length === 1 ? '' : 's'})`), wrap);
    details.addEventListener('toggle', () => {
      if (details.open && wrap.firstChild === null) wrap.append(table(model));
    });
    return details;
  }

  return {
    loading() {
      reset('loading');
      plot.append(h('div', { class: 'skeleton', 'aria-hidden': 'true' }));
      notes.append(h('p', { class: 'status' }, 'Loading released statistics…'));
    },

    ready(model, csv) {
      reset('ready');
      if (model.suppressedCells > 0) badges.append(h('span', { class: 'badge badge-suppressed', title: `Cells with fewer than ${model.k} installs are suppressed` }, `▨ ${model.suppressedCells} suppressed`));
      if (model.withheldCells > 0) badges.append(h('span', { class: 'badge badge-withheld' }, `${model.withheldCells} withheld`));
      if (model.noise !== null) badges.append(h('span', { class: 'badge badge-noised' }, `≈ noised, ε ${model.noise.epsilon}`));
      badges.append(h('span', { class: 'badge' }, `k = ${model.k}`));
      const released = model.rows.length - model.rows.filter((r) => r.suppressed).length;
      plot.setAttribute('role', 'img');
      plot.setAttribute('aria-label', `${chart.title}: ${released} released cell${released === 1 ? '' : 's'} over ${model.periods.length} period${model.periods.length === 1 ? '' : 's'}${model.suppressedCells > 0 ? `, ${model.suppressedCells} suppressed` : ''}. The numbers are in the table below.`);
      if (model.rows.length === 0) {
        // Every cell was withheld: there is nothing to draw, and the notes below say why.
        plot.append(h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, 'Nothing could be released'), h('p', {}, `All ${model.withheldCells} cells fell below ${model.k} installs.`)));
      } else drawn = renderChart(plot, model, initialWidth);
      const dark = prefersDark();
      model.series.forEach((s, i) => {
        const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
        swatch.style.background = seriesColor(i, dark);
        legend.append(h('li', {}, swatch, s.label));
      });
      if (model.suppressedCells > 0) legend.append(h('li', { class: 'legend-suppressed' }, h('span', { class: 'swatch hatched', 'aria-hidden': 'true' }), `suppressed: fewer than ${model.k} installs`));
      for (const sentence of describeRelease(model)) notes.append(h('p', {}, sentence));
      footer.append(numbers(model));
      downloads(csv);
    },

    empty(range, csv) {
      reset('empty');
      plot.append(h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, 'No released statistics'), h('p', {}, `Nothing was reported for this chart from ${rangeText(range.from, range.to)}, so there is nothing to release. Try a longer range.`)));
      downloads(csv);
    },

    error(failure, retry, signInHref) {
      reset('error');
      const actions = h('p', { class: 'error-actions' });
      if (failure.code === 'SESSION_REQUIRED') actions.append(h('a', { href: signInHref, class: 'button' }, 'Sign in again'));
      else {
        const button = h('button', { type: 'button' }, 'Retry');
        button.addEventListener('click', retry);
        actions.append(button);
      }
      plot.append(h('div', { class: 'error', role: 'alert' }, h('p', { class: 'error-title' }, 'This chart could not be loaded'), h('p', { class: 'error-message' }, failureText(failure)), actions));
    },
  };
}
