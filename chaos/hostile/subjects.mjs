// Replays of batches the SDK really sent, and forged or guessed pseudonyms in deletion and
// export requests. Only an exact pseudonym may export or delete anything; a replayed batch
// key stores nothing twice, even after its data was deleted.
import { gzipSync } from 'node:zlib';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { LIMITS, dayOf } from '@candor/protocol';
import { hex, httpRequest, postBatch } from '../lib/http.mjs';
import { codeOf, judgeRefusal, pool } from './verdicts.mjs';

const DAY_MS = 86_400_000;

function subject(url, kind, body, localAddress) {
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return httpRequest({ url: `${url}/v1/subjects/${kind}`, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(raw.length) }, body: raw, ...(localAddress ? { localAddress } : {}) });
}

async function exported(url, pseudonyms) {
  const res = await subject(url, 'export', { catalogId: 'media-server', pseudonyms });
  if (res.status !== 200) throw new Error(`export answered ${res.status}: ${res.text.slice(0, 200)}`);
  return JSON.parse(res.text).events;
}

/**
 * Replays captured batches exactly, re-keyed, out of date, and after a deletion.
 * @param {{ url: string, captured: string[] }} o captured: exact bodies the SDK sent and the collector acknowledged
 */
export async function replays(o) {
  const batches = o.captured.map((t) => JSON.parse(t));
  const pseudonyms = [...new Set(batches.map((b) => b.pseudonym))];
  const before = (await exported(o.url, pseudonyms)).length;
  const exact = await pool(o.captured, 4, (text) => postBatch(o.url, text));
  const afterExact = (await exported(o.url, pseudonyms)).length;
  const exactDuplicates = exact.filter((r) => r.status === 202 && JSON.parse(r.text).duplicate === true).length;

  // The same events under fresh keys: indistinguishable from new reports, so the per-day bounds must hold them.
  const rekeyed = await pool(batches, 4, (b) => postBatch(o.url, { ...b, batchKey: hex(16) }));
  const afterRekeyed = await exported(o.url, pseudonyms);
  const perDay = new Map();
  for (const e of afterRekeyed) perDay.set(`${e.pseudonym}|${e.name}`, (perDay.get(`${e.pseudonym}|${e.name}`) ?? 0) + 1);
  const overBound = [...perDay].filter(([k, n]) => n > mediaServerCatalog.events[k.split('|')[1]].maxPerPeriod).length;
  const bounded = rekeyed.reduce((n, r) => n + (r.status === 202 ? JSON.parse(r.text).bounded : 0), 0);

  // A batch whose period ended long ago (40 days): refused, whatever its key.
  const old = dayOf(Date.now() - 40 * DAY_MS);
  const stale = await pool(batches.slice(0, 5), 4, (b) => postBatch(o.url, { ...b, period: old, batchKey: hex(16), events: b.events.map((e) => ({ ...e, time: old })) }));

  // Deletion, then the original batch again: its key is remembered, so nothing comes back.
  const victim = batches[0];
  const del = await subject(o.url, 'delete', { catalogId: 'media-server', pseudonyms: [victim.pseudonym] });
  const replayAfterDelete = await postBatch(o.url, o.captured[0]);
  const afterDelete = (await exported(o.url, [victim.pseudonym])).length;

  return {
    captured: o.captured.length,
    storedBefore: before,
    exact: { sent: exact.length, duplicates: exactDuplicates, storedAfter: afterExact },
    rekeyed: { sent: rekeyed.length, accepted: rekeyed.filter((r) => r.status === 202).length, storedAfter: afterRekeyed.length, bounded, overBound },
    stale: { sent: stale.length, verdicts: stale.map((r) => judgeRefusal(r, { codes: ['PERIOD_TOO_OLD'] })) },
    afterDeletion: { deleteStatus: del.status, replayStatus: replayAfterDelete.status, replayDuplicate: replayAfterDelete.status === 202 && JSON.parse(replayAfterDelete.text).duplicate === true, storedAfter: afterDelete },
  };
}

/**
 * Forged, guessed and malformed pseudonyms, then the exact ones.
 * @param {{ url: string, real: string[], guesses: number }} o real: pseudonyms that have data stored
 */
