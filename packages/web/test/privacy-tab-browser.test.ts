// The privacy tab in Debian's Chromium, backed by the real SDK client (SQLite outbox, consent
// file and sent log in a temporary data directory) whose endpoint is the real collector (DuckDB
// in a temporary directory), reached through a proxy that records the bytes of every request.
// Every bar of the issue is checked where it matters: at the collector.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawEvent } from '@candor/catalog';
import type { MediaServerCatalog } from '@candor/catalog/media-server';
import { resolveCollectorOptions, startCollector } from '@candor/collector';
import type { RunningCollector } from '@candor/collector';
import { PATHS } from '@candor/protocol';
import type { ExportResponse } from '@candor/protocol';
import { builtAssetsDir } from './support/assets.js';
import { launchChromium } from './support/browser.js';
import { startRecordingProxy } from './support/recording-proxy.js';
import type { RecordingProxy } from './support/recording-proxy.js';
import { startHost } from './support/host.js';
import type { Host } from './support/host.js';

const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const DAY_MS = 86_400_000;

let browser: Browser;
let collector: RunningCollector;
let proxy: RecordingProxy;
let host: Host;
let dataDir: string;
let collectorDir: string;
// The owner's home automation: receives the playback webhook's deliveries.
const received: string[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(204).end();
  });
});
let webhook: { destination: string; secret: string };
let assetsDir: string;
// The SDK's clock: the test moves it to end a linkage period, so that sampled playback leaves.
let nowMs = Date.UTC(2026, 10, 27, 12);
const now = (): number => nowMs;

const restartHost = async (): Promise<void> => {
  await host.close();
  host = await startHost({ dataDir, endpoint: proxy.url, assetsDir, now, webhook });
};

beforeAll(async () => {
  assetsDir = await builtAssetsDir();
  dataDir = await mkdtemp(join(tmpdir(), 'candor-web-host-'));
  collectorDir = await mkdtemp(join(tmpdir(), 'candor-web-collector-'));
  // The collector runs on the SDK's clock, so that the days the test lives through are not in its future.
  collector = await startCollector(resolveCollectorOptions({ port: 0, host: '127.0.0.1', dataDir: collectorDir, logLevel: 'silent', subjectsPerHour: 10_000 }, {}), { now });
  proxy = await startRecordingProxy(collector.url);
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  webhook = { destination: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/webhook/plex`, secret: 'a-secret-shared-with-home' };
  host = await startHost({ dataDir, endpoint: proxy.url, assetsDir, now, webhook });
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await proxy?.close();
  await collector?.close();
  receiver.closeAllConnections();
  receiver.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(collectorDir, { recursive: true, force: true });
});

/** A browser context signed in to the host as its admin, with CSP enforced unless bypassed. */
async function adminPage(options: { colorScheme?: 'light' | 'dark'; width?: number; bypassCSP?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1100, height: 900 }, colorScheme: options.colorScheme ?? 'light', acceptDownloads: true, bypassCSP: options.bypassCSP ?? false });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/favicon/.test(msg.text()) && !/status of 404/.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  await page.goto(`${host.url}/login`);
  await waitForTab(page);
  return { context, page, problems };
}

async function waitForTab(page: Page): Promise<void> {
  await page.locator('candor-privacy-tab input[role=switch][data-category=playback]').waitFor();
  await page.locator('candor-privacy-tab .sent-results ol.entries, candor-privacy-tab .sent-results p.muted').first().waitFor();
  await page.locator('candor-privacy-tab table.dropped, candor-privacy-tab section p.muted:text("Nothing was dropped")').first().waitFor();
}

const playback = (i: number): RawEvent<MediaServerCatalog, 'playback.session'> => ({
  mediaType: 'track',
  durationSeconds: 200 + i,
  playedSeconds: 190 + i,
  bitrateKbps: 900,
  container: 'flac',
  videoCodec: 'none',
  audioCodec: 'flac',
  width: null,
  height: null,
  deviceType: 'speaker',
  decision: 'directplay',
  hdr: false,
});

/** Records a day of activity, ends the day (releasing the sampled playback reports) and flushes. */
async function liveADay(plays: number): Promise<void> {
  host.client.record('client.session', { deviceType: 'tv', clientPlatform: 'roku', clientVersion: '3.2.1' });
  for (let i = 0; i < plays; i++) host.client.record('playback.session', playback(i));
  nowMs = Math.floor(nowMs / DAY_MS) * DAY_MS + DAY_MS + 3_600_000;
  await host.client.flush();
}

const eventNames = (from: number): string[] => proxy.batches().slice(from).flatMap((b) => b.events.map((e) => e.name));

/** What the collector holds for some pseudonyms, asked directly (not through the proxy, so not in the sent log). */
async function heldFor(pseudonyms: readonly string[]): Promise<string[]> {
  const res = await fetch(`${collector.url}${PATHS.subjectsExport}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ catalogId: 'media-server', pseudonyms }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as ExportResponse).events.map((e) => e.name);
}

