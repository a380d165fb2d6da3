// Scenario 3, hostile input: a real collector process (rate limits off, so that every request
// reaches the code it attacks) takes fuzzing, slow and oversized requests, replays, forged
// pseudonyms and forged admin tokens; then a collector run in-process with the dashboard and
// a privacy tab (default rate limits) takes CSRF, clickjacking and prototype pollution, and
// is inspected from inside. Each group of attacks is one row of the table.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LIMITS } from '@candor/protocol';
import { CHAOS_ADMIN_TOKEN, startCollectorProcess } from '../lib/collector-process.mjs';
import { httpRequest, postBatch, validBatch } from '../lib/http.mjs';
import { startFleet, startInstallHost } from '../lib/install-fleet.mjs';
import { bar, dir, fmt, sleep } from '../lib/util.mjs';
import { adminTokens } from '../hostile/admin.mjs';
import { fuzzEndpoints, fuzzMutations } from '../hostile/fuzz.mjs';
import { oversized, slowloris } from '../hostile/slow.mjs';
import { pseudonymAttacks, replays, subjectRateLimit } from '../hostile/subjects.mjs';
import { tallyText } from '../hostile/verdicts.mjs';
import { browserAttacks, csrfAndFraming, prototypePollution } from '../hostile/web.mjs';
import { dayOf } from '@candor/protocol';

const NA = '—';

/** Batches the installs' sent logs say were delivered: the exact bytes the SDK sent. */
function capturedBatches(dataDirs) {
  const out = [];
  for (const d of dataDirs) {
    const db = new Database(join(d, 'outbox.sqlite'), { readonly: true, fileMustExist: true });
    try {
      for (const r of db.prepare("SELECT body FROM sent_log WHERE kind = 'batch' AND status = 'delivered' ORDER BY id").all()) out.push(r.body);
    } finally {
      db.close();
    }
  }
  return out;
}

/**
 * Runs the hostile scenario.
 * @param {object} ctx the run context
 */
