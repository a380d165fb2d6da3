import type Database from 'better-sqlite3';

/** An accepted event, generalized and serialized exactly as it will appear on the wire. */
export interface QueuedEvent {
  readonly period: string;
  readonly name: string;
  readonly category: string;
  /** `{"name":…,"time":…,"fields":{…}}` */
  readonly json: string;
  readonly createdMs: number;
}

/** A formed batch: its key and body never change, so that every retry is the same request. */
export interface BatchRow {
  readonly id: number;
  readonly batchKey: string;
  readonly period: string;
  readonly body: string;
  readonly categories: readonly string[];
  readonly eventCount: number;
  readonly createdMs: number;
  readonly attempts: number;
  readonly sentLogId: number | null;
}

/** A deletion request waiting to reach the collector. */
export interface SubjectRequestRow {
  readonly id: number;
  readonly kind: 'deletion';
  readonly path: string;
  readonly body: string;
  readonly categories: readonly string[];
  readonly attempts: number;
  readonly sentLogId: number | null;
}

/** What the sent log stores for one entry. */
export interface SentLogRow {
  readonly id: number;
  readonly sentMs: number;
  readonly kind: string;
  readonly categories: readonly string[];
  readonly eventCount: number;
  readonly status: string;
  readonly detail: string | null;
  readonly destination: string | null;
  readonly body: string;
}

/** A sent-log query with resolved bounds. */
export interface SentLogFilter {
  readonly category?: string;
  readonly kind?: string;
  readonly sinceMs: number;
  readonly untilMs: number;
  readonly limit: number;
}

/** Builds a batch body from one period's event JSON. */
export type BuildBatch = (period: string, eventJsons: string[]) => { readonly batchKey: string; readonly body: string };

/** Rewrites a batch body without one category's events; null when nothing changes. */
export type RewriteBatch = (body: string) => { readonly body: string; readonly eventCount: number; readonly categories: readonly string[] } | null;

/** What bound enforcement dropped. */
export interface BoundsResult {
  readonly queueFull: number;
  readonly expired: number;
  /** Sent-log entries of expired batches that had already left once. */
  readonly expiredSentLogIds: readonly number[];
}

/** The outbox's operations; synchronous (better-sqlite3) and only ever called off the `record()` path. */
export interface Outbox {
  readonly db: Database.Database;
  /** Runs `fn` in one transaction: all or nothing, which is what a group commit is. */
  transaction<T>(fn: () => T): T;
  insertEvents(events: readonly QueuedEvent[]): void;
  upsertHeldSlot(period: string, name: string, slot: number, json: string): void;
  /** Held slots of a period by event name, in slot order. */
  heldOf(period: string): Map<string, string[]>;
  /** Periods before `period` that still hold a sample (the process was down when they ended). */
  heldPeriodsBefore(period: string): { readonly period: string; readonly name: string }[];
  deleteHeld(period: string, name: string): void;
  setCount(period: string, name: string, count: number): void;
  countsOf(period: string): Map<string, number>;
  loadCounters(): Map<string, number>;
  saveCounters(values: ReadonlyMap<string, number>): void;
  formBatch(maxEvents: number, maxBytes: number, nowMs: number, build: BuildBatch): BatchRow | null;
  nextBatch(nowMs: number, exclude: ReadonlySet<number>, ignoreSchedule: boolean): BatchRow | null;
  /** Whether a batch waits for a scheduled retry (the collector was failing). */
  hasDeferredBatch(nowMs: number): boolean;
  /**
   * Removes a batch once it is settled. Returns the events it held then: fewer than it was
   * sent with when a category was purged meanwhile, 0 when the batch is gone already.
   */
  completeBatch(id: number): number;
  deferBatch(id: number, attempts: number, nextAttemptMs: number): void;
  setBatchSentLog(id: number, sentLogId: number): void;
  addSubjectRequest(path: string, body: string, categories: readonly string[], nowMs: number): number;
  nextSubjectRequest(nowMs: number, exclude: ReadonlySet<number>, ignoreSchedule: boolean): SubjectRequestRow | null;
  pendingSubjectRequests(): number;
  completeSubjectRequest(id: number): void;
  deferSubjectRequest(id: number, attempts: number, nextAttemptMs: number): void;
  setSubjectSentLog(id: number, sentLogId: number): void;
  /** When the outbox next has something due regardless of batching: a batch's scheduled retry, or any deletion request; null when nothing. */
  nextAttemptMs(): number | null;
  /**
   * Removes one category's queued events, held samples and counts; rewrites formed batches.
   * Returns the events removed, not counting samples of `currentPeriod`, which the caller holds in memory.
   */
  purgeCategory(category: string, heldNames: readonly string[], currentPeriod: string, rewrite: RewriteBatch): number;
  /** Removes every queued event, batch, sample and count (deletion of the owner's data); counts as {@link purgeCategory} does. */
  clearQueued(currentPeriod: string): number;
  /** Forgets period counts older than `period`. */
  pruneCounts(period: string): void;
  enforceBounds(nowMs: number, maxBytes: number, maxAgeMs: number): BoundsResult;
  /** Events waiting in the outbox (queued and in formed batches). */
  queuedEvents(): number;
  /** Bytes of queued event JSON and batch bodies. */
  queuedBytes(): number;
  appendSentLog(entry: Omit<SentLogRow, 'id'>): number;
  updateSentLog(id: number, status: string, detail: string | null): void;
  listSentLog(filter: SentLogFilter): SentLogRow[];
  pruneSentLog(cutoffMs: number, maxBytes: number): void;
  markActiveDay(day: string): void;
  activeDaysSince(day: string): string[];
  getMeta(key: string): string | null;
  setMeta(key: string, value: string | null): void;
  close(): void;
}

