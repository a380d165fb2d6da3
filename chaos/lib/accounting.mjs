// Source count against the store: what each install was given (and so must send, under the
// catalog's consent and linkage rules) against what the collector's store holds under that
// install's pseudonyms, event by event and day by day.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { dayOf } from '@candor/protocol';
import { pseudonymFor } from '@candor/sdk';
import { DAY_MS } from './sim-clock.mjs';

const CATALOG_ID = mediaServerCatalog.id;
const EVENTS = mediaServerCatalog.events;
const SAMPLED = Object.entries(EVENTS).filter(([, e]) => e.sampled).map(([name, e]) => ({ name, countEvent: e.sampled.countEvent }));
const PLAYBACK_EVENTS = Object.entries(EVENTS).filter(([, e]) => e.category === 'playback').map(([name]) => name);

/** Drops the SDK counts once it has accepted an event (everything after validation, consent and linkage limits). */
export const POST_ACCEPTANCE_DROPS = ['sampled_out', 'queue_full', 'expired', 'send_failed', 'rejected', 'purged', 'deleted', 'storage_error'];

/**
 * What one install must have sent, per `day|event`: the catalog's bound of reports per day,
 * a sample of at most `maxPerPeriod` for sampled events plus their count event, one consent
 * report for each day the SDK ran, and nothing of a category the owner turned off (turning
 * it off deletes what was sent).
 * @param {{ offered: Record<string, Record<string, number>>, openDays: string[], playbackOffAt: string | null }} install
 */
export function expectedEvents(install) {
  const out = new Map();
  const add = (day, event, n) => n > 0 && out.set(`${day}|${event}`, (out.get(`${day}|${event}`) ?? 0) + n);
  for (const [day, byEvent] of Object.entries(install.offered)) {
    // A day that has not ended still holds its sample; its count report is not due yet.
    const open = day === install.finalDay && install.finalDayOver === false;
    for (const [event, n] of Object.entries(byEvent)) {
      const max = EVENTS[event].maxPerPeriod;
      add(day, event, Math.min(n, max));
      const sampled = SAMPLED.find((s) => s.name === event);
      if (sampled && n > 0 && !open) add(day, sampled.countEvent, 1);
    }
  }
  for (const day of install.openDays) add(day, 'consent.daily', 1);
  if (install.playbackOffAt !== null) for (const key of [...out.keys()]) if (PLAYBACK_EVENTS.includes(key.split('|')[1])) out.delete(key);
  return out;
}

/** Reads an install's secret and computes its pseudonym for every day from `fromMs` to `toMs`. */
export function pseudonymsOf(dataDir, fromMs, toMs) {
  const secret = JSON.parse(readFileSync(join(dataDir, 'install-secret.json'), 'utf8')).secret;
  const key = Buffer.from(secret, 'hex');
  const map = new Map();
  for (let t = Math.floor(fromMs / DAY_MS) * DAY_MS; t <= toMs; t += DAY_MS) map.set(pseudonymFor(key, CATALOG_ID, dayOf(t)), dayOf(t));
  return map;
}

/**
 * Compares every install's expected events with the store's rows.
 * Rows under `foreign` pseudonyms (the harness's own probe batches) are counted apart.
 * @param {{ installs: { key: string, dataDir: string, summary: object }[], storeRows: { event: string, pseudonym: string, day: string, n: number }[], fromMs: number, toMs: number, foreign?: Set<string> }} o
 */
export function compareWithStore(o) {
  const owner = new Map();
  for (const inst of o.installs) for (const [p, day] of pseudonymsOf(inst.dataDir, o.fromMs, o.toMs)) owner.set(p, { key: inst.key, day });
  const stored = new Map(o.installs.map((i) => [i.key, new Map()]));
  let unattributed = 0;
  let periodMismatch = 0;
  let foreign = 0;
  for (const r of o.storeRows) {
    if (o.foreign?.has(r.pseudonym)) {
      foreign += r.n;
      continue;
    }
    const who = owner.get(r.pseudonym);
    if (who === undefined) {
      unattributed += r.n;
      continue;
    }
    // A pseudonym belongs to one day; an event stored under it with another day would mean the collector or SDK mixed periods.
    if (who.day !== r.day) periodMismatch += r.n;
    const m = stored.get(who.key);
    const k = `${r.day}|${r.event}`;
    m.set(k, (m.get(k) ?? 0) + r.n);
  }
  let expectedTotal = 0;
  let storedTotal = 0;
  let lost = 0;
  let duplicated = 0;
  const byEvent = {};
  const examples = [];
  for (const inst of o.installs) {
    const exp = expectedEvents(inst.summary);
    const got = stored.get(inst.key);
    for (const k of new Set([...exp.keys(), ...got.keys()])) {
      const e = exp.get(k) ?? 0;
      const g = got.get(k) ?? 0;
      expectedTotal += e;
      storedTotal += g;
      const event = k.split('|')[1];
      const be = byEvent[event] ?? (byEvent[event] = { expected: 0, stored: 0, missing: 0, extra: 0 });
      be.expected += e;
      be.stored += g;
      if (e > g) {
        lost += e - g;
        be.missing += e - g;
      }
      if (g > e) {
        duplicated += g - e;
        be.extra += g - e;
      }
      if (e !== g && examples.length < 12) examples.push({ install: inst.key, key: k, expected: e, stored: g });
    }
  }
  return { expected: expectedTotal, stored: storedTotal, missing: lost, extra: duplicated, unattributed, periodMismatch, foreign, byEvent, examples };
}

