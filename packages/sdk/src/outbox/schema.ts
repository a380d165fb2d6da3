/** `PRAGMA application_id` of a Candor outbox ("CNDR"), so that a foreign SQLite file is recognized. */
export const OUTBOX_APPLICATION_ID = 0x434e4452;

/** Schema version (`PRAGMA user_version`). */
export const OUTBOX_SCHEMA_VERSION = 1;

/**
 * The outbox schema. Every table holds generalized data only: raw values never reach disk.
 * - events: accepted events waiting to be batched, as their exact wire JSON.
 * - batches: formed batches with their batch key and exact body, so a retry resends the same bytes under the same key.
 * - held: the current sample of each sampled event for a period not yet ended (reservoir slots).
 * - period_counts: reports per event and period (linkage limits and the count events).
 * - subject_requests: deletion requests waiting to reach the collector.
 * - sent_log: the exact bytes of everything that left.
 */
export const OUTBOX_SCHEMA = `
CREATE TABLE events (id INTEGER PRIMARY KEY, period TEXT NOT NULL, name TEXT NOT NULL, category TEXT NOT NULL, json TEXT NOT NULL, bytes INTEGER NOT NULL, created_ms INTEGER NOT NULL);
CREATE INDEX events_by_period ON events (period, id);
CREATE TABLE batches (id INTEGER PRIMARY KEY, batch_key TEXT NOT NULL, period TEXT NOT NULL, body TEXT NOT NULL, categories TEXT NOT NULL, event_count INTEGER NOT NULL, bytes INTEGER NOT NULL, created_ms INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_ms INTEGER NOT NULL DEFAULT 0, sent_log_id INTEGER);
CREATE TABLE held (period TEXT NOT NULL, name TEXT NOT NULL, slot INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY (period, name, slot)) WITHOUT ROWID;
CREATE TABLE period_counts (period TEXT NOT NULL, name TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (period, name)) WITHOUT ROWID;
CREATE TABLE subject_requests (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, path TEXT NOT NULL, body TEXT NOT NULL, categories TEXT NOT NULL, created_ms INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_ms INTEGER NOT NULL DEFAULT 0, sent_log_id INTEGER);
CREATE TABLE sent_log (id INTEGER PRIMARY KEY, sent_ms INTEGER NOT NULL, kind TEXT NOT NULL, categories TEXT NOT NULL, event_count INTEGER NOT NULL, status TEXT NOT NULL, detail TEXT, destination TEXT, body TEXT NOT NULL, bytes INTEGER NOT NULL);
CREATE INDEX sent_log_by_time ON sent_log (sent_ms);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE active_days (day TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
`;
