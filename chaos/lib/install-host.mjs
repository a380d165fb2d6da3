// A child process that hosts simulated installs: each one a real SDK client
// (createTelemetry, with its own data directory) plus crash capture, driven by a workload of
// raw host-side data built from the media catalogs. The parent talks to it over IPC
// (chaos/lib/install-fleet.mjs) and receives, at the end, what each install was given: the
// source count the store is compared with.
//
// What the harness counts is independent of the SDK's own counters: for every call it asks
// the catalog whether the raw event is valid and its own record of the owner's choices
// whether the category is on, and it applies the catalog's linkage rules (at most
// maxPerPeriod per day; sampled events as a sample of maxPerPeriod plus one count event) when
// the parent compares. The day it counts under is the SDK's: the day of the latest time the
// clock showed since the client started, since the SDK never moves back to an earlier day.
import { appendFileSync, cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compileCatalog } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import Database from 'better-sqlite3';
import { dayOf } from '@candor/protocol';
import { createSeededRandom } from '@candor/risk';
import { captureCrashes, createTelemetry } from '@candor/sdk';
import { APP_ROOT, clientSessionRaw, hostError, misusedRaw, playbackRaw, serverDailyRaw } from './media-library.mjs';
import { createSimClock, dayStart } from './sim-clock.mjs';

const compiled = compileCatalog(mediaServerCatalog);
const CATEGORY = Object.fromEntries([...compiled.events].map(([name, e]) => [name, e.category]));
const DEFAULT_CONSENT = Object.fromEntries(Object.entries(mediaServerCatalog.categories).map(([id, c]) => [id, c.required || c.defaultOn]));

let clock = null;
let library = null;
let endpoint = '';
let sdkOptions = {};
let rate = 0;
let running = false;
const installs = new Map();
const anomalies = [];

function note(message) {
  if (anomalies.length < 50) anomalies.push(message);
}

function open(inst) {
  inst.warnings = inst.warnings ?? {};
  inst.retries = inst.retries ?? {};
  inst.client = createTelemetry({
    catalog: mediaServerCatalog,
    endpoint,
    dataDir: inst.dataDir,
    env: {},
    now: clock.now,
    onDiagnostic: (d) => {
      if (d.type === 'warning') inst.warnings[d.warning.code] = (inst.warnings[d.warning.code] ?? 0) + 1;
      else if (d.type === 'retry_scheduled') inst.retries[d.reason] = (inst.retries[d.reason] ?? 0) + 1;
    },
    ...sdkOptions,
  });
  inst.crashes = captureCrashes(inst.client, { appRoot: APP_ROOT, serverVersion: '2.3.17', platform: 'linux', uncaughtExceptions: false, unhandledRejections: false });
  inst.model = dayStart(clock.now());
  inst.lastDaily = '';
  // The consent file persists across restarts; the harness's record of the owner's choices does too.
  for (const [category, on] of Object.entries(inst.consent)) {
    if (inst.client.consent.isGranted(category) !== on && !mediaServerCatalog.categories[category].required) inst.client.consent.set(category, on);
  }
  observeDay(inst);
}

/** The SDK's day for this install now, as the SDK itself computes it. */
function observeDay(inst) {
  inst.model = Math.max(inst.model, dayStart(clock.now()));
  const day = dayOf(inst.model);
  inst.openDays.add(day);
  return day;
}

function tally(inst, day, name) {
  const byEvent = inst.offered[day] ?? (inst.offered[day] = {});
  byEvent[name] = (byEvent[name] ?? 0) + 1;
}

/** Records one raw event the way a host does, and counts it when it is valid and its category on. */
function record(inst, name, raw) {
  const day = observeDay(inst);
  const valid = compiled.normalize(name, raw).ok;
  const granted = inst.consent[CATEGORY[name]];
  if (inst.client.consent.isGranted(CATEGORY[name]) !== granted) note(`${inst.key}: consent of ${CATEGORY[name]} differs from the owner's choice`);
  inst.client.record(name, raw);
  inst.calls++;
  if (valid && granted) tally(inst, day, name);
  else if (!valid) inst.invalid++;
}