interface BatchDbRow {
  id: number;
  batch_key: string;
  period: string;
  body: string;
  categories: string;
  event_count: number;
  created_ms: number;
  attempts: number;
  sent_log_id: number | null;
}

const INSERT_ROWS = 32;

/** Wraps an open outbox database with prepared statements. */
export function createOutbox(db: Database.Database): Outbox {
  const s = {
    insertEvent: db.prepare('INSERT INTO events (period, name, category, json, bytes, created_ms) VALUES (?, ?, ?, ?, ?, ?)'),
    // Rows per multi-row INSERT: one statement call per 32 events costs ~40% less than one per event.
    insertEvents: db.prepare(`INSERT INTO events (period, name, category, json, bytes, created_ms) VALUES ${Array<string>(INSERT_ROWS).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`),
    upsertHeld: db.prepare('INSERT INTO held (period, name, slot, json) VALUES (?, ?, ?, ?) ON CONFLICT (period, name, slot) DO UPDATE SET json = excluded.json'),
    heldOf: db.prepare('SELECT name, slot, json FROM held WHERE period = ? ORDER BY name, slot'),
    heldBefore: db.prepare('SELECT DISTINCT period, name FROM held WHERE period < ? ORDER BY period'),
    deleteHeld: db.prepare('DELETE FROM held WHERE period = ? AND name = ?'),
    setCount: db.prepare('INSERT INTO period_counts (period, name, count) VALUES (?, ?, ?) ON CONFLICT (period, name) DO UPDATE SET count = excluded.count'),
    countsOf: db.prepare('SELECT name, count FROM period_counts WHERE period = ?'),
    pruneCounts: db.prepare('DELETE FROM period_counts WHERE period < ?'),
    loadCounters: db.prepare('SELECT name, value FROM counters'),
    saveCounter: db.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    oldestPeriod: db.prepare('SELECT period FROM events ORDER BY id LIMIT 1'),
    eventsOfPeriod: db.prepare('SELECT id, category, json, bytes FROM events WHERE period = ? ORDER BY id LIMIT ?'),
    deleteEventsUpTo: db.prepare('DELETE FROM events WHERE period = ? AND id <= ?'),
    insertBatch: db.prepare('INSERT INTO batches (batch_key, period, body, categories, event_count, bytes, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    dueBatches: db.prepare('SELECT * FROM batches WHERE next_attempt_ms <= ? ORDER BY id LIMIT 64'),
    deferredBatch: db.prepare('SELECT 1 FROM batches WHERE next_attempt_ms > ? LIMIT 1'),
    batchById: db.prepare('SELECT event_count, bytes FROM batches WHERE id = ?'),
    deleteBatch: db.prepare('DELETE FROM batches WHERE id = ?'),
    deferBatch: db.prepare('UPDATE batches SET attempts = ?, next_attempt_ms = ? WHERE id = ?'),
    batchSentLog: db.prepare('UPDATE batches SET sent_log_id = ? WHERE id = ?'),
    batchesWithCategory: db.prepare("SELECT * FROM batches WHERE instr(categories, ?) > 0"),
    rewriteBatch: db.prepare('UPDATE batches SET body = ?, bytes = ?, event_count = ?, categories = ?, sent_log_id = NULL WHERE id = ?'),
    addSubject: db.prepare('INSERT INTO subject_requests (kind, path, body, categories, created_ms) VALUES (?, ?, ?, ?, ?)'),
    dueSubjects: db.prepare('SELECT * FROM subject_requests WHERE next_attempt_ms <= ? ORDER BY id LIMIT 16'),
    countSubjects: db.prepare('SELECT count(*) AS n FROM subject_requests'),
    deleteSubject: db.prepare('DELETE FROM subject_requests WHERE id = ?'),
    deferSubject: db.prepare('UPDATE subject_requests SET attempts = ?, next_attempt_ms = ? WHERE id = ?'),
    subjectSentLog: db.prepare('UPDATE subject_requests SET sent_log_id = ? WHERE id = ?'),
    nextAttempt: db.prepare('SELECT min(t) AS t FROM (SELECT min(next_attempt_ms) AS t FROM batches WHERE attempts > 0 UNION ALL SELECT min(next_attempt_ms) FROM subject_requests)'),
    oldestEventCreated: db.prepare('SELECT created_ms FROM events ORDER BY id LIMIT 1'),
    expireEvents: db.prepare('DELETE FROM events WHERE created_ms < ?'),
    expiredBatches: db.prepare('SELECT id, event_count, sent_log_id FROM batches WHERE created_ms < ?'),
    oldestEvents: db.prepare('SELECT id, bytes FROM events ORDER BY id LIMIT 512'),
    deleteEventsThrough: db.prepare('DELETE FROM events WHERE id <= ?'),
    oldestBatch: db.prepare('SELECT id, event_count, bytes, sent_log_id FROM batches ORDER BY id LIMIT 1'),
    totals: db.prepare('SELECT (SELECT count(*) FROM events) + (SELECT total(event_count) FROM batches) AS n, (SELECT total(bytes) FROM events) + (SELECT total(bytes) FROM batches) AS b'),
    appendSent: db.prepare('INSERT INTO sent_log (sent_ms, kind, categories, event_count, status, detail, destination, body, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    updateSent: db.prepare('UPDATE sent_log SET status = ?, detail = ? WHERE id = ?'),
    pruneSentByAge: db.prepare('DELETE FROM sent_log WHERE sent_ms < ?'),
    sentBytes: db.prepare('SELECT total(bytes) AS b FROM sent_log'),
    oldestSent: db.prepare('SELECT id, bytes FROM sent_log ORDER BY id LIMIT 256'),
    deleteSentThrough: db.prepare('DELETE FROM sent_log WHERE id <= ?'),
    markDay: db.prepare('INSERT OR IGNORE INTO active_days (day) VALUES (?)'),
    daysSince: db.prepare('SELECT day FROM active_days WHERE day >= ? ORDER BY day'),
    pruneDays: db.prepare('DELETE FROM active_days WHERE day < ?'),
    getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    deleteMeta: db.prepare('DELETE FROM meta WHERE key = ?'),
  };

  let queued = 0;
  let bytes = 0;
  const recount = (): void => {
    const t = s.totals.get() as { n: number; b: number };
    queued = t.n;
    bytes = t.b;
  };
  recount();

  const toBatch = (r: BatchDbRow): BatchRow => ({
    id: r.id,
    batchKey: r.batch_key,
    period: r.period,
    body: r.body,
    categories: JSON.parse(r.categories) as string[],
    eventCount: r.event_count,
    createdMs: r.created_ms,
    attempts: r.attempts,
    sentLogId: r.sent_log_id,
  });

  const removeBatch = (id: number): number => {
    const row = s.batchById.get(id) as { event_count: number; bytes: number } | undefined;
    if (!row) return 0;
    s.deleteBatch.run(id);
    queued -= row.event_count;
    bytes -= row.bytes;
    return row.event_count;
  };

  const outbox: Outbox = {
    db,
    transaction(fn) {
      if (db.inTransaction) return db.transaction(fn)();
      // The running figures follow the writes inside the transaction (the byte bound needs
      // them there); when a write fails (disk full) the transaction rolls back, and so must
      // they, or stats() and the byte bound would count events that do not exist.
      const saved = { queued, bytes };
      try {
        return db.transaction(fn)();
      } catch (err) {
        queued = saved.queued;
        bytes = saved.bytes;
        throw err;
      }
    },

    insertEvents(events) {
      const args: (string | number)[] = [];
      let added = 0;
      // One savepoint, so that a failed write leaves no rows behind; the figures grow only
      // once every row is written.
      db.transaction(() => {
        for (let i = 0; i < events.length; i++) {
          const e = events[i]!;
          const n = Buffer.byteLength(e.json);
          added += n;
          args.push(e.period, e.name, e.category, e.json, n, e.createdMs);
          if (args.length === INSERT_ROWS * 6) {
            s.insertEvents.run(args);
            args.length = 0;
          }
        }
        for (let k = 0; k < args.length; k += 6) s.insertEvent.run(args.slice(k, k + 6));
      })();
      queued += events.length;
      bytes += added;
    },

    upsertHeldSlot: (period, name, slot, json) => void s.upsertHeld.run(period, name, slot, json),
    heldOf(period) {
      const out = new Map<string, string[]>();
      for (const r of s.heldOf.all(period) as { name: string; slot: number; json: string }[]) {
        const list = out.get(r.name) ?? [];
        list.push(r.json);
        out.set(r.name, list);
      }
      return out;
    },
    heldPeriodsBefore: (period) => s.heldBefore.all(period) as { period: string; name: string }[],
    deleteHeld: (period, name) => void s.deleteHeld.run(period, name),

    setCount: (period, name, count) => void s.setCount.run(period, name, count),
    countsOf(period) {
      return new Map((s.countsOf.all(period) as { name: string; count: number }[]).map((r) => [r.name, r.count]));
    },

    loadCounters: () => new Map((s.loadCounters.all() as { name: string; value: number }[]).map((r) => [r.name, r.value])),
    saveCounters(values) {
      for (const [name, value] of values) s.saveCounter.run(name, value);
    },

    formBatch(maxEvents, maxBytes, nowMs, build) {
      return db.transaction((): BatchRow | null => {
        const first = s.oldestPeriod.get() as { period: string } | undefined;
        if (!first) return null;
        const rows = s.eventsOfPeriod.all(first.period, maxEvents) as { id: number; category: string; json: string; bytes: number }[];
        // Room for the envelope (catalog, pseudonym, key: well under 512 bytes) and the commas.
        let size = 512;
        let take = 0;
        while (take < rows.length && (take === 0 || size + rows[take]!.bytes + 1 <= maxBytes)) size += rows[take++]!.bytes + 1;
        const picked = rows.slice(0, take);
        const categories = [...new Set(picked.map((r) => r.category))].sort();
        const built = build(first.period, picked.map((r) => r.json));
        const bodyBytes = Buffer.byteLength(built.body);
        const info = s.insertBatch.run(built.batchKey, first.period, built.body, JSON.stringify(categories), picked.length, bodyBytes, nowMs);
        s.deleteEventsUpTo.run(first.period, picked[picked.length - 1]!.id);
        bytes += bodyBytes - picked.reduce((sum, r) => sum + r.bytes, 0);
        return { id: Number(info.lastInsertRowid), batchKey: built.batchKey, period: first.period, body: built.body, categories, eventCount: picked.length, createdMs: nowMs, attempts: 0, sentLogId: null };
      })();
    },

    nextBatch(nowMs, exclude, ignoreSchedule) {
      const rows = s.dueBatches.all(ignoreSchedule ? Number.MAX_SAFE_INTEGER : nowMs) as BatchDbRow[];
      const row = rows.find((r) => !exclude.has(r.id));
      return row ? toBatch(row) : null;
    },
    hasDeferredBatch: (nowMs) => s.deferredBatch.get(nowMs) !== undefined,
    completeBatch: (id) => removeBatch(id),
    deferBatch: (id, attempts, nextAttemptMs) => void s.deferBatch.run(attempts, nextAttemptMs, id),
    setBatchSentLog: (id, sentLogId) => void s.batchSentLog.run(sentLogId, id),

    addSubjectRequest: (path, body, categories, nowMs) => Number(s.addSubject.run('deletion', path, body, JSON.stringify(categories), nowMs).lastInsertRowid),
    nextSubjectRequest(nowMs, exclude, ignoreSchedule) {
      const rows = s.dueSubjects.all(ignoreSchedule ? Number.MAX_SAFE_INTEGER : nowMs) as { id: number; path: string; body: string; categories: string; attempts: number; sent_log_id: number | null }[];
      const r = rows.find((x) => !exclude.has(x.id));
      return r ? { id: r.id, kind: 'deletion', path: r.path, body: r.body, categories: JSON.parse(r.categories) as string[], attempts: r.attempts, sentLogId: r.sent_log_id } : null;
    },
    pendingSubjectRequests: () => (s.countSubjects.get() as { n: number }).n,
    completeSubjectRequest: (id) => void s.deleteSubject.run(id),
    deferSubjectRequest: (id, attempts, nextAttemptMs) => void s.deferSubject.run(attempts, nextAttemptMs, id),
    setSubjectSentLog: (id, sentLogId) => void s.subjectSentLog.run(sentLogId, id),
    nextAttemptMs: () => (s.nextAttempt.get() as { t: number | null }).t,

    purgeCategory(category, heldNames, currentPeriod, rewrite) {
      return db.transaction((): number => {
        let removed = db.prepare('DELETE FROM events WHERE category = ?').run(category).changes;
        for (const name of heldNames) {
          removed += (db.prepare('SELECT count(*) AS n FROM held WHERE name = ? AND period < ?').get(name, currentPeriod) as { n: number }).n;
          db.prepare('DELETE FROM held WHERE name = ?').run(name);
          db.prepare('DELETE FROM period_counts WHERE name = ?').run(name);
        }
        for (const row of s.batchesWithCategory.all(JSON.stringify(category)) as BatchDbRow[]) {
          const next = rewrite(row.body);
          if (next === null) continue;
          removed += row.event_count - next.eventCount;
          // The key stays: if the old body already reached the collector, this one is answered as a duplicate
          // and the category-scoped deletion request removes what it stored.
          if (next.eventCount === 0) s.deleteBatch.run(row.id);
          else s.rewriteBatch.run(next.body, Buffer.byteLength(next.body), next.eventCount, JSON.stringify(next.categories), row.id);
          if (row.sent_log_id !== null) s.updateSent.run('superseded', `the ${category} events were removed before the batch was acknowledged`, row.sent_log_id);
        }
        recount();
        return removed;
      })();
    },

    clearQueued(currentPeriod) {
      return db.transaction((): number => {
        const held = (db.prepare('SELECT count(*) AS n FROM held WHERE period < ?').get(currentPeriod) as { n: number }).n;
        const removed = queued + held;
        for (const row of db.prepare('SELECT sent_log_id FROM batches WHERE sent_log_id IS NOT NULL').all() as { sent_log_id: number }[]) {
          s.updateSent.run('superseded', 'the owner asked to delete their data before the batch was acknowledged', row.sent_log_id);
        }
        db.exec('DELETE FROM events; DELETE FROM batches; DELETE FROM held; DELETE FROM period_counts;');
        recount();
        return removed;
      })();
    },

    enforceBounds(nowMs, maxBytes, maxAgeMs) {
      return db.transaction((): BoundsResult => {
        const cutoff = nowMs - maxAgeMs;
        let expired = 0;
        const expiredSentLogIds: number[] = [];
        const oldest = s.oldestEventCreated.get() as { created_ms: number } | undefined;
        if (oldest && oldest.created_ms < cutoff) expired += s.expireEvents.run(cutoff).changes;
        for (const b of s.expiredBatches.all(cutoff) as { id: number; event_count: number; sent_log_id: number | null }[]) {
          s.deleteBatch.run(b.id);
          expired += b.event_count;
          if (b.sent_log_id !== null) expiredSentLogIds.push(b.sent_log_id);
        }
        if (expired > 0) recount();
        let queueFull = 0;
        // Drop the oldest first: recent events describe the server as it is now.
        while (bytes > maxBytes) {
          const rows = s.oldestEvents.all() as { id: number; bytes: number }[];
          if (rows.length === 0) {
            const b = s.oldestBatch.get() as { id: number; event_count: number; bytes: number; sent_log_id: number | null } | undefined;
            if (!b) break;
            s.deleteBatch.run(b.id);
            queueFull += b.event_count;
            queued -= b.event_count;
            bytes -= b.bytes;
            if (b.sent_log_id !== null) s.updateSent.run('dropped', 'the outbox was full', b.sent_log_id);
            continue;
          }
          let last = rows[0]!.id;
          let freed = 0;
          let n = 0;
          for (const r of rows) {
            if (bytes - freed <= maxBytes) break;
            freed += r.bytes;
            last = r.id;
            n++;
          }
          s.deleteEventsThrough.run(last);
          bytes -= freed;
          queued -= n;
          queueFull += n;
        }
        return { queueFull, expired, expiredSentLogIds };
      })();
    },

    queuedEvents: () => queued,
    queuedBytes: () => bytes,

    appendSentLog: (e) =>
      Number(s.appendSent.run(e.sentMs, e.kind, JSON.stringify(e.categories), e.eventCount, e.status, e.detail, e.destination, e.body, Buffer.byteLength(e.body)).lastInsertRowid),
    updateSentLog: (id, status, detail) => void s.updateSent.run(status, detail, id),
    listSentLog(filter) {
      const where = ['sent_ms >= ?', 'sent_ms < ?'];
      const params: (string | number)[] = [filter.sinceMs, filter.untilMs];
      if (filter.category !== undefined) {
        where.push('instr(categories, ?) > 0');
        params.push(JSON.stringify(filter.category));
      }
      if (filter.kind !== undefined) {
        where.push('kind = ?');
        params.push(filter.kind);
      }
      params.push(filter.limit);
      const rows = db.prepare(`SELECT * FROM sent_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`).all(...params) as {
        id: number;
        sent_ms: number;
        kind: string;
        categories: string;
        event_count: number;
        status: string;
        detail: string | null;
        destination: string | null;
        body: string;
      }[];
      return rows.map((r) => ({ id: r.id, sentMs: r.sent_ms, kind: r.kind, categories: JSON.parse(r.categories) as string[], eventCount: r.event_count, status: r.status, detail: r.detail, destination: r.destination, body: r.body }));
    },
    pruneSentLog(cutoffMs, maxBytes) {
      db.transaction(() => {
        s.pruneSentByAge.run(cutoffMs);
        let total = (s.sentBytes.get() as { b: number }).b;
        while (total > maxBytes) {
          const rows = s.oldestSent.all() as { id: number; bytes: number }[];
          if (rows.length === 0) break;
          let last = rows[0]!.id;
          for (const r of rows) {
            if (total <= maxBytes) break;
            total -= r.bytes;
            last = r.id;
          }
          s.deleteSentThrough.run(last);
        }
      })();
    },

    markActiveDay(day) {
      s.markDay.run(day);
      // 28 days is all activity() ever reads; older days are not kept.
      s.pruneDays.run(new Date(Date.parse(`${day}T00:00:00Z`) - 40 * 86_400_000).toISOString().slice(0, 10));
    },
    pruneCounts: (period) => void s.pruneCounts.run(period),
    activeDaysSince: (day) => (s.daysSince.all(day) as { day: string }[]).map((r) => r.day),

    getMeta: (key) => (s.getMeta.get(key) as { value: string } | undefined)?.value ?? null,
    setMeta(key, value) {
      if (value === null) s.deleteMeta.run(key);
      else s.setMeta.run(key, value);
    },

    close() {
      try {
        db.close();
      } catch {
        // closing twice, or a damaged file: nothing left to do
      }
    },
  };
  return outbox;
}
