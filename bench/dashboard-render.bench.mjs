// First render of the vendor dashboard over 10,000,000 stored events, in Chromium: the time from
// navigation start to every chart painted (the page's `candor-dashboard-rendered` mark), with a
// session already open, over the collector's default 30 days. Bar: at most 1 s.
// The events are generated with DuckDB SQL straight into the store's schema (never over HTTP),
// an install-day mix like the fleet simulator's (server and consent reports, client sessions,
// sampled playbacks, crashes, integrations), first flags computed in SQL as ingest computes them;
// the collector then brings its rollups up to date, as its scheduled job does every minute, and
// reopens the store as after a restart; a batch for today then makes today live.
// Baseline in the same run: the same page, same browser, served by a collector over an empty store.
// Usage: npm run bench -- dashboard-render   (CANDOR_BENCH_EVENTS, CANDOR_BENCH_RUNS to change the run;
// CANDOR_BENCH_DB=<file> keeps the generated store there and reuses it on the next run)
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createCatalogRegistry, createDuckDbStore, resolveCollectorOptions } from '@candor/collector';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { DuckDBInstance } from '@duckdb/node-api';
import { chromium } from 'playwright-core';

const EVENTS = Number(process.env.CANDOR_BENCH_EVENTS ?? 10_000_000);
const RUNS = Number(process.env.CANDOR_BENCH_RUNS ?? 7);
const DAYS = 30;
const DAY_MS = 86_400_000;
const TOKEN = 'bench-admin-token-0123456789';
const BAR_MS = 1000;

// What one install sends on a day it is in use; `share` is the fraction of install-days with
// the event, `perInstall` the fields that one install's rows of the day have in common.
const MIX = [
  { event: 'server.daily', rows: 1, share: 1 },
  { event: 'consent.daily', rows: 1, share: 1 },
  { event: 'client.session', rows: 4, share: 1, perInstall: ['deviceType', 'clientVersion'] },
  { event: 'playback.session', rows: 3, share: 0.85, perInstall: ['deviceType', 'decision', 'hdr'] },
  { event: 'playback.daily', rows: 1, share: 0.85 },
  { event: 'crash.report', rows: 1, share: 0.03 },
  { event: 'integrations.daily', rows: 1, share: 0.3 },
];
// Values of fields whose generalizer has no closed set of outputs.
const OPEN_VALUES = {
  serverVersion: ['10.10', '10.9', '10.8', '10.7'],
  clientVersion: ['10.10', '10.9', '1.8', '1.7'],
  errorType: ['TypeError', 'TranscodeError', 'SqliteError', 'RangeError', 'ENOSPC', 'AbortError'],
  message: ['transcode failed at segment [number]'],
  stack: ['at Transcoder.run (transcoder.js:88:13)'],
  runtimeVersion: ['20', '22'],
};