/** The element under the document's focus, through shadow roots. */
const deepFocus = (page: Page): Promise<string | null> =>
  page.evaluate(() => {
    let a: Element | null = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return a ? `${a.tagName.toLowerCase()}${a.getAttribute('data-category') ? `[${a.getAttribute('data-category')}]` : ''}` : null;
  });

describe('the privacy tab in Chromium, backed by the real SDK', () => {
  it('turning playback off with the keyboard stops playback events from leaving, and the choice survives a restart', async () => {
    await liveADay(2);
    expect(eventNames(0)).toEqual(expect.arrayContaining(['playback.session', 'playback.daily', 'client.session']));
    const firstDay = [...new Set(proxy.batches().map((b) => b.pseudonym))];
    expect(await heldFor(firstDay)).toEqual(expect.arrayContaining(['playback.session', 'client.session']));

    const { context, page, problems } = await adminPage();
    const toggle = page.locator('candor-privacy-tab input[role=switch][data-category=playback]');
    await expect.poll(() => toggle.isChecked()).toBe(true);
    // Keyboard only: Tab from the top of the page to the switch, then Space.
    let focused: string | null = null;
    for (let i = 0; i < 40 && focused !== 'input[playback]'; i++) {
      await page.keyboard.press('Tab');
      focused = await deepFocus(page);
    }
    expect(focused).toBe('input[playback]');
    await page.keyboard.press('Space');
    await page.locator('candor-privacy-tab .switch-message:text("Turned off")').waitFor();
    expect(await toggle.isChecked()).toBe(false);
    expect(host.client.consent.get().playback).toMatchObject({ granted: false, source: 'owner' });

    // Off sends a category-scoped deletion request, and playback recorded afterwards stays home.
    const before = proxy.batches().length;
    await liveADay(3);
    expect(proxy.deletions().at(-1)).toMatchObject({ categories: ['playback'] });
    // The collector deleted the playback reports it held, and kept the rest.
    const held = await heldFor(firstDay);
    expect(held).toContain('client.session');
    expect(held.filter((n) => n.startsWith('playback.'))).toEqual([]);
    expect(eventNames(before)).toContain('client.session');
    expect(eventNames(before).filter((n) => n.startsWith('playback.'))).toEqual([]);
    expect(host.client.stats().dropped.consent_denied).toBeGreaterThanOrEqual(3);

    // A restart of the host: a new client on the same data directory, a new server, a reload.
    await restartHost();
    await page.goto(`${host.url}/login`);
    await waitForTab(page);
    expect(await page.locator('candor-privacy-tab input[role=switch][data-category=playback]').isChecked()).toBe(false);
    const afterRestart = proxy.batches().length;
    await liveADay(2);
    expect(eventNames(afterRestart)).toContain('client.session');
    expect(eventNames(afterRestart).filter((n) => n.startsWith('playback.'))).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows exactly the bytes the collector received, as text only, and export downloads them', async () => {
    // A crash message with markup: the tab must show it as characters, never as elements.
    host.client.consent.set('crash', true);
    host.client.record('crash.report', { serverVersion: '1.2.3', platform: 'linux', errorType: 'TypeError', message: 'bad <img src=x onerror="alert(1)"> <b>bold</b>', stack: 'TypeError: x\n    at scan (/app/src/scanner.js:10:5)', count: 1 });
    await host.client.flush();
    const received = [...new Set(proxy.arrivals.map((a) => a.body))].sort();
    expect(proxy.arrivals.some((a) => a.path === PATHS.batches && a.encoding === 'gzip')).toBe(true);
    // The real collector accepted every request: what it validated is what the tab shows.
    expect(proxy.arrivals.filter((a) => a.status >= 300)).toEqual([]);

    const { context, page, problems } = await adminPage();
    const entries = page.locator('candor-privacy-tab .sent-log').first().locator('ol.entries > li > details');
    expect(await entries.count()).toBe(received.length);
    const shown: string[] = [];
    for (let i = 0; i < received.length; i++) {
      const entry = entries.nth(i);
      // Keyboard again: focus the summary and press Enter to expand it.
      await entry.locator('summary').first().focus();
      await page.keyboard.press('Enter');
      shown.push((await entry.locator('pre.exact').textContent())!);
    }
    expect(shown.sort()).toEqual(received);
    const tab = page.locator('candor-privacy-tab');
    expect(await tab.locator('pre.exact:has-text("<img src=x")').count()).toBe(1);
    expect(await tab.evaluate((el) => el.shadowRoot!.querySelectorAll('img, b, script').length)).toBe(0);

    const totals = await page.locator('candor-privacy-tab .sent-log').first().locator('table.totals tbody td:nth-child(4)').allTextContents();
    expect(totals.reduce((s, t) => s + Number(t.replace(/,/g, '')), 0)).toBe(received.reduce((s, b) => s + Buffer.byteLength(b), 0));

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('candor-privacy-tab a.button:text("Download everything sent")').click()]);
    expect(download.suggestedFilename()).toMatch(/^candor-sent-log-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as { entries: { bytes: string; sentAt: string }[] };
    expect(exported.entries.map((e) => e.bytes).sort()).toEqual(received);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('delete reaches the collector; a failure shows a clear error and the retry goes through', async () => {
    const { context, page, problems } = await adminPage();
    const tab = page.locator('candor-privacy-tab');
    const attemptsBefore = proxy.arrivals.filter((a) => a.path === PATHS.subjectsDelete).length;
    proxy.failDeletions = true;
    await tab.locator('button:text("Delete my data")').click();
    await tab.locator('button:text("Yes, delete")').click();
    const alert = tab.locator('.delete-status [role=alert]');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.textContent()).toMatch(/did not go through.*STORE_UNAVAILABLE/);
    expect(proxy.arrivals.filter((a) => a.path === PATHS.subjectsDelete).length).toBeGreaterThan(attemptsBefore);

    const pseudonyms = [...new Set(proxy.batches().map((b) => b.pseudonym))];
    expect((await heldFor(pseudonyms)).length).toBeGreaterThan(0);
    proxy.failDeletions = false;
    const okBefore = proxy.deletions().length;
    await tab.locator('button:text("Retry deletion")').click();
    await tab.locator('.delete-status .ok').waitFor({ timeout: 20_000 });
    expect(await tab.locator('.delete-status .ok').textContent()).toMatch(/The vendor acknowledged the deletion: [\d,]+ events? deleted/);
    const full = proxy.deletions().slice(okBefore);
    expect(full.length).toBeGreaterThan(0);
    expect(full.every((d) => d.categories === undefined && d.pseudonyms.length > 0)).toBe(true);
    // Nothing this install sent is left at the collector.
    expect(await heldFor(pseudonyms)).toEqual([]);
    // The browser logs the refused attempt's 502 itself; nothing else may go wrong.
    expect(problems.filter((p) => !/status of 502/.test(p))).toEqual([]);
    await context.close();
  });

  it('refuses a change without the admin session, without the CSRF token, or from another origin', async () => {
    const { context, page } = await adminPage();
    const api = `${host.url}/privacy/api`;
    // Same browser, admin cookies and CSRF cookie, but no token header.
    const noToken = await context.request.post(`${api}/consent`, { data: { category: 'marketing', on: true } });
    expect(noToken.status()).toBe(403);
    expect(((await noToken.json()) as { error: { code: string } }).error.code).toBe('CSRF_REJECTED');
    const session = (await (await context.request.get(`${api}/session`)).json()) as { csrfToken: string };

    // A browser without the host's admin session, even holding a valid token.
    const anonymous = await browser.newContext();
    const anonPage = await anonymous.newPage();
    await anonPage.goto(`${host.url}/privacy/`);
    await anonPage.locator('candor-privacy-tab [role=alert]:has-text("Sign in as an administrator")').first().waitFor();
    const noAdmin = await anonymous.request.post(`${api}/consent`, { data: { category: 'marketing', on: true }, headers: { 'x-candor-csrf': session.csrfToken } });
    expect(noAdmin.status()).toBe(401);
    await anonymous.close();

    // Malicious pages: on another port of the same host (another origin, but the same site, so
    // the browser sends the admin's cookies) and on another host name (another site, so it
    // does not). Each tries a form post and a credentialed fetch.
    const evil = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><form method="post" enctype="text/plain" action="${api}/consent"><input name='{"category":"marketing","on":true,"x":"' value='"}'></form>
<script>
fetch(${JSON.stringify(`${api}/consent`)}, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json', 'x-candor-csrf': 'guess' }, body: '{"category":"marketing","on":true}' })
  .finally(() => document.forms[0].submit());
</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const evilPort = (evil.address() as AddressInfo).port;
    for (const [hostName, status, code] of [['127.0.0.1', 403, 'CSRF_REJECTED'], ['localhost', 401, 'UNAUTHORIZED']] as const) {
      const formAnswer = page.waitForResponse((r) => r.url() === `${api}/consent` && r.request().method() === 'POST' && r.request().postData()?.includes('"x":"') === true);
      await page.goto(`http://${hostName}:${evilPort}/`);
      const answer = await formAnswer;
      expect(answer.status(), hostName).toBe(status);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    evil.closeAllConnections();
    evil.close();

    expect(host.client.consent.get().marketing.granted).toBe(false);
    await context.close();
  });

  it('lists third-party deliveries separately: destination, fields, the switch, and the exact bytes delivered', async () => {
    const hook = (): NonNullable<Host['webhook']> => host.webhook!;
    const play = { event: 'play', account: { title: 'alice' }, server: { title: 'Living room server', uuid: 'srv-1' }, player: { title: 'TV', uuid: 'tv-1', local: true }, metadata: { type: 'movie', title: 'Some Film', year: 2017, durationMs: 7_200_000 } } as const;
    expect(hook().deliverPlayback(play)).toBe('consent_denied');

    const { context, page, problems } = await adminPage();
    const tab = page.locator('candor-privacy-tab');
    const article = tab.locator('article[data-integration]');
    await article.waitFor();
    expect(await article.locator('code.destination').textContent()).toBe(webhook.destination);
    const fieldRows = await article.locator('tbody tr').count();
    expect(fieldRows).toBe(hook().disclosure().fields.length);
    expect(await article.locator('.int-state').textContent()).toBe('Not sending now.');

    // The owner turns on the category, then this integration.
    await tab.locator('input[role=switch][data-category=integrations]').check();
    await tab.locator('article[data-category=integrations] .switch-message:text("Turned on")').waitFor();
    await tab.locator('article[data-integration] input[role=switch]').check();
    await article.locator('.int-state:text("Sending now")').waitFor();
    expect(hook().isActive()).toBe(true);

    expect(hook().deliverPlayback(play)).toBe('queued');
    await hook().flush();
    expect(received).toHaveLength(1);

    await page.reload();
    await waitForTab(page);
    const deliveries = tab.locator('.sent-log').nth(1);
    const entry = deliveries.locator('ol.entries > li > details').first();
    await entry.locator('summary').click();
    expect(await entry.locator('pre.exact').textContent()).toBe(received[0]);
    expect(await entry.locator('code').first().textContent()).toBe(webhook.destination);
    // Deliveries stay out of the collector's list.
    expect(await tab.locator('.sent-log').first().locator('summary:has-text("Delivery")').count()).toBe(0);

    await tab.locator('article[data-integration] input[role=switch]').uncheck();
    await article.locator('.int-state:text("Not sending now.")').waitFor();
    expect(hook().deliverPlayback(play)).toBe('consent_denied');
    await hook().flush();
    expect(received).toHaveLength(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('has no accessibility violations (axe-core) in either theme, at desktop and phone width', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [1100, 390]) {
        const { context, page } = await adminPage({ colorScheme, width, bypassCSP: true });
        // Open every disclosure so that the tables and payloads inside are checked too.
        await page.locator('candor-privacy-tab').evaluate((el) => el.shadowRoot!.querySelectorAll('details').forEach((d) => (d.open = true)));
        await page.locator('candor-privacy-tab pre.exact').first().waitFor();
        await page.evaluate(axe.source);
        const violations = await page.evaluate(async () => {
          const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
          return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
        });
        // The bar is "no serious violations"; the tab is held to none at all.
        expect(violations, `${colorScheme} ${width}px`).toEqual([]);
        await context.close();
      }
    }
  });

  it('is readable at 390 px, follows the host theme, and the screenshots are made', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const [width, name] of [[1100, 'desktop'], [390, 'phone']] as const) {
        const { context, page, problems } = await adminPage({ colorScheme, width });
        const tab = page.locator('candor-privacy-tab');
        // Show one category's events and the newest request's bytes, as an owner would.
        await tab.locator('article[data-category=playback] details.events > summary').click();
        await tab.locator('.sent-log ol.entries > li > details > summary:has-text("Batch:")').first().click();
        await tab.locator('.sent-log pre.exact').first().waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${colorScheme} ${name}`).toBe(0);
        const colors = await tab.evaluate((el) => {
          const s = getComputedStyle(el);
          return { bg: s.backgroundColor, fg: s.color };
        });
        expect(colors, colorScheme).toEqual(colorScheme === 'dark' ? { bg: 'rgb(22, 24, 29)', fg: 'rgb(232, 234, 237)' } : { bg: 'rgb(255, 255, 255)', fg: 'rgb(27, 31, 36)' });
        await page.screenshot({ path: join(SCREENSHOTS, `privacy-tab-${colorScheme}-${name}.png`), fullPage: true });
        expect(problems).toEqual([]);
        await context.close();
      }
    }
    // A host's own colours win through the --candor-* variables.
    const { context, page } = await adminPage();
    await page.locator('candor-privacy-tab').evaluate((el) => {
      (el as HTMLElement).style.setProperty('--candor-bg', 'rgb(1, 2, 3)');
      (el as HTMLElement).style.setProperty('--candor-fg', 'rgb(250, 251, 252)');
    });
    const themed = await page.locator('candor-privacy-tab').evaluate((el) => ({ bg: getComputedStyle(el).backgroundColor, fg: getComputedStyle(el).color }));
    expect(themed).toEqual({ bg: 'rgb(1, 2, 3)', fg: 'rgb(250, 251, 252)' });
    await context.close();
  });
});