function act(inst) {
  const r = inst.random;
  const day = observeDay(inst);
  if (inst.lastDaily !== day) {
    inst.lastDaily = day;
    record(inst, 'server.daily', serverDailyRaw(library, r));
  }
  const x = r();
  const item = library.items[Math.floor(r() * library.items.length)];
  if (x < 0.45) record(inst, 'playback.session', playbackRaw(item, r));
  else if (x < 0.75) record(inst, 'client.session', clientSessionRaw(r));
  else if (x < 0.81) {
    inst.crashSeq++;
    inst.crashes.reportError(hostError(item, r, inst.crashSeq));
    inst.calls++;
    if (inst.consent.crash) tally(inst, day, 'crash.report');
  } else if (x < 0.87) {
    const m = misusedRaw(item, r);
    record(inst, m.name, m.raw);
  } else if (x < 0.91) record(inst, 'marketing.preference', { subscribed: r() < 0.5 });
  else record(inst, 'server.daily', serverDailyRaw(library, r));
}

let lastTickMs = performance.now();
setInterval(() => {
  const t = performance.now();
  const dt = (t - lastTickMs) / 1000;
  lastTickMs = t;
  if (!running) return;
  for (const inst of installs.values()) {
    if (inst.client === null) continue;
    observeDay(inst);
    const expected = rate * dt;
    let n = Math.floor(expected) + (inst.random() < expected - Math.floor(expected) ? 1 : 0);
    while (n-- > 0) act(inst);
  }
}, 100);

function summary(inst) {
  return {
    key: inst.key,
    offered: inst.offered,
    openDays: [...inst.openDays].sort(),
    playbackOffAt: inst.playbackOffAt,
    consent: inst.consent,
    calls: inst.calls,
    invalid: inst.invalid,
    stats: inst.lastStats,
    crashStats: inst.lastCrashStats,
    warnings: inst.warnings,
    retries: inst.retries,
    finalDay: dayOf(inst.model),
    finalDayOver: clock.now() >= inst.model + 86_400_000,
    outbox: inst.outboxAtEnd ?? null,
    queuedCheck: inst.queuedCheck ?? null,
  };
}

function snapshotStats(inst) {
  if (inst.client === null) return;
  const s = inst.client.stats();
  inst.lastStats = { ...s, warnings: undefined };
  inst.lastCrashStats = inst.crashes.stats();
}

