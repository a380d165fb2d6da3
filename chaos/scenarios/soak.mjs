// Scenario 1, soak: a fleet of real SDK clients against a real collector process for a long
// stretch, with memory sampled on both sides, and the store compared with the source at the end.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { dayOf } from '@candor/protocol';
import { compareSentLogWithStore, compareWithStore, pseudonymsOf, sdkBooks } from '../lib/accounting.mjs';
import { CHAOS_ADMIN_TOKEN, startCollectorProcess } from '../lib/collector-process.mjs';
import { startFleet } from '../lib/install-fleet.mjs';
import { summarizeSeries } from '../lib/memory.mjs';
import { createProxy } from '../lib/proxy.mjs';
import { DAY_MS, dayStart } from '../lib/sim-clock.mjs';
import { exportStored, readStoreCounts } from '../lib/store-reader.mjs';
import { bar, collectorHeapBytes, dir, fmt, sleep } from '../lib/util.mjs';

/** Days the soak's installs keep their sent log. */
const SENT_LOG_DAYS = 4;

/**
 * Runs the soak. The simulated clock covers `days` days that end just before today (UTC), so
 * that closing the last day opens today and never a day in the collector's future; sampled
 * playback reports leave when each simulated day ends, as they would in production.
 * @param {object} ctx the run context (chaos/main.mjs)
 */
