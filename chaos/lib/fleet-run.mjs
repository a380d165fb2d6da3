// One fault scenario's life: a collector process behind the proxy, a fleet of installs on a
// simulated clock, a fault schedule while the workload runs, then the end of the last day,
// a full drain, shutdown, and the store compared with the source. The fault function gets an
// environment through which it can kill and restart the collector, cut the network, move the
// clock, and stop and restart the install hosts.
import { join } from 'node:path';
import { compareWithStore, sdkBooks } from './accounting.mjs';
import { startCollectorProcess, waitReady } from './collector-process.mjs';
import { startFleet } from './install-fleet.mjs';
import { createProxy } from './proxy.mjs';
import { DAY_MS, dayStart } from './sim-clock.mjs';
import { readStoreCounts } from './store-reader.mjs';
import { dir } from './util.mjs';

/** Drops after acceptance that a fault may cause and the SDK counts. */
export const COUNTED_FAULT_DROPS = ['queue_full', 'expired', 'send_failed', 'rejected', 'storage_error'];

/** Merges the summaries of one install's successive lifetimes (host restarts). */
function mergeLifetimes(list) {
  const out = { ...list[list.length - 1], offered: {}, openDays: [] };
  const days = new Set();
  for (const s of list) {
    for (const [day, byEvent] of Object.entries(s.offered)) {
      const o = out.offered[day] ?? (out.offered[day] = {});
      for (const [event, n] of Object.entries(byEvent)) o[event] = (o[event] ?? 0) + n;
    }
    for (const d of s.openDays) days.add(d);
    out.playbackOffAt = out.playbackOffAt ?? s.playbackOffAt;
  }
  out.calls = list.reduce((n, s) => n + s.calls, 0);
  out.invalid = list.reduce((n, s) => n + s.invalid, 0);
  out.openDays = [...days].sort();
  out.lifetimes = list;
  return out;
}

/**
 * Runs a fleet scenario.
 * @param {object} ctx the run context
 * @param {{ id: string, installs: number, hosts?: number, days: number, workloadMs: number, eventsPerSecondPerInstall: number, sdk?: object, collectorEnv?: Record<string, string>, wrap?: (argv: string[]) => string[], dataDirOf?: (i: number) => string, copyDirOf?: (i: number) => string, fault: (env: object) => Promise<object>, prepare?: (env: object) => Promise<void> }} o
 */