const commands = {
  init(m) {
    clock = createSimClock(m.clock);
    library = JSON.parse(readFileSync(m.libraryFile, 'utf8'));
    endpoint = m.endpoint;
    sdkOptions = m.sdk ?? {};
    rate = m.eventsPerSecond ?? 0;
    for (const spec of m.installs) {
      const inst = {
        key: spec.key,
        dataDir: spec.dataDir,
        random: createSeededRandom(spec.seed),
        consent: { ...DEFAULT_CONSENT, ...spec.consent },
        offered: {},
        openDays: new Set(),
        playbackOffAt: null,
        calls: 0,
        invalid: 0,
        crashSeq: spec.seed * 1000,
        client: null,
        crashes: null,
        lastStats: null,
        lastCrashStats: null,
      };
      installs.set(spec.key, inst);
      open(inst);
    }
    return { installs: installs.size };
  },
  run(m) {
    running = m.running;
    if (m.eventsPerSecond !== undefined) rate = m.eventsPerSecond;
    return { running };
  },
  clock(m) {
    // Every client reads the clock as it is before the change, so that the day it reached is
    // the one the harness counts under, then again after it.
    for (const inst of installs.values()) {
      if (inst.client === null) continue;
      inst.client.extensions.commitNow();
      observeDay(inst);
    }
    clock.set(m.simMs, m.speed, m.capMs ?? Infinity);
    for (const inst of installs.values()) {
      if (inst.client === null) continue;
      inst.client.extensions.commitNow();
      observeDay(inst);
    }
    return { now: clock.now() };
  },
  consent(m) {
    for (const key of m.keys) {
      const inst = installs.get(key);
      inst.consent[m.category] = m.granted;
      inst.client.consent.set(m.category, m.granted);
      if (m.category === 'playback' && !m.granted && inst.playbackOffAt === null) inst.playbackOffAt = dayOf(inst.model);
    }
    return { changed: m.keys.length };
  },
  async flush(m) {
    const deadline = Date.now() + (m.timeoutMs ?? 60_000);
    const pending = new Set([...installs.values()].filter((i) => i.client !== null));
    let rounds = 0;
    while (pending.size > 0 && Date.now() < deadline) {
      rounds++;
      await Promise.all(
        [...pending].map(async (inst) => {
          await inst.crashes.flush();
          await inst.client.flush();
          const s = inst.client.stats();
          const real = outboxContents(inst);
          // The file is the truth: the SDK's running count may disagree with it (see the report).
          if (real.queued === 0 && (m.allowHeld || s.held === 0)) pending.delete(inst);
        }),
      );
      if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (const inst of installs.values()) {
      snapshotStats(inst);
      if (inst.client !== null) inst.queuedCheck = { reported: inst.client.stats().queued, inFile: outboxContents(inst).queued };
    }
    return { rounds, unfinished: [...pending].map((i) => ({ key: i.key, queued: i.client.stats().queued, held: i.client.stats().held, inFile: outboxContents(i) })) };
  },
  stats() {
    let queued = 0;
    let held = 0;
    let accepted = 0;
    let delivered = 0;
    const dropped = {};
    for (const inst of installs.values()) {
      if (inst.client === null) continue;
      const s = inst.client.stats();
      queued += s.queued;
      held += s.held;
      accepted += s.accepted;
      delivered += s.delivered;
      for (const [k, v] of Object.entries(s.dropped)) dropped[k] = (dropped[k] ?? 0) + v;
    }
    return { queued, held, accepted, delivered, dropped, now: clock.now(), calls: [...installs.values()].reduce((n, i) => n + i.calls, 0) };
  },
  async shutdown(m) {
    running = false;
    await Promise.all(
      [...installs.values()].map(async (inst) => {
        if (inst.client === null) return;
        observeDay(inst);
        await inst.crashes.flush();
        snapshotStats(inst);
        inst.crashes.stop();
        await inst.client.shutdown({ flush: m.flush !== false, timeoutMs: m.timeoutMs ?? 5000 });
        // What shutdown itself sent or committed belongs to the final figures.
        inst.lastStats = { ...inst.lastStats, ...pickFinal(inst.client.stats()) };
        inst.client = null;
        inst.outboxAtEnd = outboxContents(inst);
      }),
    );
    return { installs: [...installs.values()].map(summary), anomalies };
  },
  report() {
    for (const inst of installs.values()) snapshotStats(inst);
    return { installs: [...installs.values()].map(summary), anomalies };
  },
  /** The heap after a full collection (live objects, not the garbage of the last seconds), and RSS. */
  memory() {
    globalThis.gc?.();
    return process.memoryUsage();
  },
  /** Copies each install's data directory (from a file system that goes away with this process). */
  copy(m) {
    for (const inst of installs.values()) cpSync(inst.dataDir, m.to[inst.key], { recursive: true });
    return { copied: installs.size };
  },
  /** Fills the file system of the data directories until a write fails (the disk-full fault). */
  fill(m) {
    const path = join(m.dir, 'filler.bin');
    let bytes = 0;
    try {
      for (;;) {
        appendFileSync(path, Buffer.alloc(4096, 1));
        bytes += 4096;
        if (bytes > m.maxBytes) break;
      }
    } catch (error) {
      return { bytes, error: error.code ?? String(error) };
    }
    return { bytes, error: null };
  },
  unfill(m) {
    rmSync(join(m.dir, 'filler.bin'), { force: true });
    return {};
  },
};

function pickFinal(s) {
  return { accepted: s.accepted, delivered: s.delivered, duplicates: s.duplicates, generated: s.generated, stored: s.stored, dropped: s.dropped, rejectedByCode: s.rejectedByCode };
}

/**
 * What the outbox file really holds: events waiting (loose and in formed batches) and held
 * samples, read from the file itself rather than from the SDK's running count.
 */
function outboxContents(inst) {
  let db;
  try {
    db = new Database(join(inst.dataDir, 'outbox.sqlite'), { readonly: true, fileMustExist: true, timeout: 2000 });
    const q = db.prepare('SELECT (SELECT count(*) FROM events) + (SELECT total(event_count) FROM batches) AS queued, (SELECT count(*) FROM held) AS held').get();
    return { queued: Number(q.queued), held: Number(q.held) };
  } catch (error) {
    return { queued: null, held: null, error: error.code ?? String(error) };
  } finally {
    db?.close();
  }
}

process.on('message', (m) => {
  const run = commands[m.cmd];
  Promise.resolve()
    .then(() => run(m))
    .then(
      (result) => process.send({ id: m.id, ok: true, result }),
      (error) => process.send({ id: m.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