export async function runSoak(ctx) {
  const p = ctx.params.soak;
  const base = dir(join(ctx.work, 'soak'));
  const collectorDir = dir(join(base, 'collector'));
  const collectorLog = join(base, 'collector.log');
  ctx.track.collectorDirs.push(collectorDir);
  ctx.track.collectorLogs.push(collectorLog);
  const collector = await startCollectorProcess({ cliBin: ctx.snapshot.cliBin, dataDir: collectorDir, logFile: collectorLog });
  const proxy = await createProxy();
  proxy.setTarget(collector.port);

  const todayStart = dayStart(Date.now());
  const simStart = todayStart - p.days * DAY_MS + 60_000;
  const simEnd = todayStart - 60_000;
  const durationMs = p.minutes * 60_000;
  const speed = (simEnd - simStart) / durationMs;
  const installs = Array.from({ length: p.installs }, (_, i) => ({
    key: `soak-${i}`,
    dataDir: join(base, 'installs', `install-${i}`),
    seed: 1000 + i,
    // One owner in ten has subscribed to marketing news; the others leave that category off.
    consent: i % 10 === 3 ? { marketing: true } : {},
  }));
  ctx.track.installDirs.push(...installs.map((i) => i.dataDir));
  ctx.log(`soak: ${p.installs} installs in ${p.hosts} processes, ${p.minutes} min, ${p.days} simulated days (×${Math.round(speed)})`);
  const fleet = await startFleet({
    chaosDir: ctx.snapshot.chaosDir,
    logDir: base,
    hosts: p.hosts,
    installs,
    // A sent log shorter than the run (the default keeps 30 days, longer than any soak's
    // simulated days), so that the outboxes reach their steady size within the run and a
    // memory slope measures the SDK, not a sent log that is still filling up.
    init: { clock: { simMs: simStart, speed, capMs: simEnd }, endpoint: proxy.url, libraryFile: ctx.libraryFile, eventsPerSecond: p.eventsPerSecondPerInstall, sdk: { sentLogRetentionDays: SENT_LOG_DAYS } },
  });

  const series = { sdkRss: [], sdkHeap: [], collectorRss: [], collectorHeap: [], storeBytes: [] };
  const hostExits = [];
  let closing = false;
  for (const h of fleet.hosts) void h.exited.then((e) => closing || hostExits.push(e));
  let collectorExit = null;
  void collector.exited.then((e) => (collectorExit = e));
  const toggled = installs.filter((_, i) => i % 20 === 7).map((i) => i.key);
  const t0 = Date.now();
  await fleet.all('run', { running: true });
  let toggledDone = false;
  while (Date.now() - t0 < durationMs) {
    await sleep(Math.min(p.sampleMs, Math.max(0, durationMs - (Date.now() - t0))));
    const t = Date.now() - t0;
    const mem = await fleet.all('memory');
    series.sdkRss.push({ t, v: fleet.hosts.reduce((n, h) => n + (h.rssBytes() ?? 0), 0) });
    series.sdkHeap.push({ t, v: mem.reduce((n, m) => n + m.heapUsed, 0) });
    const rss = collector.rssBytes();
    if (rss !== null) series.collectorRss.push({ t, v: rss });
    const heap = await collectorHeapBytes(collector.url, CHAOS_ADMIN_TOKEN);
    if (heap !== null) series.collectorHeap.push({ t, v: heap });
    // The store grows with the data by design; its size beside the collector's memory tells the two apart.
    series.storeBytes.push({ t, v: fileSize(join(collectorDir, 'candor.duckdb')) + fileSize(join(collectorDir, 'candor.duckdb.wal')) });
    // Half-way, one owner in twenty turns playback statistics off: purge, deletion request, no more playback.
    if (!toggledDone && t > durationMs / 2) {
      toggledDone = true;
      await fleet.some('consent', toggled, { category: 'playback', granted: false });
    }
  }
  await fleet.all('run', { running: false });
  const during = await fleet.stats();
  const elapsedS = (Date.now() - t0) / 1000;
  // Into today: yesterday's samples and count reports are released, as at any midnight.
  await fleet.all('clock', { simMs: todayStart + 60_000, speed: 1 });
  const flushed = await fleet.all('flush', { timeoutMs: 180_000 });
  const unfinished = flushed.flatMap((f) => f.unfinished);
  const reports = await fleet.all('shutdown', { flush: true });
  closing = true;
  await fleet.close();
  const summaries = reports.flatMap((r) => r.installs);
  const anomalies = reports.flatMap((r) => r.anomalies);
  await proxy.close();
  const collectorDiedEarly = collectorExit !== null;
  const stop = await collector.stop();

  const storePath = join(collectorDir, 'candor.duckdb');
  const counts = await readStoreCounts(storePath);
  const byKey = new Map(summaries.map((s) => [s.key, s]));
  const cmp = compareWithStore({
    installs: installs.map((i) => ({ key: i.key, dataDir: i.dataDir, summary: byKey.get(i.key) })),
    storeRows: counts.rows,
    fromMs: simStart - DAY_MS,
    toMs: todayStart + DAY_MS,
  });
  const books = sdkBooks(summaries);
  // The sent logs keep `sentLogRetentionDays`: the byte-for-byte comparison covers the days they still hold in full.
  const steady = installs.filter((i) => !toggled.includes(i.key));
  const fromMs = todayStart - (SENT_LOG_DAYS - 1) * DAY_MS;
  const steadyPseudonyms = new Set();
  for (const i of steady) for (const p2 of pseudonymsOf(i.dataDir, fromMs, todayStart + DAY_MS).keys()) steadyPseudonyms.add(p2);
  const exported = await exportStored(storePath, [...new Set(counts.rows.map((r) => r.pseudonym))].filter((x) => steadyPseudonyms.has(x)));
  const content = compareSentLogWithStore({ dataDirs: steady.map((i) => i.dataDir), exported, fromDay: dayOf(fromMs) });
  const outboxBytes = installs.reduce((n, i) => n + fileSize(join(i.dataDir, 'outbox.sqlite')) + fileSize(join(i.dataDir, 'outbox.sqlite-wal')), 0);

  const mem = {
    sdkRss: summarizeSeries(series.sdkRss),
    sdkHeap: summarizeSeries(series.sdkHeap, { flatBytes: 8 * 1048576 }),
    collectorRss: summarizeSeries(series.collectorRss),
    collectorHeap: summarizeSeries(series.collectorHeap, { flatBytes: 8 * 1048576 }),
  };
  const invalid = summaries.reduce((n, s) => n + s.invalid, 0);
  const bars = [
    bar('lost = 0', cmp.missing === 0, `${cmp.missing} events expected and not stored`),
    bar('duplicated = 0', cmp.extra === 0, `${cmp.extra} events stored beyond the source count`),
    bar('every stored event belongs to an install and its day', cmp.unattributed === 0 && cmp.periodMismatch === 0, `${cmp.unattributed} unattributed, ${cmp.periodMismatch} under another day's pseudonym`),
    bar("the SDK's books balance", books.unaccounted === 0, `accepted ${books.accepted} = delivered ${books.delivered} + queued ${books.queued} + held ${books.held} + dropped after acceptance ${books.droppedAfter} (+ ${books.unaccounted} unaccounted)`),
    bar('stored fields equal the sent log byte for byte', content.missing === 0 && content.extra === 0 && content.sentEvents > 0, `${content.sentEvents} events of the last ${SENT_LOG_DAYS} days in ${content.batches} delivered batches; ${content.missing} missing, ${content.extra} extra`),
    bar('everything queued was delivered at the end', unfinished.length === 0, `${unfinished.length} installs still had events queued`),
    bar('no process crashed', hostExits.length === 0 && !collectorDiedEarly && stop.code === 0, `install hosts exited early: ${hostExits.length}; collector ${collectorDiedEarly ? 'died during the run' : `exit at SIGTERM: code ${stop.code}`}`),
    bar('the collector bounded nothing (the SDK kept to the linkage limits)', counts.bounded === 0, `${counts.bounded} events over a per-day bound`),
  ];
  // A run of a minute or two is all warm-up (SQLite and DuckDB caches, JIT): its slope says
  // nothing about a leak, so only a run of five minutes or more is judged on it.
  if (p.minutes >= 5) {
    bars.push(bar('SDK memory flat', mem.sdkHeap?.flat && mem.sdkRss?.flat, memoryDetail(mem.sdkHeap, mem.sdkRss)));
    bars.push(bar('collector memory flat', mem.collectorHeap?.flat && mem.collectorRss?.flat, memoryDetail(mem.collectorHeap, mem.collectorRss)));
  }
  if (anomalies.length > 0) bars.push(bar('the harness saw no anomaly', false, anomalies.slice(0, 3).join('; ')));
  return {
    id: 'soak',
    title: 'Soak',
    load: `${fmt(p.installs)} installs (real SDK clients, ${p.hosts} processes) for ${(elapsedS / 60).toFixed(1)} min over ${p.days} simulated days; ${fmt(during.calls / elapsedS)} host calls/s, ${fmt(counts.distinctBatchKeys)} batches (${(counts.distinctBatchKeys / elapsedS).toFixed(1)}/s)`,
    faults: `none; ${toggled.length} owners turned playback off half-way`,
    note: `sent logs kept ${SENT_LOG_DAYS} days; outbox files ${(outboxBytes / 1048576).toFixed(1)} MB in all at the end`,
    badInputs: `${fmt(invalid)} invalid host events (titles and paths in the wrong fields), all refused by the catalog`,
    accepted: cmp.expected,
    delivered: cmp.stored,
    lost: cmp.missing,
    duplicated: cmp.extra,
    dropped: countedDrops(books),
    bars,
    details: { cmp, books, content, memory: mem, series: downsample(series, 60), outboxMB: outboxBytes / 1048576, sentLogDays: SENT_LOG_DAYS, counts: { total: counts.total, batches: counts.distinctBatchKeys, bounded: counts.bounded }, speed, hostCalls: during.calls, elapsedS, proxy: proxy.stats() },
  };
}

function fileSize(path) {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** At most `n` evenly spaced samples of each series, for the report. */
function downsample(series, n) {
  return Object.fromEntries(Object.entries(series).map(([k, list]) => [k, list.filter((_, i) => list.length <= n || i % Math.ceil(list.length / n) === 0)]));
}

function memoryDetail(heap, rss) {
  const one = (name, m) => (m ? `${name} ${m.meanMB.toFixed(0)} MB, slope ${m.slopeMBPerMin.toFixed(2)} MB/min (least squares ${m.leastSquaresSlopeMBPerMin.toFixed(2)}; growth ${m.growthMB.toFixed(1)} MB over ${m.windowMinutes.toFixed(1)} min, limit ${m.limitMB.toFixed(1)})` : `${name} not measured`);
  return `${one('heap', heap)}; ${one('RSS', rss)}`;
}

/** The SDK's drops after acceptance that the owner did not ask for (purges and deletions are the owner's choice). */
export function countedDrops(books) {
  const out = {};
  for (const k of ['queue_full', 'expired', 'send_failed', 'rejected', 'storage_error']) if ((books.dropped[k] ?? 0) > 0) out[k] = books.dropped[k];
  return out;
}