/** The SDK's own books: accepted = delivered + waiting + dropped after acceptance; what is left over was lost silently. */
export function sdkBooks(summaries) {
  const t = { accepted: 0, delivered: 0, duplicates: 0, queued: 0, held: 0, droppedAfter: 0, dropped: {}, rejectedByCode: {}, unbalanced: [], queuedCountWrong: [] };
  for (const s of summaries) {
    const st = s.stats;
    if (!st) continue;
    const after = POST_ACCEPTANCE_DROPS.reduce((n, k) => n + (st.dropped[k] ?? 0), 0);
    // What the outbox file holds after shutdown is the truth; the SDK's running count is compared with it.
    const queued = s.outbox?.queued ?? st.queued ?? 0;
    const held = s.outbox?.held ?? st.held ?? 0;
    if (s.queuedCheck && s.queuedCheck.inFile !== null && s.queuedCheck.reported !== s.queuedCheck.inFile) t.queuedCountWrong.push({ install: s.key, ...s.queuedCheck });
    const off = st.accepted - st.delivered - queued - held - after;
    if (off !== 0) t.unbalanced.push({ install: s.key, unaccounted: off, purged: st.dropped.purged, delivered: st.delivered });
    t.accepted += st.accepted;
    t.delivered += st.delivered;
    t.duplicates += st.duplicates ?? 0;
    t.queued += queued;
    t.held += held;
    for (const [k, v] of Object.entries(st.dropped)) t.dropped[k] = (t.dropped[k] ?? 0) + v;
    for (const [k, v] of Object.entries(st.rejectedByCode ?? {})) t.rejectedByCode[k] = (t.rejectedByCode[k] ?? 0) + v;
  }
  t.droppedAfter = POST_ACCEPTANCE_DROPS.reduce((n, k) => n + (t.dropped[k] ?? 0), 0);
  t.unaccounted = t.accepted - t.delivered - t.queued - t.held - t.droppedAfter;
  return t;
}

/**
 * Compares the stored fields of every event with the exact bytes the installs' sent logs
 * say were delivered: nothing may be altered, added or lost between the SDK and the store.
 * Only events of `fromDay` and later are compared (the sent log keeps a limited number of days).
 * @param {{ dataDirs: string[], exported: { event: string, day: string, pseudonym: string, fields: object }[], fromDay?: string }} o
 */
export function compareSentLogWithStore(o) {
  const key = (pseudonym, name, day, fields) => `${pseudonym}|${name}|${day}|${JSON.stringify(Object.keys(fields).sort().map((f) => [f, fields[f]]))}`;
  const sent = new Map();
  const seenKeys = new Set();
  let batches = 0;
  for (const dir of o.dataDirs) {
    const db = new Database(join(dir, 'outbox.sqlite'), { readonly: true, fileMustExist: true });
    try {
      for (const row of db.prepare("SELECT body FROM sent_log WHERE kind = 'batch' AND status IN ('delivered', 'duplicate')").all()) {
        const b = JSON.parse(row.body);
        if (seenKeys.has(b.batchKey)) continue;
        seenKeys.add(b.batchKey);
        batches++;
        for (const e of b.events) {
          if (o.fromDay !== undefined && e.time < o.fromDay) continue;
          const k = key(b.pseudonym, e.name, e.time, e.fields);
          sent.set(k, (sent.get(k) ?? 0) + 1);
        }
      }
    } finally {
      db.close();
    }
  }
  const stored = new Map();
  for (const e of o.exported) {
    if (o.fromDay !== undefined && e.day < o.fromDay) continue;
    const k = key(e.pseudonym, e.event, e.day, e.fields);
    stored.set(k, (stored.get(k) ?? 0) + 1);
  }
  let missing = 0;
  let extra = 0;
  for (const k of new Set([...sent.keys(), ...stored.keys()])) {
    const a = sent.get(k) ?? 0;
    const b = stored.get(k) ?? 0;
    if (a > b) missing += a - b;
    if (b > a) extra += b - a;
  }
  return { batches, sentEvents: [...sent.values()].reduce((n, v) => n + v, 0), storedEvents: [...stored.values()].reduce((n, v) => n + v, 0), missing, extra };
}