export async function runFleetScenario(ctx, o) {
  const base = dir(join(ctx.work, o.id));
  const collectorDir = dir(join(base, 'collector'));
  const collectorLog = join(base, 'collector.log');
  ctx.track.collectorDirs.push(collectorDir);
  ctx.track.collectorLogs.push(collectorLog);
  const proxy = await createProxy();
  const starts = [];
  const unexpectedExits = [];
  const env = {
    ctx,
    base,
    proxy,
    collectorDir,
    collector: null,
    fleet: null,
    starts,
    unexpectedExits,
    summaries: new Map(),
    probePseudonyms: new Set(),
    /** Starts (or restarts) the collector on the same data directory and points the proxy at it. */
    async startCollector(extra = {}) {
      const t = Date.now();
      const c = await startCollectorProcess({ cliBin: ctx.snapshot.cliBin, dataDir: collectorDir, logFile: collectorLog, env: { ...o.collectorEnv, ...extra.env }, wrap: extra.wrap });
      c.expectedExit = false;
      void c.exited.then((e) => c.expectedExit || unexpectedExits.push(e));
      const ready = extra.expectUnready ? false : await waitReady(c.url, 60_000);
      starts.push({ listeningMs: Date.now() - t, ready });
      env.collector = c;
      proxy.setTarget(c.port);
      return c;
    },
    async killCollector(signal = 'SIGKILL') {
      const c = env.collector;
      c.expectedExit = true;
      proxy.setTarget(null);
      await c.kill(signal);
      env.collector = null;
    },
    async stopCollector() {
      const c = env.collector;
      c.expectedExit = true;
      proxy.setTarget(null);
      const e = await c.stop();
      env.collector = null;
      return e;
    },
    /** Stops the install hosts (gracefully unless `kill`) and keeps their summaries. */
    async stopFleet({ flush = true, kill = false } = {}) {
      const f = env.fleet;
      env.fleet = null;
      f.closing = true;
      if (kill) {
        await Promise.all(f.hosts.map((h) => h.kill('SIGKILL')));
        return null;
      }
      const reports = await f.all('shutdown', { flush, timeoutMs: 2000 });
      if (o.copyDirOf) await f.all('copy', { to: Object.fromEntries(installs.map((i, n) => [i.key, o.copyDirOf(n)])) });
      await f.close();
      for (const s of reports.flatMap((r) => r.installs)) env.summaries.set(s.key, [...(env.summaries.get(s.key) ?? []), s]);
      return reports;
    },
    /** Starts the install hosts (again), on the clock where it was. */
    async startFleet(simMs = env.lastSim, speed = env.speed) {
      const f = await startFleet({
        chaosDir: ctx.snapshot.chaosDir,
        logDir: base,
        hosts: o.hosts ?? 1,
        installs,
        wrap: o.wrap,
        init: { clock: { simMs, speed, capMs: env.capMs }, endpoint: proxy.url, libraryFile: ctx.libraryFile, eventsPerSecond: o.eventsPerSecondPerInstall, sdk: o.sdk ?? {} },
      });
      f.closing = false;
      f.unexpectedExits = [];
      for (const h of f.hosts) void h.exited.then((e) => f.closing || unexpectedExits.push({ host: true, ...e }));
      env.fleet = f;
      await f.all('run', { running: true });
      return f;
    },
    async now() {
      const s = await env.fleet.stats();
      env.lastSim = (await env.fleet.all('stats'))[0].now;
      return s;
    },
  };

  const todayStart = dayStart(Date.now());
  env.todayStart = todayStart;
  const simStart = todayStart - o.days * DAY_MS + 60_000;
  env.capMs = todayStart - 60_000;
  env.speed = (env.capMs - simStart) / o.workloadMs;
  env.lastSim = simStart;
  const installs = Array.from({ length: o.installs }, (_, i) => ({ key: `${o.id}-${i}`, dataDir: o.dataDirOf ? o.dataDirOf(i) : join(base, 'installs', `install-${i}`), seed: 50_000 + i * 7 + o.id.length }));
  ctx.track.installDirs.push(...installs.map((inst, i) => (o.copyDirOf ? o.copyDirOf(i) : inst.dataDir)));
  env.installs = installs;

  if (o.prepare) await o.prepare(env);
  await env.startCollector();
  await env.startFleet(simStart);
  const t0 = Date.now();
  const faultInfo = await o.fault(env);
  const workloadS = (Date.now() - t0) / 1000;

  // Back to normal: the collector up, the network open, then the last day ends and everything drains.
  if (env.collector === null) await env.startCollector();
  proxy.setMode('pass');
  if (env.fleet === null) await env.startFleet();
  await env.fleet.all('run', { running: false });
  const during = await env.fleet.stats();
  await env.fleet.all('clock', { simMs: todayStart + 60_000, speed: 1 });
  const flushed = await env.fleet.all('flush', { timeoutMs: 120_000, allowHeld: o.allowHeld === true });
  const unfinished = flushed.flatMap((f) => f.unfinished);
  await env.stopFleet({ flush: true });
  await proxy.close();
  const stop = await env.stopCollector();

  const counts = await readStoreCounts(join(collectorDir, 'candor.duckdb'));
  const merged = installs.map((inst, i) => ({ key: inst.key, dataDir: o.copyDirOf ? o.copyDirOf(i) : inst.dataDir, summary: mergeLifetimes(env.summaries.get(inst.key)) }));
  const cmp = compareWithStore({ installs: merged, storeRows: counts.rows, fromMs: simStart - 10 * DAY_MS, toMs: todayStart + 10 * DAY_MS, foreign: env.probePseudonyms });
  const lastLifetimes = merged.map((m) => m.summary.lifetimes.at(-1));
  const books = sdkBooks(lastLifetimes);
  const counted = Object.fromEntries(COUNTED_FAULT_DROPS.map((k) => [k, books.dropped[k] ?? 0]).filter(([, v]) => v > 0));
  return {
    env,
    cmp,
    books,
    counts,
    counted,
    merged,
    faultInfo,
    unfinished,
    stop,
    workloadS,
    hostCalls: merged.reduce((n, m) => n + m.summary.calls, 0),
    invalid: merged.reduce((n, m) => n + m.summary.invalid, 0),
    retries: lastLifetimes.reduce((acc, s) => {
      for (const [k, v] of Object.entries(s.retries ?? {})) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {}),
    warnings: merged.reduce((acc, m) => {
      for (const s of m.summary.lifetimes) for (const [k, v] of Object.entries(s.warnings ?? {})) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {}),
    during,
  };
}