const registry = createCatalogRegistry(mediaServerCatalog);
const today = new Date().toISOString().slice(0, 10);
const first = new Date(Date.parse(`${today}T00:00:00Z`) - (DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
const perInstallDay = MIX.reduce((s, m) => s + m.rows * m.share, 0);
const installDays = Math.ceil((EVENTS / perInstallDay) * 1.003); // a little over, so that sampling still gives ≥ EVENTS
const perDay = Math.ceil(installDays / DAYS);

const sq = (s) => `'${s.replaceAll("'", "''")}'`;

/** The INSERT … SELECT of one event kind. */
function insertSql(mix, layout, slotCount, flagWords, eventIndex) {
  const e = layout.events.get(mix.event);
  const compiled = registry.current.events.get(mix.event);
  const fields = [...e.slots.keys()].map((name, k) => {
    const g = compiled.fields.find((f) => f.name === name)?.generalizer;
    const schema = g?.schema ?? {};
    const values = schema.type === 'boolean' ? (name === 'marketing' ? ['false', 'true'] : ['true', 'false']) : Array.isArray(schema.enum) ? schema.enum.map(String) : (OPEN_VALUES[name] ?? ['other']);
    // Skewed: the first values of a list are common, the last ones rare (rare cells get suppressed).
    const index = (row) => `floor(${values.length} * pow((hash(p, ${mix.perInstall?.includes(name) ? 0 : row}, ${eventIndex * 100 + k}) % 1000003) / 1000003.0, 2.2))::INT`;
    return { name, slot: e.slots.get(name), list: `[${values.map(sq).join(', ')}]`, index };
  });
  const flagged = e.flagged.map((name) => fields.find((f) => f.name === name));
  const subsets = [[]];
  for (let k = 0; k < flagged.length; k++) {
    subsets.push([k]);
    for (let i = 0; i < k; i++) subsets.push([i, k]);
  }
  // agree_b: a bit per flagged field, set when this row and the row b before it (same install-day) agree on it.
  const back = Array.from({ length: mix.rows - 1 }, (_, i) => i + 1);
  const agree = (b) => flagged.map((f, k) => `CASE WHEN r >= ${b} AND ${f.index('r')} = ${f.index(`r - ${b}`)} THEN ${2 ** k} ELSE 0 END`).join(' + ') || '0';
  const word = (w) =>
    subsets
      .slice(w * 64, w * 64 + 64)
      .map((s, bit) => {
        const mask = s.reduce((m, k) => m + 2 ** k, 0);
        const seen = back.map((b) => `(r >= ${b} AND (a${b} & ${mask}) = ${mask})`).join(' OR ') || 'false';
        return `CASE WHEN ${seen} THEN 0::UBIGINT ELSE (1::UBIGINT << ${bit}) END`;
      })
      .join(' + ') || '0::UBIGINT';
  const words = Array.from({ length: flagWords }, (_, w) => (e.tracksRows && w * 64 < subsets.length ? word(w) : 'NULL'));
  const slots = Array.from({ length: slotCount }, (_, s) => {
    const f = fields.find((x) => x.slot === s);
    return f === undefined ? 'NULL' : `(${f.list})[1 + ${f.index('r')}]`;
  });
  const keep = mix.share >= 1 ? 'true' : `hash(p, 'share', ${eventIndex}) % 1000 < ${Math.round(mix.share * 1000)}`;
  return `INSERT INTO candor_events (event_id, day, period, pid, pseudonym, catalog_version, ${slots.map((_, s) => `s${s}`).join(', ')}${words.map((_, w) => `, first_${w}`).join('')})
    WITH base AS (SELECT i // ${mix.rows} AS p, i % ${mix.rows} AS r FROM range(${installDays * mix.rows}) t(i)),
    kept AS (SELECT * FROM base WHERE ${keep}),
    agreed AS (SELECT p, r${back.map((b) => `, (${agree(b)}) AS a${b}`).join('')} FROM kept)
    SELECT ${e.id}, DATE '${first}' + (p // ${perDay})::INT, strftime(DATE '${first}' + (p // ${perDay})::INT, '%Y-%m-%d'),
      hash(p, 'pid'), printf('%016x', hash(p, 'pid')) || printf('%016x', hash(p, 'b')) || printf('%016x', hash(p, 'c')) || printf('%016x', hash(p, 'd')), '1.0.0',
      ${slots.join(', ')}${words.map((w) => `, ${w}`).join('')}
    FROM agreed`;
}

/** Events stored over the range, counted through the store's own aggregate query. */
async function storedEvents(store) {
  let n = 0;
  for (const { event } of MIX) for (const c of await store.queryAggregates({ event, groupBy: [], from: first, to: today, granularity: 'month' })) n += c.events;
  return n;
}

async function generate(path) {
  const schemaOnly = createDuckDbStore({ path });
  await schemaOnly.open(registry.schema);
  const layout = schemaOnly.layout();
  await schemaOnly.close();
  const t = performance.now();
  const db = await DuckDBInstance.create(path);
  const conn = await db.connect();
  for (const [i, mix] of MIX.entries()) await conn.run(insertSql(mix, layout, layout.slotCount, layout.flagWords, i));
  await conn.run('CHECKPOINT');
  conn.closeSync();
  db.closeSync();
  console.log(`generated the events (${installDays.toLocaleString('en')} install-days over ${DAYS} days, ${perInstallDay.toFixed(2)} events each) with SQL in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

async function collector(path, fill) {
  if (fill && !existsSync(path)) await generate(path);
  if (fill) {
    const r = performance.now();
    const warm = createDuckDbStore({ path, rollupQuietMs: 0 });
    await warm.open(registry.schema);
    await warm.maintain();
    // Closing checkpoints the write-ahead log, as a long-running collector's DuckDB does by
    // itself; the collector measured below opens the store as after a restart.
    await warm.close();
    console.log(`rollups of ${DAYS} days brought up to date in ${((performance.now() - r) / 1000).toFixed(1)} s (a running collector does this every minute)`);
  }
  const store = createDuckDbStore({ path, rollupQuietMs: 0 });
  await store.open(registry.schema);
  let generated = 0;
  if (fill) {
    // Today is live, as on a collector taking reports all day: a batch for today invalidates
    // today's rollups, so today's cells are counted from the raw rows and their first flags.
    const live = MIX.map(({ event }) => {
      const fields = Object.fromEntries(registry.current.events.get(event).fields.map((f) => [f.name, f.generalizer.schema.type === 'boolean' ? true : (f.generalizer.schema.enum?.[0] ?? OPEN_VALUES[f.name]?.[0] ?? 'other')]));
      return { event, day: today, maxPerPeriod: registry.current.events.get(event).spec.maxPerPeriod, fields };
    });
    await store.append({ batchKey: randomBytes(16).toString('hex'), pseudonym: randomBytes(32).toString('hex'), period: today, catalogVersion: registry.current.version, events: live });
    generated = await storedEvents(store);
  }
  const app = createApp({ store, registry, options: resolveCollectorOptions({ statsPerMinute: 0 }, {}), adminToken: TOKEN });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${app.server.address().port}`, generated, close: async () => (await app.close(), await store.close()) };
}

async function signedInPage(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${url}/dashboard/login`);
  await page.fill('#token', TOKEN);
  await Promise.all([page.waitForURL(`${url}/dashboard`), page.click('button[type=submit]')]);
  await page.waitForSelector('body[data-state="ready"]', { timeout: 120_000 });
  return page;
}

/** One navigation: milliseconds from its start to every chart painted. */
async function render(page, url) {
  await page.goto(`${url}/dashboard`);
  await page.waitForSelector('body[data-state]:not([data-state="loading"])', { timeout: 120_000 });
  const state = await page.getAttribute('body', 'data-state');
  if (state !== 'ready') throw new Error(`the dashboard ended in state ${state}`);
  return page.evaluate(() => performance.getEntriesByName('candor-dashboard-rendered')[0].startTime);
}

console.log(`machine load (1, 5, 15 min) at start: ${loadavg().map((x) => x.toFixed(1)).join(', ')} on 2 cores`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const dirs = [mkdtempSync(join(tmpdir(), 'dashboard-render-bench-')), mkdtempSync(join(tmpdir(), 'dashboard-render-bench-empty-'))];
const empty = await collector(join(dirs[1], 'candor.duckdb'), false);
const full = await collector(process.env.CANDOR_BENCH_DB ?? join(dirs[0], 'candor.duckdb'), true);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  // Signing in renders the page once on each (the very first render, cold caches).
  let t = performance.now();
  const fullPage = await signedInPage(browser, full.url);
  const coldMs = await fullPage.evaluate(() => performance.getEntriesByName('candor-dashboard-rendered')[0].startTime);
  console.log(`very first render after sign-in (cold DuckDB and browser caches): ${coldMs.toFixed(0)} ms (sign-in to charts ${(performance.now() - t).toFixed(0)} ms)`);
  const emptyPage = await signedInPage(browser, empty.url);
  const times = { full: [], empty: [] };
  // CPU of this process per page load: the collector serving it and the Playwright driver (the browser runs in its own processes).
  const cpuMs = { full: 0, empty: 0 };
  const measured = async (key, page, url) => {
    const c0 = process.cpuUsage();
    times[key].push(await render(page, url));
    const c = process.cpuUsage(c0);
    cpuMs[key] += (c.user + c.system) / 1000 / RUNS;
  };
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so that a burst of load on the machine falls on both alike.
    await measured('full', fullPage, full.url);
    await measured('empty', emptyPage, empty.url);
  }
  const f = median(times.full);
  const e = median(times.empty);
  const cards = await fullPage.$$eval('.card[data-state="ready"]', (els) => els.length);
  console.log(`baseline, same page over an empty store: median ${e.toFixed(0)} ms (${RUNS} navigations)`);
  console.log(
    `first render over ${full.generated.toLocaleString('en')} events: median ${f.toFixed(0)} ms, slowest ${Math.max(...times.full).toFixed(0)} ms (${RUNS} navigations, ${cards} charts ready; ${(f / e).toFixed(2)}× the empty store)`,
  );
  console.log(`CPU of the collector and Playwright driver per page load (19 statistics requests, 21 store queries): ${cpuMs.full.toFixed(0)} ms over the events, ${cpuMs.empty.toFixed(0)} ms over the empty store`);
  console.log(`machine load (1, 5, 15 min) at end: ${loadavg().map((x) => x.toFixed(1)).join(', ')}`);
  const pass = f <= BAR_MS && full.generated >= EVENTS;
  console.log(`${pass ? 'PASS' : 'FAIL'}: navigation to all charts rendered ≤ ${BAR_MS} ms over ${full.generated.toLocaleString('en')} stored events (median ${f.toFixed(0)} ms)`);
  if (!pass) process.exitCode = 1;
} finally {
  await browser.close();
  await full.close();
  await empty.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
