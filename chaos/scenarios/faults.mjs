// Scenario 2, faults: each fault runs against its own collector and fleet, and each ends the
// same way: the fault is lifted, the last day ends, everything drains, and the store is
// compared with the source. An event the SDK accepted is either stored once, or dropped and
// counted by reason (a full disk, a batch the collector refused for good), or destroyed by
// the fault itself (a corrupt outbox), and the table says which; "lost" counts what is in
// none of these.
import { spawn } from 'node:child_process';
import { closeSync, cpSync, existsSync, openSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dayOf } from '@candor/protocol';
import { waitReady } from '../lib/collector-process.mjs';
import { runFleetScenario } from '../lib/fleet-run.mjs';
import { errorCode, postBatch, validBatch } from '../lib/http.mjs';
import { diskFullMethod, probeDir, readOnlyMethod } from '../lib/isolation.mjs';
import { DAY_MS } from '../lib/sim-clock.mjs';
import { readBatchKeys } from '../lib/store-reader.mjs';
import { bar, dir, fmt, sleep, waitFor } from '../lib/util.mjs';

/**
 * Runs every fault scenario; each is one row of the table.
 * @param {object} ctx the run context
 */
export async function runFaults(ctx) {
  const all = [
    ['kill-9', killLoop],
    ['unreachable', unreachable],
    ['disk-full', diskFull],
    ['corrupt-outbox', corruptOutbox],
    ['clock-jumps', clockJumps],
    ['clock-ahead', clockAhead],
    ['store-locked', storeLocked],
    ['store-read-only', storeReadOnly],
  ];
  // CANDOR_CHAOS_FAULTS=a,b runs only those faults (a debugging aid; the report then lacks the others).
  const only = process.env.CANDOR_CHAOS_FAULTS?.split(',');
  if (only) all.splice(0, all.length, ...all.filter(([id]) => only.includes(id)));
  const one = async ([id, fn]) => {
    const t = Date.now();
    ctx.log(`faults: ${id}`);
    try {
      return { ...(await fn(ctx)), seconds: (Date.now() - t) / 1000 };
    } catch (error) {
      ctx.log(`faults: ${id} FAILED ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return { id, title: id, error: String(error), bars: [bar('the scenario ran to its end', false, error instanceof Error ? error.message : String(error))], seconds: (Date.now() - t) / 1000 };
    }
  };
  // Each fault has its own collector, fleet and directories: the short run lets them overlap
  // to fit in CI's time; the full run takes them one at a time, for cleaner timings.
  if (ctx.params.faults.parallel) return Promise.all(all.map(one));
  const rows = [];
  for (const f of all) rows.push(await one(f));
  return rows;
}

/**
 * The row of a fleet scenario: lost is what the store lacks beyond what the SDK counted as
 * dropped, what the fault destroyed, and what still waits for its day to end.
 */
function row(run, o) {
  const counted = Object.values(run.counted).reduce((n, v) => n + v, 0);
  const destroyed = o.destroyed ?? 0;
  const held = o.allowHeld ? run.books.held : 0;
  const explained = counted + destroyed + held;
  const lost = Math.max(0, run.cmp.missing - explained);
  const starts = run.env.starts;
  const bars = [
    bar('lost = 0', lost === 0, `${run.cmp.missing} expected events not stored; ${counted} dropped and counted by the SDK, ${destroyed} destroyed by the fault, ${held} still held`),
    bar('duplicated = 0', run.cmp.extra === 0, `${run.cmp.extra} events stored beyond the source count`),
    bar('every stored event belongs to an install and its day', run.cmp.unattributed === 0 && run.cmp.periodMismatch === 0, `${run.cmp.unattributed} unattributed, ${run.cmp.periodMismatch} under another day's pseudonym`),
    bar('no crash, no crash loop', run.env.unexpectedExits.length === 0 && starts.every((s) => s.ready || s.expectedUnready) && run.stop.code === 0, `${starts.length} collector start(s), ${starts.filter((s) => s.ready).length} ready; ${run.env.unexpectedExits.length} unexpected exit(s); exit code at SIGTERM ${run.stop.code}`),
  ];
  if (!o.allowHeld) bars.push(bar('everything drained at the end', run.unfinished.length === 0, `${run.unfinished.length} install(s) still had events queued`));
  if (!o.skipBooks) bars.push(bar("the SDK's books balance", run.books.unaccounted === 0, `accepted ${run.books.accepted} = delivered ${run.books.delivered} + queued ${run.books.queued} + held ${run.books.held} + dropped ${run.books.droppedAfter} (${run.books.unaccounted} unaccounted)`));
  const dropped = { ...run.counted };
  if (destroyed > 0) dropped['destroyed by the fault'] = destroyed;
  if (held > 0) dropped['held (day not over)'] = held;
  return {
    id: o.id,
    title: o.title,
    load: `${run.merged.length} installs, ${fmt(run.hostCalls)} host calls in ${run.workloadS.toFixed(0)} s${o.loadNote ? `; ${o.loadNote}` : ''}`,
    faults: o.faults,
    badInputs: o.badInputs ?? `${fmt(run.invalid)} invalid host events`,
    accepted: run.cmp.expected,
    delivered: run.cmp.stored,
    lost,
    duplicated: run.cmp.extra,
    dropped,
    bars: [...bars, ...(o.bars ?? [])],
    details: { cmp: run.cmp, books: run.books, retries: run.retries, warnings: run.warnings, starts, faultInfo: run.faultInfo, counts: { total: run.counts.total, bounded: run.counts.bounded, batches: run.counts.distinctBatchKeys } },
  };
}

async function killLoop(ctx) {
  const p = ctx.params.faults;
  const run = await runFleetScenario(ctx, {
    id: 'kill-9',
    installs: p.installs,
    days: 3,
    workloadMs: p.kills * p.killEveryMs + 4000,
    eventsPerSecondPerInstall: 2,
    async fault(env) {
      const downs = [];
      for (let k = 0; k < p.kills; k++) {
        await sleep(p.killEveryMs * (0.6 + 0.8 * Math.random()));
        await env.killCollector('SIGKILL');
        const down = 300 + Math.random() * 1500;
        downs.push(Math.round(down));
        await sleep(down);
        await env.startCollector();
      }
      await sleep(3000);
      return { kills: p.kills, downMs: downs };
    },
  });
  const times = run.env.starts.slice(1).map((s) => s.listeningMs);
  return row(run, {
    id: 'kill-9',
    title: 'Collector killed -9 and restarted',
    faults: `${run.faultInfo.kills} × SIGKILL of the collector under load, down ${Math.min(...run.faultInfo.downMs)}–${Math.max(...run.faultInfo.downMs)} ms each; restarts took ${Math.min(...times)}–${Math.max(...times)} ms to listen`,
    loadNote: `${fmt(run.books.duplicates)} event(s) in batches the collector had committed before a kill cut its answer (answered as duplicates on retry, stored once)`,
    bars: [bar('every restart came up ready', run.env.starts.every((s) => s.ready), `${run.env.starts.filter((s) => s.ready).length} of ${run.env.starts.length}`)],
  });
}

async function unreachable(ctx) {
  const p = ctx.params.faults;
  let maxQueued = 0;
  const run = await runFleetScenario(ctx, {
    id: 'unreachable',
    installs: p.installs,
    days: 4,
    workloadMs: p.unreachableMs + 9000,
    eventsPerSecondPerInstall: 1,
    async fault(env) {
      const watch = async (ms) => {
        const end = Date.now() + ms;
        while (Date.now() < end) {
          await sleep(Math.min(1000, end - Date.now()));
          maxQueued = Math.max(maxQueued, (await env.fleet.stats()).queued);
        }
      };
      await sleep(2000);
      env.proxy.setMode('refuse');
      await watch(p.unreachableMs / 2);
      env.proxy.setMode('pass');
      await sleep(1500);
      env.proxy.setMode('blackhole');
      await watch(p.unreachableMs / 2);
      env.proxy.setMode('pass');
      await sleep(3000);
      return { proxy: env.proxy.stats() };
    },
  });
  const daysOut = (p.unreachableMs * run.env.speed) / DAY_MS;
  return row(run, {
    id: 'unreachable',
    title: 'Collector unreachable for long stretches',
    faults: `every connection reset for ${(p.unreachableMs / 2000).toFixed(0)} s, then a black hole (connections open, no answer) for ${(p.unreachableMs / 2000).toFixed(0)} s: ${daysOut.toFixed(1)} simulated days without the collector; up to ${fmt(maxQueued)} events waited`,
    bars: [bar('the SDK kept everything while the collector was away', maxQueued > 0, `${fmt(maxQueued)} events queued at the peak; retries by reason: ${JSON.stringify(run.retries)}`)],
  });
}

async function diskFull(ctx) {
  const base = dir(join(ctx.work, 'disk-full-fs'));
  const method = diskFullMethod(probeDir(ctx.work, 'probe-disk'));
  const mountDir = dir(join(base, 'mnt'));
  // Room for the SDK's normal footprint (an outbox and a write-ahead log of up to 4 MB before
  // SQLite checkpoints it) for each install; then another file takes the rest.
  const bytes = method.method === 'rlimit' ? 512 * 1024 : 24 * 1024 * 1024;
  const alive = [];
  let fill = null;
  let during = null;
  const run = await runFleetScenario(ctx, {
    id: 'disk-full',
    installs: 2,
    days: 3,
    workloadMs: 24_000,
    eventsPerSecondPerInstall: 3,
    wrap: method.wrap(mountDir, bytes),
    dataDirOf: (i) => join(mountDir, `install-${i}`),
    copyDirOf: (i) => join(base, 'copies', `install-${i}`),
    async fault(env) {
      await sleep(3000);
      // The collector is away, so the outbox has to hold everything; then the disk fills up.
      env.proxy.setMode('refuse');
      await sleep(2000);
      if (method.method !== 'rlimit') fill = (await env.fleet.all('fill', { dir: mountDir, maxBytes: 2 * bytes }))[0];
      await env.fleet.all('run', { running: true, eventsPerSecond: 20 });
      for (let i = 0; i < 8; i++) {
        await sleep(1000);
        // The host must keep answering (its event loop runs) while every write fails.
        const t = Date.now();
        during = await env.fleet.stats();
        alive.push(Date.now() - t);
      }
      if (method.method !== 'rlimit') await env.fleet.all('unfill', { dir: mountDir });
      await env.fleet.all('run', { running: true, eventsPerSecond: 3 });
      env.proxy.setMode('pass');
      await sleep(6000);
      return { fill, during };
    },
  });
  const storageErrors = run.books.dropped.storage_error ?? 0;
  const okAtEnd = run.merged.every((m) => m.summary.lifetimes.at(-1).stats?.storage === 'ok');
  return row(run, {
    id: 'disk-full',
    title: "SDK's data directory out of space",
    faults: `${method.describe} of ${bytes / 1048576 >= 1 ? `${bytes / 1048576} MiB` : `${bytes / 1024} KiB`}${fill ? `, filled by another file (${fill.error})` : ''}, while the collector was unreachable, at 20 events/s per install for 8 s`,
    bars: [
      bar('the host kept running and answering', run.env.unexpectedExits.length === 0 && alive.length === 8, `${alive.length} of 8 checks answered while the disk was full (slowest ${Math.max(0, ...alive)} ms)`),
      bar('the SDK counted what it dropped', storageErrors > 0 && (during?.dropped.storage_error ?? 0) > 0, `${fmt(storageErrors)} events dropped as storage_error; warnings: ${JSON.stringify(run.warnings)}`),
      bar('storage recovered once space was freed', okAtEnd, `storage ${okAtEnd ? 'ok' : 'not ok'} for every install at the end`),
      bar("the SDK's count of waiting events matches its outbox", run.books.queuedCountWrong.length === 0, run.books.queuedCountWrong.length === 0 ? 'stats().queued equals the events in the outbox file' : `stats().queued after the final flush vs the outbox file: ${run.books.queuedCountWrong.map((q) => `${q.install} ${q.reported} vs ${q.inFile}`).join(', ')}`),
    ],
  });
}

/** Ways to damage an outbox, one per install. */
// `destroys`: the events in the file cannot be read back; `detectable`: the SDK can tell the
// file is not its outbox (an emptied file is a valid empty database, but the id file next to
// it, outbox.sqlite.id, says an outbox was created there).
const CORRUPTIONS = [
  { name: 'header overwritten', destroys: true, detectable: true, apply: (f) => overwrite(f, 0, 100) },
  { name: 'truncated to half', destroys: true, detectable: true, apply: (f) => truncateSync(f, Math.floor(statSync(f).size / 2)) },
  { name: 'pages overwritten in the middle', destroys: true, detectable: true, apply: (f) => overwrite(f, 4096 * 2, 4096 * 3) },
  { name: "another program's SQLite file", destroys: true, detectable: true, apply: (f) => foreignDatabase(f) },
  { name: 'emptied', destroys: true, detectable: true, apply: (f) => writeFileSync(f, '') },
  { name: 'garbage write-ahead log', destroys: false, detectable: false, apply: (f) => writeFileSync(`${f}-wal`, Buffer.alloc(8192, 0xa5)) },
];

function overwrite(file, offset, length) {
  const fd = openSync(file, 'r+');
  try {
    const junk = Buffer.alloc(length);
    for (let i = 0; i < length; i++) junk[i] = (i * 131 + 7) & 0xff;
    writeSync(fd, junk, 0, length, offset);
  } finally {
    closeSync(fd);
  }
}

function foreignDatabase(file) {
  for (const s of ['', '-wal', '-shm']) if (existsSync(file + s)) writeFileSync(file + s, '');
  const db = new Database(file);
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES (\'not an outbox\');');
  db.close();
}

async function corruptOutbox(ctx) {
  let destroyedBound = 0;
  const damaged = [];
  const run = await runFleetScenario(ctx, {
    id: 'corrupt-outbox',
    installs: CORRUPTIONS.length,
    days: 3,
    workloadMs: 16_000,
    eventsPerSecondPerInstall: 2,
    async fault(env) {
      await sleep(3000);
      env.proxy.setMode('refuse');
      await sleep(3000);
      await env.fleet.all('run', { running: false });
      await env.now();
      const reports = await env.stopFleet({ flush: false });
      const byKey = new Map(reports.flatMap((r) => r.installs).map((s) => [s.key, s]));
      env.installs.forEach((inst, i) => {
        const c = CORRUPTIONS[i];
        const s = byKey.get(inst.key).stats;
        // What the damaged file held: events not yet sent and the day's held sample.
        const atStake = s.queued + s.held;
        if (c.destroys) destroyedBound += atStake;
        c.apply(join(inst.dataDir, 'outbox.sqlite'));
        damaged.push({ install: inst.key, corruption: c.name, eventsInFile: atStake });
      });
      env.proxy.setMode('pass');
      await env.startFleet();
      await sleep(6000);
      return { damaged };
    },
  });
  const setAside = run.merged.map((m) => ({ key: m.key, warnings: m.summary.lifetimes.at(-1).warnings ?? {}, storage: m.summary.lifetimes.at(-1).stats?.storage }));
  const fatalInstalls = setAside.filter((_, i) => CORRUPTIONS[i].detectable);
  return row(run, {
    id: 'corrupt-outbox',
    title: 'Corrupt outbox file',
    faults: `the outbox of each of ${CORRUPTIONS.length} installs damaged while the host was down, with events waiting in it: ${CORRUPTIONS.map((c) => c.name).join('; ')}`,
    destroyed: destroyedBound,
    // A destroyed file takes the SDK's lifetime counters with it; the books start again at the restart.
    skipBooks: true,
    bars: [
      bar('every file that is not an outbox was set aside and replaced, with a warning', fatalInstalls.every((s) => (s.warnings.OUTBOX_SET_ASIDE ?? 0) > 0 || (s.warnings.STORAGE_ERROR ?? 0) > 0), fatalInstalls.map((s) => `${s.key}: ${JSON.stringify(s.warnings)}`).join('; ')),
      bar('storage works again after the restart', setAside.every((s) => s.storage === 'ok'), setAside.map((s) => `${s.key}: ${s.storage}`).join(', ')),
      bar('nothing is lost beyond what the damaged files held', run.cmp.missing <= destroyedBound, `${run.cmp.missing} missing; the damaged files held at most ${destroyedBound}`),
    ],
  });
}

async function clockJumps(ctx) {
  const p = ctx.params.faults;
  const H = 3_600_000;
  const deltas = [26 * H, -50 * H, 7 * H, -3 * H, 72 * H, -H / 3, 40 * H, -96 * H].slice(0, p.clockJumps);
  const applied = [];
  const run = await runFleetScenario(ctx, {
    id: 'clock-jumps',
    installs: p.installs,
    days: 14,
    workloadMs: 4000 * (deltas.length + 2),
    eventsPerSecondPerInstall: 2,
    async fault(env) {
      const floor = env.todayStart - 20 * DAY_MS;
      for (const d of deltas) {
        await sleep(3000 + Math.random() * 2000);
        const now = (await env.fleet.all('stats'))[0].now;
        const to = Math.min(env.capMs - H, Math.max(floor, now + d));
        await env.fleet.all('clock', { simMs: to, speed: env.speed, capMs: env.capMs });
        applied.push({ from: new Date(now).toISOString().slice(0, 16), to: new Date(to).toISOString().slice(0, 16) });
      }
      await sleep(3000);
      return { applied };
    },
  });
  return row(run, {
    id: 'clock-jumps',
    title: 'Clock jumps backwards and forwards',
    faults: `${applied.length} jumps of the hosts' clock (${deltas.map((d) => `${d > 0 ? '+' : '−'}${Math.abs(d / H) >= 1 ? `${Math.abs(d / H)} h` : `${Math.abs(d / 60_000)} min`}`).join(', ')}) within the collector's window`,
  });
}

async function clockAhead(ctx) {
  let jumped = null;
  const run = await runFleetScenario(ctx, {
    id: 'clock-ahead',
    installs: 3,
    days: 2,
    workloadMs: 14_000,
    eventsPerSecondPerInstall: 2,
    allowHeld: true,
    async fault(env) {
      await sleep(4000);
      // Two days ahead of the collector (beyond its clock-skew tolerance), then back.
      jumped = env.todayStart + 2 * DAY_MS + 3_600_000;
      await env.fleet.all('clock', { simMs: jumped, speed: 1 });
      await sleep(4000);
      await env.fleet.all('clock', { simMs: env.todayStart - 6 * 3_600_000, speed: 1 });
      await sleep(4000);
      return { jumpedTo: new Date(jumped).toISOString() };
    },
  });
  const rejected = run.books.rejectedByCode;
  return row(run, {
    id: 'clock-ahead',
    title: 'Clock jumps past the collector\'s window',
    faults: `the hosts' clock set to ${dayOf(jumped)} (two days ahead of the collector) for 4 s, then back`,
    allowHeld: true,
    bars: [bar('the refused batches are counted by reason', (run.books.dropped.rejected ?? 0) > 0, `rejected by the collector: ${JSON.stringify(rejected)}; held for a day that has not ended: ${run.books.held}`)],
  });
}

/** Probe batches sent straight to the collector; their answers and keys, checked against the store at the end. */
async function probe(env, phase, n) {
  const out = [];
  const day = dayOf(Date.now());
  for (let i = 0; i < n; i++) {
    const b = validBatch(day);
    env.probePseudonyms.add(b.pseudonym);
    const res = await postBatch(env.collector.url, b);
    out.push({ phase, status: res.status, code: errorCode(res), batchKey: b.batchKey });
  }
  return out;
}

function probeBars(probes, keys, faultPhase) {
  const during = probes.filter((p) => p.phase === faultPhase);
  const false202 = probes.filter((p) => p.status === 202 && !keys.has(p.batchKey));
  const storedWhileRefused = probes.filter((p) => p.status !== 202 && keys.has(p.batchKey));
  const after = probes.filter((p) => p.phase === 'after');
  return [
    bar('503 while the store cannot commit', during.length > 0 && during.every((p) => p.status === 503 && p.code === 'STORE_UNAVAILABLE'), `${during.length} probe batches: ${JSON.stringify(countBy(during, (p) => `${p.status} ${p.code}`))}`),
    bar('never a false 202', false202.length === 0 && storedWhileRefused.length === 0, `${false202.length} acknowledged batches missing from the store; ${storedWhileRefused.length} refused batches stored anyway`),
    bar('202 again once the store recovers', after.length > 0 && after.every((p) => p.status === 202), `${after.length} probe batches after: ${JSON.stringify(countBy(after, (p) => p.status))}`),
  ];
}

function countBy(list, f) {
  const out = {};
  for (const x of list) out[f(x)] = (out[f(x)] ?? 0) + 1;
  return out;
}

async function storeLocked(ctx) {
  const probes = [];
  let holderExit = null;
  const run = await runFleetScenario(ctx, {
    id: 'store-locked',
    installs: 6,
    days: 2,
    workloadMs: 20_000,
    eventsPerSecondPerInstall: 2,
    async fault(env) {
      await sleep(3000);
      probes.push(...(await probe(env, 'before', 3)));
      await env.stopCollector();
      // Another process (an operator's DuckDB shell, a backup tool) holds the database file.
      const path = join(env.collectorDir, 'candor.duckdb');
      const holder = spawn(process.execPath, ['--input-type=module', '-e', `const { DuckDBInstance } = await import('@duckdb/node-api'); const db = await DuckDBInstance.create(${JSON.stringify(path)}); await db.connect(); console.log('locked'); setInterval(() => {}, 1000);`], {
        cwd: ctx.snapshot.root,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      holderExit = new Promise((resolve) => holder.once('exit', resolve));
      await new Promise((resolve, reject) => {
        holder.stdout.on('data', (d) => d.toString().includes('locked') && resolve());
        holder.once('exit', () => reject(new Error('the lock holder exited')));
      });
      await env.startCollector({ expectUnready: true });
      env.starts.at(-1).expectedUnready = true;
      for (let i = 0; i < 6; i++) {
        probes.push(...(await probe(env, 'during', 1)));
        await sleep(1000);
      }
      holder.kill('SIGKILL');
      await holderExit;
      const ready = await waitReady(env.collector.url, 60_000);
      env.starts.at(-1).ready = ready;
      probes.push(...(await probe(env, 'after', 3)));
      await sleep(4000);
      return { ready };
    },
  });
  const keys = await readBatchKeys(join(run.env.collectorDir, 'candor.duckdb'));
  return row(run, {
    id: 'store-locked',
    title: "Collector's database locked",
    faults: 'the collector restarted while another process held its DuckDB file, for 6 s; then the holder went away',
    badInputs: `${probes.length} probe batches sent straight to the collector`,
    bars: probeBars(probes, keys, 'during'),
  });
}

async function storeReadOnly(ctx) {
  const probes = [];
  const method = readOnlyMethod(dir(join(ctx.work, 'read-only-fs')));
  let collectorDir = null;
  const run = await runFleetScenario(ctx, {
    id: 'store-read-only',
    installs: 6,
    days: 2,
    workloadMs: 22_000,
    eventsPerSecondPerInstall: 2,
    async prepare(env) {
      collectorDir = env.collectorDir;
      if (method.prepare) method.prepare(env.collectorDir);
    },
    async fault(env) {
      await sleep(3000);
      probes.push(...(await probe(env, 'before', 3)));
      if (method.trip) {
        method.trip(env.collectorDir);
        // Commits in flight at that instant may still finish; the probes count from the first refusal.
        await waitFor(async () => (await probe(env, 'settling', 1))[0].status === 503, 15_000, 300);
        for (let i = 0; i < 6; i++) {
          probes.push(...(await probe(env, 'during', 1)));
          await sleep(1000);
        }
        await env.stopCollector();
        method.repair(env.collectorDir);
        await env.startCollector();
      } else {
        await env.stopCollector();
        method.beforeStart?.(env.collectorDir);
        await env.startCollector({ wrap: method.wrapReadOnly?.(env.collectorDir), expectUnready: true });
        env.starts.at(-1).expectedUnready = true;
        for (let i = 0; i < 6; i++) {
          probes.push(...(await probe(env, 'during', 1)));
          await sleep(1000);
        }
        method.makeWritable(env.collector.pid, env.collectorDir);
        env.starts.at(-1).ready = await waitReady(env.collector.url, 60_000);
      }
      probes.push(...(await probe(env, 'after', 3)));
      await sleep(4000);
      return { method: method.method };
    },
  });
  const keys = await readBatchKeys(join(collectorDir, 'candor.duckdb'));
  if (method.release) {
    // The data-minimization search reads a copy; the file system image goes away.
    const copy = dir(join(ctx.work, 'store-read-only', 'collector-copy'));
    cpSync(collectorDir, copy, { recursive: true, filter: (src) => !src.endsWith('lost+found') });
    method.release(collectorDir);
    ctx.track.collectorDirs[ctx.track.collectorDirs.indexOf(collectorDir)] = copy;
  }
  const settling = probes.filter((p) => p.phase === 'settling');
  return row(run, {
    id: 'store-read-only',
    title: "Collector's database read-only",
    faults: `${method.describe}; refused for 6 s under load`,
    badInputs: `${probes.length} probe batches sent straight to the collector`,
    bars: [
      ...probeBars(probes.filter((p) => p.phase !== 'settling'), keys, 'during'),
      bar('answers while the change took effect were honest', settling.every((p) => (p.status === 202) === keys.has(p.batchKey)), `${settling.length} probes until the first refusal: ${JSON.stringify(countBy(settling, (p) => p.status))}`),
    ],
  });
}