export async function runHostile(ctx) {
  const p = ctx.params.hostile;
  const base = dir(join(ctx.work, 'hostile'));
  const collectorDir = dir(join(base, 'collector'));
  const collectorLog = join(base, 'collector.log');
  ctx.track.collectorDirs.push(collectorDir);
  ctx.track.collectorLogs.push(collectorLog);
  // The short run shortens the collector's timeouts so that slowloris finishes quickly; the full run keeps the defaults.
  const requestTimeoutMs = ctx.short ? 4000 : 30_000;
  const timeouts = ctx.short ? { CANDOR_HEADERS_TIMEOUT_MS: '2000', CANDOR_REQUEST_TIMEOUT_MS: String(requestTimeoutMs) } : {};
  const collector = await startCollectorProcess({ cliBin: ctx.snapshot.cliBin, dataDir: collectorDir, logFile: collectorLog, env: { CANDOR_SUBJECTS_PER_HOUR: '0', CANDOR_STATS_PER_MINUTE: '0', ...timeouts } });
  let exited = null;
  void collector.exited.then((e) => (exited = e));

  // Real batches to replay and mutate: a few real SDK clients report for a few seconds.
  // Their clock runs 600 times fast through the last two hours, so that each sends a batch a second.
  const installs = Array.from({ length: 5 }, (_, i) => ({ key: `hostile-capture-${i}`, dataDir: join(base, 'installs', `install-${i}`), seed: 9000 + i }));
  ctx.track.installDirs.push(...installs.map((i) => i.dataDir));
  const t0 = Date.now();
  const fleet = await startFleet({ chaosDir: ctx.snapshot.chaosDir, logDir: base, hosts: 1, installs, init: { clock: { simMs: t0 - 7_200_000, speed: 600, capMs: t0 }, endpoint: collector.url, libraryFile: ctx.libraryFile, eventsPerSecond: 6 } });
  await fleet.all('run', { running: true });
  await sleep(6000);
  await fleet.all('run', { running: false });
  await fleet.all('flush', { timeoutMs: 60_000, allowHeld: true });
  await fleet.all('shutdown', { flush: true });
  await fleet.close();
  const captured = capturedBatches(installs.map((i) => i.dataDir));
  ctx.log(`hostile: ${captured.length} real batches captured`);

  const nowMs = Date.now();
  const fuzz = await fuzzEndpoints({ url: collector.url, runs: p.fuzzRuns, seed: 1129, nowMs });
  ctx.log(`hostile: fuzz ${fuzz.sent} requests, ${fuzz.violationCount} violations`);
  const mutation = await fuzzMutations({ url: collector.url, captured, runs: p.mutationRuns, seed: 2026, nowMs });
  ctx.log(`hostile: mutations ${mutation.sent} requests, ${mutation.violationCount} violations`);
  const slow = await slowloris({ url: collector.url, port: collector.port, clients: p.slowClients, timeoutMs: requestTimeoutMs });
  const big = await oversized(collector.url);
  const replay = await replays({ url: collector.url, captured });
  const real = [...new Set(captured.map((t) => JSON.parse(t).pseudonym))].slice(1);
  const pseudo = await pseudonymAttacks({ url: collector.url, real, guesses: p.guesses });
  const admin = await adminTokens({ url: collector.url, token: CHAOS_ADMIN_TOKEN });
  const health = await httpRequest({ url: `${collector.url}/healthz` });
  const lastBatch = await postBatch(collector.url, validBatch(dayOf(Date.now())));
  const survived = exited === null && health.status === 200 && lastBatch.status === 202;
  const aliveDetail = `process ${exited === null ? 'alive' : `exited ${JSON.stringify(exited)}`}; healthz ${health.status}; a valid batch afterwards ${lastBatch.status}`;
  const stop = await collector.stop();
  ctx.log('hostile: collector process done; in-process target next');

  // The in-process target: collector + dashboard + SDK + privacy tab in one process.
  const targetDir = dir(join(base, 'inproc'));
  const targetLog = join(base, 'inproc.log');
  ctx.track.collectorDirs.push(targetDir);
  ctx.track.collectorLogs.push(targetLog);
  ctx.track.installDirs.push(join(targetDir, 'sdk'));
  const target = await startInstallHost({ chaosDir: ctx.snapshot.chaosDir, logFile: join(base, 'inproc-stdout.log'), script: 'inproc-target.mjs' });
  let web;
  let browser;
  let pollution;
  let rate;
  try {
    const ports = await target.call('start', { dir: targetDir, logFile: targetLog, adminToken: CHAOS_ADMIN_TOKEN });
    const ipc = (cmd, args) => target.call(cmd, args);
    const tabOrigin = `http://localhost:${ports.tabPort}`;
    const collectorUrl = `http://127.0.0.1:${ports.collectorPort}`;
    web = await csrfAndFraming({ tab: `${tabOrigin}/privacy`, dashboard: `${collectorUrl}/dashboard`, adminToken: CHAOS_ADMIN_TOKEN, ipc });
    browser = await browserAttacks({ tabOrigin, dashboardOrigin: collectorUrl, ipc });
    pollution = await prototypePollution({ collector: collectorUrl, tab: `${tabOrigin}/privacy`, dashboard: `${collectorUrl}/dashboard`, adminToken: CHAOS_ADMIN_TOKEN, ipc });
    rate = await subjectRateLimit(collectorUrl, 60, '127.66.6.9');
    await target.call('close');
  } finally {
    await target.close();
  }

  const survivedBar = bar('the collector survived every attack (one process throughout) and still stores', survived && stop.code === 0, `${aliveDetail}; exit code at SIGTERM ${stop.code}`);
  const violationDetail = (f) => (f.violationCount === 0 ? `0 of ${fmt(f.sent)} answers broke a rule` : `${f.violationCount} answers broke a rule, first: ${f.violations.slice(0, 3).map((v) => `${v.request} → ${v.why}`).join('; ')}`);
  const rows = [];
  rows.push({
    id: 'fuzz',
    title: 'Fuzzing every collector endpoint (fast-check)',
    load: `${fmt(fuzz.sent)} generated requests to all ${9} endpoints (methods, paths, headers, encodings, bodies), seed ${fuzz.seed}`,
    faults: NA,
    badInputs: `${fmt(fuzz.sent - fuzz.validSent)} invalid; answers: ${tallyText(fuzz.statuses)}`,
    accepted: fuzz.validSent,
    delivered: NA,
    lost: NA,
    duplicated: NA,
    bars: [bar('no 5xx on bad input', fuzz.fiveHundreds === 0, `${fuzz.fiveHundreds} answers ≥ 500`), bar('every refusal names a documented code with its status; nothing invalid accepted', fuzz.violationCount === 0, violationDetail(fuzz)), survivedBar],
    details: fuzz,
  });
  rows.push({
    id: 'mutation',
    title: 'Mutation fuzzing of real batches',
    load: `${fmt(mutation.sent)} mutants of ${captured.length} batches the SDK sent (bytes, JSON values and keys, gzip), seed ${mutation.seed}`,
    faults: NA,
    badInputs: `${fmt(mutation.sent - mutation.validSent)} invalid; answers: ${tallyText(mutation.statuses)}`,
    accepted: mutation.validSent,
    delivered: NA,
    lost: NA,
    duplicated: NA,
    bars: [bar('no 5xx on bad input', mutation.fiveHundreds === 0, `${mutation.fiveHundreds} answers ≥ 500`), bar('every refusal names a documented code with its status; nothing invalid accepted', mutation.violationCount === 0, violationDetail(mutation))],
    details: mutation,
  });
  const bigBad = big.filter((b) => !b.verdict.ok);
  rows.push({
    id: 'slow',
    title: 'Slowloris, oversized headers and bodies',
    load: `${slow.clients} slow connections (headers or body at 1 byte/s) while a client sent ${slow.legitSent} batches`,
    faults: NA,
    badInputs: `${slow.clients} slow requests; ${big.length} oversized: ${big.map((b) => `${b.name} → ${b.status} ${b.code ?? ''}`).join('; ')}`,
    accepted: slow.legitAccepted,
    delivered: NA,
    lost: NA,
    duplicated: NA,
    bars: [
      bar('every slow connection cut by the collector with 408', slow.closedByServer === slow.clients && slow.answered408 === slow.clients && slow.longestHeldMs < requestTimeoutMs * 2 + 5000, `${slow.closedByServer} of ${slow.clients} closed, ${slow.answered408} with 408 REQUEST_TIMEOUT, longest held ${fmt(slow.longestHeldMs)} ms (request timeout ${fmt(requestTimeoutMs)} ms)`),
      bar('batches kept flowing during the attack', slow.legitAccepted === slow.legitSent, `${slow.legitAccepted} of ${slow.legitSent} accepted, slowest ${fmt(slow.legitSlowestMs)} ms`),
      bar('every oversized request refused with its own 4xx', bigBad.length === 0, bigBad.length === 0 ? big.map((b) => b.verdict.why).join('; ') : bigBad.map((b) => `${b.name}: ${b.verdict.why}`).join('; ')),
    ],
    details: { slow, big },
  });
  const staleBad = replay.stale.verdicts.filter((v) => !v.ok);
  rows.push({
    id: 'replay',
    title: 'Replays of old batches',
    load: `${replay.captured} batches the SDK sent, replayed as they were, under new keys, 40 days late, and after a deletion`,
    faults: NA,
    badInputs: `${replay.exact.sent + replay.rekeyed.sent + replay.stale.sent + 1} replays`,
    accepted: replay.storedBefore,
    delivered: replay.exact.storedAfter,
    lost: NA,
    duplicated: replay.exact.storedAfter - replay.storedBefore,
    bars: [
      bar('an exact replay stores nothing twice', replay.exact.duplicates === replay.exact.sent && replay.exact.storedAfter === replay.storedBefore, `${replay.exact.duplicates} of ${replay.exact.sent} answered as duplicates; events stored ${replay.storedBefore} → ${replay.exact.storedAfter}`),
      bar('a replay under new keys stays within the per-day bounds', replay.rekeyed.overBound === 0, `${replay.rekeyed.accepted} of ${replay.rekeyed.sent} taken as new reports; ${replay.rekeyed.bounded} events over a bound kept out; events stored ${replay.exact.storedAfter} → ${replay.rekeyed.storedAfter}; 0 pseudonym-days above their bound: ${replay.rekeyed.overBound === 0}`),
      bar('a replay 40 days late is refused (PERIOD_TOO_OLD)', staleBad.length === 0, staleBad.length === 0 ? `${replay.stale.sent} refused` : staleBad.map((v) => v.why).join('; ')),
      bar('a deletion holds against a replay of the deleted batch', replay.afterDeletion.replayDuplicate && replay.afterDeletion.storedAfter === 0, `delete ${replay.afterDeletion.deleteStatus}; replay ${replay.afterDeletion.replayStatus}${replay.afterDeletion.replayDuplicate ? ' (duplicate)' : ''}; events left ${replay.afterDeletion.storedAfter}`),
    ],
    details: replay,
  });
  const refusedBad = pseudo.refusals.filter((r) => !r.verdict.ok);
  rows.push({
    id: 'pseudonyms',
    title: 'Forged and guessed pseudonyms (deletion, export)',
    load: `${fmt(pseudo.guesses.pseudonyms)} random pseudonyms in ${pseudo.guesses.requests} requests; ${pseudo.nearMisses.tried} one-digit forgeries; ${pseudo.refusals.length} malformed`,
    faults: NA,
    badInputs: `${pseudo.guesses.requests + pseudo.nearMisses.tried + pseudo.refusals.length} forged requests`,
    accepted: pseudo.storedBefore,
    delivered: pseudo.storedAfterMalformed,
    lost: pseudo.storedBefore - pseudo.storedAfterMalformed,
    duplicated: NA,
    bars: [
      bar('guessed pseudonyms export and delete nothing', pseudo.guesses.allAnswered && pseudo.guesses.exported === 0 && pseudo.guesses.deleted === 0, `${pseudo.guesses.exported} events exported, ${pseudo.guesses.deleted} deleted`),
      bar('a pseudonym one digit off exports and deletes nothing', pseudo.nearMisses.exported === 0 && pseudo.nearMisses.deleted === 0, `${pseudo.nearMisses.exported} exported, ${pseudo.nearMisses.deleted} deleted`),
      bar('malformed pseudonyms refused with the right 4xx', refusedBad.length === 0, refusedBad.length === 0 ? `${pseudo.refusals.length} refused` : refusedBad.map((r) => `${r.name}: ${r.verdict.why}`).join('; ')),
      bar('the data of real pseudonyms untouched by all of it', pseudo.storedAfterGuesses === pseudo.storedBefore && pseudo.storedAfterMalformed === pseudo.storedBefore, `${pseudo.storedBefore} → ${pseudo.storedAfterGuesses} → ${pseudo.storedAfterMalformed}`),
      bar('the exact pseudonym exports and deletes (category, then all)', pseudo.exact.exported > 0 && pseudo.exact.usageDeleted > 0 && pseudo.exact.usageLeft === 0 && pseudo.exact.left === 0, `exported ${pseudo.exact.exported}; usage deleted ${pseudo.exact.usageDeleted} (${pseudo.exact.otherKept} others kept); then ${pseudo.exact.allDeleted} deleted, ${pseudo.exact.left} left`),
      bar('subject requests are rate-limited per address (default 60 per hour)', rate?.verdict.ok && rate.firstRefusedAt === 61, rate ? `request ${rate.firstRefusedAt} refused: ${rate.verdict.why}, Retry-After ${rate.retryAfter} s` : 'not run'),
    ],
    details: { ...pseudo, rate, odds: guessingOdds() },
  });
  const adminBad = admin.cases.filter((c) => !c.verdict.ok);
  rows.push({
    id: 'admin',
    title: 'Admin endpoints without the token',
    load: `${admin.cases.length} requests to /v1/stats and /v1/stats/active; 1 with the token (control: ${admin.control})`,
    faults: NA,
    badInputs: `${admin.cases.length} forged or missing tokens`,
    accepted: NA,
    delivered: NA,
    lost: NA,
    duplicated: NA,
    bars: [bar('every request without the token refused with 401 UNAUTHORIZED', adminBad.length === 0, adminBad.length === 0 ? `${admin.cases.length} refused` : adminBad.map((c) => `${c.name}: ${c.verdict.why}`).join('; ')), bar('the token itself works (control)', admin.control === 200, `${admin.control}`)],
    details: admin,
  });
  const webChecks = [...(web ?? []), ...(browser ?? [])];
  const webBad = webChecks.filter((c) => !c.ok);
  rows.push({
    id: 'web',
    title: 'CSRF and clickjacking (privacy tab, dashboard)',
    load: `${webChecks.length} checks over HTTP and from an attacker's pages in Chromium`,
    faults: NA,
    badInputs: `${(web ?? []).filter((c) => !/control/.test(c.name)).length} forged requests and frames; 2 attacker pages`,
    accepted: NA,
    delivered: NA,
    lost: NA,
    duplicated: NA,
    bars: [bar('every forged change refused, every page unframeable by other sites', webChecks.length > 0 && webBad.length === 0, webBad.length === 0 ? `${webChecks.length} checks hold` : webBad.map((c) => `${c.name}: ${c.why}`).join('; '))],
    details: { checks: webChecks },
  });
  const added = pollution ? Object.keys(pollution.prototypes.added) : [];
  rows.push({
    id: 'pollution',
    title: 'Prototype pollution through every JSON input',
    load: `${pollution?.requests ?? 0} requests (batches, subject requests, statistics queries, dashboard forms, privacy tab) and ${pollution?.sdkRecords ?? 0} raw SDK events, in one process`,
    faults: NA,
    badInputs: `__proto__ and constructor.prototype payloads; answers: ${tallyText(Object.fromEntries(pollution?.statuses ?? []))}`,
    accepted: NA,
    delivered: NA,
    lost: NA,
    duplicated: NA,
    bars: [
      bar('no 5xx on bad input', pollution !== undefined && pollution.fiveHundreds.length === 0, pollution ? `${pollution.fiveHundreds.length}${pollution.fiveHundreds.length ? `: ${pollution.fiveHundreds.join('; ')}` : ''}` : 'not run'),
      bar('Object.prototype and friends untouched', pollution !== undefined && added.length === 0 && pollution.prototypes.freshObjectSees.length === 0, pollution ? `new keys: ${JSON.stringify(pollution.prototypes.added)}; a fresh object sees ${JSON.stringify(pollution.prototypes.freshObjectSees)}` : 'not run'),
      bar('collector, dashboard, privacy tab and SDK still work', pollution?.stillWorks === true, pollution?.stillWorksDetail ?? 'not run'),
    ],
    details: pollution,
  });
  return rows;
}

/** The odds of guessing a pseudonym, written down with the figures they rest on. */
export function guessingOdds() {
  const perHour = 60 * LIMITS.maxPseudonymsPerRequest;
  const perYear = perHour * 24 * 365;
  // log10 of 2^256 is 77.06.
  const log10Space = 256 * Math.log10(2);
  return {
    bits: 256,
    perGuess: '2^-256 ≈ 8.6 × 10^-78 per stored pseudonym',
    guessesPerHourPerAddress: perHour,
    guessesPerYearPerAddress: perYear,
    // A fleet of a million installs over the 400-day retention: 4 × 10^8 pseudonyms.
    log10HitPerYearPerAddressMillionInstalls: Math.log10(perYear) + Math.log10(4e8) - log10Space,
  };
}