export async function pseudonymAttacks(o) {
  const target = o.real[0];
  const watched = o.real.slice(0, 50);
  const storedBefore = (await exported(o.url, watched)).length;
  // Guessing: requests full of random pseudonyms, to export and to delete.
  const guesses = [];
  for (let i = 0; i < o.guesses; i++) {
    const batch = Array.from({ length: LIMITS.maxPseudonymsPerRequest }, () => hex(32));
    const ex = await subject(o.url, 'export', { catalogId: 'media-server', pseudonyms: batch });
    const del = await subject(o.url, 'delete', { catalogId: 'media-server', pseudonyms: batch });
    guesses.push({ exportStatus: ex.status, exported: ex.status === 200 ? JSON.parse(ex.text).events.length : -1, deleteStatus: del.status, deleted: del.status === 200 ? JSON.parse(del.text).deleted : -1 });
  }
  // Near misses: the real pseudonym with one hex digit changed.
  const near = [];
  for (const pos of [0, 17, 40, 63]) {
    const c = target[pos];
    const forged = target.slice(0, pos) + (c === 'f' ? '0' : (parseInt(c, 16) + 1).toString(16)) + target.slice(pos + 1);
    const ex = await subject(o.url, 'export', { catalogId: 'media-server', pseudonyms: [forged] });
    const del = await subject(o.url, 'delete', { catalogId: 'media-server', pseudonyms: [forged] });
    near.push({ exported: ex.status === 200 ? JSON.parse(ex.text).events.length : -1, deleted: del.status === 200 ? JSON.parse(del.text).deleted : -1 });
  }
  const storedAfterGuesses = (await exported(o.url, watched)).length;
  // Malformed: each must be refused before anything is looked up.
  const malformed = [
    ['upper-case', { catalogId: 'media-server', pseudonyms: [target.toUpperCase()] }, 'INVALID_SUBJECT_REQUEST'],
    ['65 characters', { catalogId: 'media-server', pseudonyms: [`${target}0`] }, 'INVALID_SUBJECT_REQUEST'],
    ['63 characters (a prefix)', { catalogId: 'media-server', pseudonyms: [target.slice(1)] }, 'INVALID_SUBJECT_REQUEST'],
    ['padded with a space', { catalogId: 'media-server', pseudonyms: [` ${target}`] }, 'INVALID_SUBJECT_REQUEST'],
    ['SQL wildcard', { catalogId: 'media-server', pseudonyms: [`${target.slice(0, 32)}%`] }, 'INVALID_SUBJECT_REQUEST'],
    ['SQL injection', { catalogId: 'media-server', pseudonyms: ["' OR '1'='1"] }, 'INVALID_SUBJECT_REQUEST'],
    ['1,001 pseudonyms', { catalogId: 'media-server', pseudonyms: Array.from({ length: 1001 }, () => hex(32)) }, 'INVALID_SUBJECT_REQUEST'],
    ['the same pseudonym twice', { catalogId: 'media-server', pseudonyms: [target, target] }, 'INVALID_SUBJECT_REQUEST'],
    ['no pseudonyms', { catalogId: 'media-server', pseudonyms: [] }, 'INVALID_SUBJECT_REQUEST'],
    ['an unknown category', { catalogId: 'media-server', pseudonyms: [target], categories: ['everything'] }, 'INVALID_SUBJECT_REQUEST'],
    ['another catalog', { catalogId: 'other-catalog', pseudonyms: [target] }, 'UNKNOWN_CATALOG'],
    ['a pseudonym as a number', { catalogId: 'media-server', pseudonyms: [1] }, 'INVALID_SUBJECT_REQUEST'],
    ['an extra key', { catalogId: 'media-server', pseudonyms: [target], all: true }, 'INVALID_SUBJECT_REQUEST'],
  ];
  const refusals = [];
  for (const [name, body, code] of malformed) {
    for (const kind of ['export', 'delete']) refusals.push({ name: `${kind}: ${name}`, verdict: judgeRefusal(await subject(o.url, kind, body), { codes: [code] }) });
  }
  refusals.push({ name: 'delete: gzip body', verdict: judgeRefusal(await httpRequest({ url: `${o.url}/v1/subjects/delete`, method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync('{"catalogId":') }), { codes: ['MALFORMED_BODY'] }) });
  const storedAfterMalformed = (await exported(o.url, watched)).length;
  // The exact pseudonym works: its owner's events come back, then go.
  const own = await exported(o.url, [target]);
  const delUsage = await subject(o.url, 'delete', { catalogId: 'media-server', pseudonyms: [target], categories: ['usage'] });
  const afterUsage = await exported(o.url, [target]);
  const delAll = await subject(o.url, 'delete', { catalogId: 'media-server', pseudonyms: [target] });
  const afterAll = await exported(o.url, [target]);
  return {
    storedBefore,
    guesses: { requests: guesses.length * 2, pseudonyms: guesses.length * LIMITS.maxPseudonymsPerRequest * 2, exported: guesses.reduce((n, g) => n + Math.max(0, g.exported), 0), deleted: guesses.reduce((n, g) => n + Math.max(0, g.deleted), 0), allAnswered: guesses.every((g) => g.exportStatus === 200 && g.deleteStatus === 200) },
    nearMisses: { tried: near.length * 2, exported: near.reduce((n, x) => n + Math.max(0, x.exported), 0), deleted: near.reduce((n, x) => n + Math.max(0, x.deleted), 0) },
    storedAfterGuesses,
    refusals,
    storedAfterMalformed,
    exact: {
      exported: own.length,
      usageDeleted: delUsage.status === 200 ? JSON.parse(delUsage.text).deleted : -1,
      usageLeft: afterUsage.filter((e) => ['server.daily', 'consent.daily', 'client.session'].includes(e.name)).length,
      otherKept: afterUsage.length,
      allDeleted: delAll.status === 200 ? JSON.parse(delAll.text).deleted : -1,
      left: afterAll.length,
    },
  };
}

/** The default limit on subject requests per client address per hour, probed from a fresh address until it refuses. */
export async function subjectRateLimit(url, limit, localAddress) {
  const answers = [];
  for (let i = 0; i < limit + 2; i++) answers.push(await subject(url, 'export', { catalogId: 'media-server', pseudonyms: [hex(32)] }, localAddress));
  const firstRefused = answers.findIndex((r) => r.status === 429);
  return { sent: answers.length, firstRefusedAt: firstRefused + 1, verdict: firstRefused < 0 ? { ok: false, why: 'never refused' } : judgeRefusal(answers[firstRefused], { codes: ['RATE_LIMITED'] }), retryAfter: firstRefused < 0 ? null : answers[firstRefused].headers['retry-after'], code: firstRefused < 0 ? null : codeOf(answers[firstRefused]) };
}
