import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartConfig, DashboardConfig } from '../src/dashboard/index.js';
import { launchChromium } from './support/browser.js';
import { DASHBOARD_ADMIN_TOKEN, startDashboardCollector, type DashboardCollector } from './dashboard-harness.js';

// Screenshots go to docs/screenshots when asked for (CANDOR_UPDATE_SCREENSHOTS=1), else to a temp dir.
const SHOTS = process.env.CANDOR_UPDATE_SCREENSHOTS === '1' ? fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url)) : mkdtempSync(join(tmpdir(), 'candor-dashboard-shots-'));
mkdirSync(SHOTS, { recursive: true });

let c: DashboardCollector;
let browser: Browser;

beforeAll(async () => {
  [c, browser] = await Promise.all([startDashboardCollector({ installs: 150, days: 30, seed: 7 }), launchChromium()]);
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await c?.close();
});

async function signedIn(width: number, height = 900): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  await page.goto(`${c.url}/dashboard`);
  expect(new URL(page.url()).pathname).toBe('/dashboard/login');
  await page.fill('#token', DASHBOARD_ADMIN_TOKEN);
  await Promise.all([page.waitForURL(`${c.url}/dashboard`), page.click('button[type=submit]')]);
  return { context, page };
}

async function settled(page: Page): Promise<string> {
  await page.waitForSelector('body[data-state]:not([data-state="loading"])', { timeout: 120_000 });
  return (await page.getAttribute('body', 'data-state'))!;
}

interface Row {
  period: string;
  value: string | null;
  suppressed: boolean;
  raw: Record<string, string>;
  text: Record<string, string>;
}

/** What one card shows: its numbers table (opened), badges, words, legend, CSV links and canvas. */
async function cardOf(page: Page, id: string) {
  const details = page.locator(`#chart-${id} details.numbers`);
  if ((await details.count()) > 0) {
    await details.locator('summary').click();
    await page.waitForSelector(`#chart-${id} details.numbers table`);
  }
  return page.$eval(`#chart-${id}`, (card) => ({
    state: card.getAttribute('data-state'),
    rows: [...card.querySelectorAll('tbody tr')].map((tr) => {
      const raw: Record<string, string> = {};
      const text: Record<string, string> = {};
      for (const td of tr.querySelectorAll('td[data-key]')) {
        raw[td.getAttribute('data-key')!] = td.getAttribute('data-raw') ?? '';
        text[td.getAttribute('data-key')!] = td.textContent ?? '';
      }
      return { period: tr.getAttribute('data-period')!, value: tr.getAttribute('data-value'), suppressed: tr.getAttribute('data-suppressed') === 'true', raw, text };
    }),
    badges: card.querySelector('.badges')?.textContent ?? '',
    notes: card.querySelector('.notes')?.textContent ?? '',
    legend: [...card.querySelectorAll('.legend li')].map((li) => li.textContent ?? ''),
    csv: [...card.querySelectorAll<HTMLAnchorElement>('a.csv')].map((a) => a.getAttribute('href')!),
    canvas: (() => {
      const cv = card.querySelector('canvas');
      return cv === null ? null : { width: cv.getBoundingClientRect().width, height: cv.getBoundingClientRect().height };
    })(),
    plotText: card.querySelector('.plot')?.textContent ?? '',
  }));
}

/** The collector's own answer to the query behind a CSV link, asked with the admin token. */
async function apiAnswerOf(csvHref: string): Promise<{ json: Record<string, unknown> & { cells: Record<string, Scalar>[]; k: number; suppressedCells: number; withheldCells: number }; query: string }> {
  const url = new URL(csvHref, c.url);
  url.searchParams.delete('format');
  const query = `${url.pathname.replace('/dashboard/api/', '/v1/')}?${url.searchParams.toString()}`;
  const res = await c.stats(query);
  expect(res.status, query).toBe(200);
  return { json: JSON.parse(res.body), query };
}

type Scalar = string | number | boolean | null | undefined;

function valueKey(v: Scalar): string {
  return v === null || v === undefined ? '(none)' : String(v);
}

function rawOf(n: Scalar): string {
  return n === null || n === undefined ? '' : String(n);
}

async function configOf(page: Page): Promise<DashboardConfig> {
  return page.$eval('#candor-dashboard-config', (el): DashboardConfig => JSON.parse(el.textContent ?? 'null'));
}

