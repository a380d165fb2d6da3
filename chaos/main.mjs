// The chaos run: every scenario in turn, each bounded in time, then the data-minimization
// search over everything the run wrote, then the report. Started by chaos/run.mjs from a copy
// of the built packages.
//
// Options:
//   --short            the CI version: smaller and shorter; writes no document unless --out
//   --only a,b         run only these scenarios (soak, faults, hostile, minimization)
//   --out <file>       where to write the Markdown report (default docs/reliability.md for a full run)
//   --json <file>      also write the results as JSON (the CI test reads them)
//   --soak-minutes <n> override the soak's length
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { buildMediaLibrary } from './lib/media-library.mjs';
import { renderReport } from './lib/report.mjs';
import { runSoak } from './scenarios/soak.mjs';
import { runFaults } from './scenarios/faults.mjs';
import { runHostile } from './scenarios/hostile.mjs';
import { runMinimization } from './scenarios/minimization.mjs';

const FULL = {
  soak: { installs: 200, hosts: 4, minutes: 10, days: 20, eventsPerSecondPerInstall: 0.5, sampleMs: 5000 },
  faults: { installs: 24, kills: 8, killEveryMs: 6000, unreachableMs: 45_000, clockJumps: 8, parallel: false },
  hostile: { fuzzRuns: 1500, mutationRuns: 1500, slowClients: 200, guesses: 20 },
};
const SHORT = {
  soak: { installs: 200, hosts: 2, minutes: 0.5, days: 3, eventsPerSecondPerInstall: 0.3, sampleMs: 2000 },
  faults: { installs: 8, kills: 3, killEveryMs: 4000, unreachableMs: 12_000, clockJumps: 4, parallel: true },
  hostile: { fuzzRuns: 200, mutationRuns: 200, slowClients: 40, guesses: 5 },
};
const SCENARIOS = ['soak', 'faults', 'hostile', 'minimization'];

function parseArgs(argv) {
  const a = { short: false, only: SCENARIOS, out: undefined, json: undefined, soakMinutes: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--short') a.short = true;
    else if (arg === '--only') a.only = argv[++i].split(',');
    else if (arg === '--out') a.out = argv[++i];
    else if (arg === '--json') a.json = argv[++i];
    else if (arg === '--soak-minutes') a.soakMinutes = Number(argv[++i]);
    else throw new Error(`unknown argument ${arg}; see chaos/main.mjs`);
  }
  for (const s of a.only) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}; scenarios are ${SCENARIOS.join(', ')}`);
  return a;
}

/**
 * Runs the scenarios and writes the report; resolves to the process exit code: 0 when every
 * bar holds, 1 otherwise.
 */
export async function main({ argv, repoRoot, work, snapshot }) {
  const args = parseArgs(argv);
  const params = structuredClone(args.short ? SHORT : FULL);
  if (args.soakMinutes !== undefined) params.soak.minutes = args.soakMinutes;
  const started = Date.now();
  const startLoad = loadavg();
  const log = (line) => process.stderr.write(`[chaos ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  const library = buildMediaLibrary({ repoRoot, seed: 20_261_129, movies: 1200, albums: 60 });
  const libraryFile = join(work, 'media-library.json');
  writeFileSync(libraryFile, JSON.stringify(library));
  const ctx = {
    repoRoot,
    work,
    snapshot,
    short: args.short,
    params,
    library,
    libraryFile,
    log,
    // Everything the run writes that the data-minimization search must read.
    track: { collectorDirs: [], collectorLogs: [], installDirs: [], crashReports: [] },
  };
  const results = [];
  const run = async (id, fn) => {
    if (!args.only.includes(id)) return;
    const t = Date.now();
    log(`${id}: start`);
    try {
      const r = await fn(ctx);
      for (const x of Array.isArray(r) ? r : [r]) {
        x.seconds ??= (Date.now() - t) / 1000;
        results.push(x);
      }
    } catch (error) {
      log(`${id}: FAILED ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      results.push({ id, title: id, error: error instanceof Error ? error.message : String(error), bars: [{ name: 'the scenario ran to its end', pass: false, detail: String(error) }], seconds: (Date.now() - t) / 1000 });
    }
    log(`${id}: done in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  };
  await run('soak', runSoak);
  // The faults and the hostile clients each have their own collectors and installs, and mostly
  // wait: the short run overlaps them to fit CI's time; the full run keeps them apart.
  if (args.short) await Promise.all([run('faults', runFaults), run('hostile', runHostile)]);
  else {
    await run('faults', runFaults);
    await run('hostile', runHostile);
  }
  await run('minimization', runMinimization);
  const order = ['soak', 'kill-9', 'unreachable', 'disk-full', 'corrupt-outbox', 'clock-jumps', 'clock-ahead', 'store-locked', 'store-read-only', 'fuzz', 'mutation', 'slow', 'replay', 'pseudonyms', 'admin', 'web', 'pollution', 'minimization'];
  results.sort((a, b) => (order.indexOf(a.id) + 1 || 99) - (order.indexOf(b.id) + 1 || 99));

  const failed = results.flatMap((r) => r.bars.filter((b) => !b.pass).map((b) => `${r.title}: ${b.name} — ${b.detail}`));
  const meta = {
    mode: args.short ? 'short' : 'full',
    command: args.short ? 'node chaos/run.mjs --short' : 'npm run chaos',
    startedAt: new Date(started).toISOString(),
    minutes: (Date.now() - started) / 60_000,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    loadAverage: startLoad,
    loadAverageEnd: loadavg(),
    params,
  };
  const out = args.out ?? (args.short || args.only.length < SCENARIOS.length ? undefined : join(repoRoot, 'docs', 'reliability.md'));
  if (out) writeFileSync(out, renderReport({ meta, results }));
  if (args.json) writeFileSync(args.json, JSON.stringify({ meta, results, failed }, null, 2));
  for (const f of failed) log(`FAIL ${f}`);
  log(failed.length === 0 ? 'every bar holds' : `${failed.length} bar(s) failed`);
  if (out) log(`wrote ${out}`);
  return failed.length === 0 ? 0 : 1;
}
