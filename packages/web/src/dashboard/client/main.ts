import type { ChartConfig, DashboardConfig } from '../dashboard-config.js';
import { chartQueries } from '../chart-queries.js';
import { CONFIG_ELEMENT_ID } from '../dashboard-config.js';
import type { ActiveAnswerBody, StatsAnswerBody } from './api-types.js';
import { createChartCard, type ChartCard, type CsvLink } from './chart-card.js';
import { activeModel, breakdownModel, consentModel, isEmpty, type ChartModel, type Measure } from './chart-model.js';
import { fetchAnswer } from './fetch-answer.js';

/** The page's controls, read from its (server-rendered) form. */
interface Controls {
  readonly from: string;
  readonly to: string;
  readonly granularity: 'day' | 'week';
  readonly measure: Measure;
  readonly epsilon: number | null;
}

function readControls(form: HTMLFormElement, config: DashboardConfig): Controls | string {
  const data = new FormData(form);
  const text = (name: string): string => {
    const v = data.get(name);
    return typeof v === 'string' ? v.trim() : '';
  };
  const from = text('from');
  const to = text('to');
  const eps = text('epsilon');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) return 'Give both days of the range.';
  if (from > to) return `The range starts (${from}) after it ends (${to}): swap the days.`;
  const epsilon = eps === '' ? null : Number(eps);
  if (epsilon !== null && !(epsilon > 0)) return 'Noise ε must be a positive number, or empty for exact counts.';
  return { from, to, granularity: text('granularity') === 'week' ? 'week' : 'day', measure: text('measure') === 'installs' ? 'installs' : 'events', epsilon: epsilon ?? config.defaults.epsilon };
}

async function load(chart: ChartConfig, card: ChartCard, c: Controls, config: DashboardConfig, rules: HTMLElement): Promise<void> {
  card.loading();
  const queries = chartQueries(chart, c, config.defaults).map((q) => ({ ...q, url: `${config.apiBase}/${q.path}?${q.query}` }));
  const csv: CsvLink[] = queries.map((q) => ({ label: q.csv.label, file: q.csv.file, href: `${q.url}&format=csv` }));
  const retry = (): void => void load(chart, card, c, config, rules);
  const signIn = `${config.apiBase.replace(/\/api$/, '')}/login`;
  let model: ChartModel;
  if (chart.kind === 'active') {
    const r = await fetchAnswer<ActiveAnswerBody>(queries[0]!.url);
    if (!r.ok) return card.error(r.failure, retry, signIn);
    model = activeModel(r.answer);
  } else {
    const results = await Promise.all(queries.map((q) => fetchAnswer<StatsAnswerBody>(q.url)));
    const failed = results.find((r) => !r.ok);
    if (failed !== undefined && !failed.ok) return card.error(failed.failure, retry, signIn);
    const answers = results.map((r) => (r as { answer: StatsAnswerBody }).answer);
    model = chart.kind === 'consent' ? consentModel(chart, answers.map((answer, i) => ({ field: queries[i]!.field!, answer }))) : breakdownModel(chart, answers[0]!, c.measure);
  }
  rules.dataset.k = String(model.k);
  rules.textContent = `Only released statistics are shown: a cell with fewer than k = ${model.k} distinct installs behind it is suppressed and marked ▨, never drawn as a number.`;
  if (isEmpty(model)) card.empty(c, csv);
  else card.ready(model, csv);
}

function start(): void {
  const config = JSON.parse(document.getElementById(CONFIG_ELEMENT_ID)?.textContent ?? 'null') as DashboardConfig | null;
  const form = document.querySelector<HTMLFormElement>('form.controls');
  const rules = document.getElementById('release-rules');
  if (config === null || form === null || rules === null) return;
  const controls = readControls(form, config);
  const charts = config.sections.flatMap((s) => s.charts);
  const cards = charts.map((chart) => createChartCard(document.getElementById(`chart-${chart.id}`)!, chart));
  const finish = (state: string): void => {
    // The next frame paints the last chart; a message posted from its animation callback is
    // handled right after that frame, so the mark falls once every chart is on screen.
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        document.body.dataset.state = state;
        performance.mark('candor-dashboard-rendered');
        channel.port1.close();
      };
      channel.port2.postMessage(null);
    });
  };
  if (typeof controls === 'string') {
    const message = form.querySelector<HTMLElement>('.controls-error')!;
    message.textContent = controls;
    message.hidden = false;
    cards.forEach((card) => card.error({ status: 0, code: 'INVALID_RANGE', message: controls }, () => location.reload(), ''));
    finish('invalid');
    return;
  }
  void Promise.all(charts.map((chart, i) => load(chart, cards[i]!, controls, config, rules))).then(() => finish(document.querySelector('.card[data-state="error"]') === null ? 'ready' : 'ready-with-errors'));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