describe('dashboard in Chromium over a collector filled by the load generator', () => {
  it('refuses access without a session: the page sends to sign-in and the statistics answer 401', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${c.url}/dashboard?from=2020-01-01`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    expect(await page.$$('.card')).toHaveLength(0);
    const status = await page.evaluate(async () => (await fetch('/dashboard/api/stats?event=server.daily')).status);
    expect(status).toBe(401);
    await page.fill('#token', 'a wrong token');
    await page.click('button[type=submit]');
    await expect.poll(() => page.textContent('#sign-in-error')).toContain('not the admin token');
    expect(await page.evaluate(async () => (await fetch('/dashboard/api/stats/active')).status)).toBe(401);
    await page.screenshot({ path: join(SHOTS, 'dashboard-sign-in.png') });
    await context.close();
  });

  it('shows in every chart the numbers /v1/stats returns, marks each suppressed cell, and offers its released cells as CSV (1280 px)', async () => {
    const { context, page } = await signedIn(1280);
    expect(await settled(page)).toBe('ready');
    await page.screenshot({ path: join(SHOTS, 'dashboard-desktop.png'), fullPage: true });
    const config = await configOf(page);
    const charts: ChartConfig[] = config.sections.flatMap((s) => s.charts);
    expect(charts.length).toBe(16);
    let suppressedSeen = 0;
    for (const chart of charts) {
      const card = await cardOf(page, chart.id);
      expect(card.state, chart.id).toBe('ready');
      expect(card.csv.length, chart.id).toBe(chart.kind === 'consent' ? chart.fields!.length : 1);
      const expected: Omit<Row, 'text'>[] = [];
      let suppressed = 0;
      let withheld = 0;
      for (const href of card.csv) {
        const { json, query } = await apiAnswerOf(href);
        suppressed += json.suppressedCells;
        withheld += json.withheldCells;
        expect(json.k).toBe(10);
        for (const cell of json.cells) {
          const s = cell.suppressed === true;
          if (chart.kind === 'active') expected.push({ period: String(cell.period), value: null, suppressed: s, raw: s ? {} : { active: rawOf(cell.active), reports: rawOf(cell.reports) } });
          else if (chart.kind === 'breakdown') expected.push({ period: String(cell.period), value: valueKey(cell[chart.field!]), suppressed: s, raw: s ? {} : { events: rawOf(cell.events), installs: rawOf(cell.installs) } });
          else {
            const field = String((json.groupBy as string[])[0]);
            expected.push({ period: String(cell.period), value: `${field}=${valueKey(cell[field])}`, suppressed: s, raw: s ? {} : { installs: rawOf(cell.installs) } });
          }
        }
        // The download is the collector's CSV of released cells, byte for byte.
        const csv = await page.evaluate(async (u) => {
          const r = await fetch(u);
          return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
        }, href);
        expect(csv.status).toBe(200);
        expect(csv.type).toMatch(/^text\/csv/);
        expect(csv.body).toBe((await c.stats(`${query}&format=csv`)).body);
      }
      const shown = card.rows.map((r) => ({
        period: r.period,
        value: chart.kind === 'active' ? null : r.value,
        suppressed: r.suppressed,
        raw: r.suppressed ? {} : Object.fromEntries(Object.entries(r.raw).filter(([k]) => (chart.kind === 'consent' ? k === 'installs' : true))),
      }));
      expect(shown, chart.id).toEqual(expected);
      // Released numbers are printed as the API gave them; suppressed ones never are.
      for (const r of card.rows) {
        if (r.suppressed) expect(Object.values(r.text).join(' '), chart.id).toMatch(/suppressed \(< 10\)/);
        else for (const [k, v] of Object.entries(r.raw)) if (v !== '' && k !== 'share') expect(r.text[k]!.replaceAll(',', ''), chart.id).toBe(String(Number(v)));
      }
      if (suppressed > 0) {
        suppressedSeen += suppressed;
        expect(card.badges, chart.id).toContain(`▨ ${suppressed} suppressed`);
        expect(card.notes, chart.id).toMatch(new RegExp(`${suppressed === 1 ? '1 cell had' : `${suppressed} cells had`} fewer than 10 installs`));
        expect(card.legend.join('|'), chart.id).toContain('suppressed: fewer than 10 installs');
      } else if (withheld === 0) {
        expect(card.notes, chart.id).toContain('Nothing is suppressed');
      }
      if (withheld > 0) expect(card.notes, chart.id).toMatch(/left out entirely/);
      expect(card.notes, chart.id).toContain('Counts are exact (no noise).');
      if (card.rows.length > 0) {
        expect(card.canvas, chart.id).not.toBeNull();
        expect(card.canvas!.width, chart.id).toBeGreaterThan(300);
      } else {
        expect(card.plotText, chart.id).toContain('Nothing could be released');
      }
      if (chart.kind === 'breakdown') {
        const values = [...new Set(expected.map((e) => e.value!))];
        expect(card.legend.filter((l) => !l.startsWith('suppressed')).sort(), chart.id).toEqual(values.map((v) => chart.labels?.[v] ?? v).sort());
      }
    }
    expect(suppressedSeen).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await page.locator('#chart-client-device').screenshot({ path: join(SHOTS, 'dashboard-suppressed-cells.png') });
    await context.close();
  });

  it('fits a 390 px wide phone without sideways scrolling', async () => {
    const { context, page } = await signedIn(390, 844);
    expect(await settled(page)).toBe('ready');
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      cards: [...document.querySelectorAll('.card')].map((el) => el.getBoundingClientRect().right),
      canvases: [...document.querySelectorAll('.card canvas')].map((el) => el.getBoundingClientRect().right),
    }));
    expect(widths.page).toBeLessThanOrEqual(390);
    expect(widths.cards.length).toBe(16);
    for (const right of [...widths.cards, ...widths.canvases]) expect(right).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'dashboard-phone.png'), fullPage: true });
    await context.close();
  });

  it('says in words and marks on every chart that its counts are noised when ε is chosen', async () => {
    const { context, page } = await signedIn(1280);
    await page.fill('input[name=epsilon]', '0.05');
    await Promise.all([page.waitForURL(/epsilon=0.05/), page.click('form.controls button[type=submit]')]);
    expect(await settled(page)).toBe('ready');
    const config = await configOf(page);
    for (const chart of config.sections.flatMap((s) => s.charts)) {
      const card = await cardOf(page, chart.id);
      expect(card.state, chart.id).toBe('ready');
      expect(card.badges, chart.id).toContain('≈ noised, ε 0.05');
      expect(card.notes, chart.id).toMatch(/carries geometric noise \(ε 0\.05 per query/);
      expect(card.csv.every((h) => h.includes('epsilon=0.05')), chart.id).toBe(true);
      for (const r of card.rows) {
        expect(r.suppressed, chart.id).toBe(false); // with noise, small cells are left out, never listed
        for (const [k, t] of Object.entries(r.text)) if (r.raw[k] !== '' && k !== 'share') expect(t, chart.id).toMatch(/^≈ /);
      }
    }
    await context.close();
  });

  it('has designed empty, error and invalid-range states', async () => {
    const { context, page } = await signedIn(1280);
    await page.goto(`${c.url}/dashboard?from=2020-01-01&to=2020-01-31`);
    expect(await settled(page)).toBe('ready');
    const states = await page.$$eval('.card', (cards) => cards.map((el) => [el.getAttribute('data-state'), el.querySelector('.plot')?.textContent ?? '']));
    expect(states.length).toBe(16);
    for (const [state, text] of states) {
      expect(state).toBe('empty');
      expect(text).toContain('No released statistics');
      expect(text).toContain('2020-01-01');
    }
    await page.locator('#section-activity').screenshot({ path: join(SHOTS, 'dashboard-empty.png') });

    await page.goto(`${c.url}/dashboard?epsilon=5`);
    expect(await settled(page)).toBe('ready-with-errors');
    const errors = await page.$$eval('.card', (cards) => cards.map((el) => [el.getAttribute('data-state'), el.querySelector('.error')?.textContent ?? '', el.querySelector('.error button') !== null]));
    for (const [state, text, retry] of errors) {
      expect(state).toBe('error');
      expect(text).toContain('INVALID_QUERY');
      expect(text).toContain('epsilon must be a number in (0, 2]');
      expect(retry).toBe(true);
    }
    await page.locator('#section-activity').screenshot({ path: join(SHOTS, 'dashboard-error.png') });

    await page.goto(`${c.url}/dashboard?from=2026-02-10&to=2026-02-01`);
    expect(await settled(page)).toBe('invalid');
    expect(await page.textContent('.controls-error')).toContain('starts (2026-02-10) after it ends (2026-02-01)');
    expect(await page.$$eval('.card[data-state="error"]', (cards) => cards.length)).toBe(16);

    // Signing out ends the session: the page and the statistics are refused again.
    await page.goto(`${c.url}/dashboard`);
    await settled(page);
    await Promise.all([page.waitForURL(`${c.url}/dashboard/login`), page.click('form.sign-out button')]);
    expect(await page.evaluate(async () => (await fetch('/dashboard/api/stats?event=server.daily')).status)).toBe(401);
    await page.goto(`${c.url}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    await context.close();
  });
});
