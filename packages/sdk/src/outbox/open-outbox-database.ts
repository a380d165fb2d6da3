import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { OUTBOX_APPLICATION_ID, OUTBOX_SCHEMA, OUTBOX_SCHEMA_VERSION } from './schema.js';

/** An open outbox database, or why there is none. */
export type OpenedOutbox = { readonly db: Database.Database; readonly setAside: string | null } | { readonly db: null; readonly error: string; readonly setAside: string | null };

/** Set-aside copies kept per data directory; older ones are deleted so that a recurring fault cannot fill the disk. */
const KEEP_SET_ASIDE = 3;

/** The `meta` key of the outbox's random id, which the id file next to the outbox repeats. */
const OUTBOX_ID_KEY = 'outbox_id';

/**
 * Opens (or creates) the outbox in WAL mode. A file that is not an SQLite database, belongs
 * to another program, or has a schema this SDK does not know is renamed aside (with its WAL)
 * and replaced by a fresh one, so that a damaged file is reported once instead of failing
 * every start. An emptied file (a blank database where the id file `<file>.id` says an outbox
 * was created) is set aside as `emptied` the same way, since SQLite would open it as a new,
 * empty outbox. Returns `db: null` when the directory cannot be written at all.
 */
export function openOutboxDatabase(file: string, nowMs: number): OpenedOutbox {
  let setAside: string | null = null;
  // A missing file is a first start (or one deleted on purpose); only an existing blank one is reported.
  const known = existsSync(file) && readOutboxId(file) !== null;
  for (let attempt = 0; attempt < 2; attempt++) {
    let db: Database.Database | null = null;
    try {
      db = new Database(file);
      const problem = checkOrInitialize(db, known && setAside === null);
      if (problem === null) {
        try {
          chmodSync(file, 0o600);
        } catch {
          // Not fatal: the outbox holds generalized data only.
        }
        writeOutboxId(db, file);
        return { db, setAside };
      }
      db.close();
      db = null;
      setAside = moveAside(file, nowMs, problem);
    } catch (err) {
      try {
        db?.close();
      } catch {
        // already unusable
      }
      const code = (err as { code?: unknown }).code;
      if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
        setAside = moveAside(file, nowMs, 'damaged');
        continue;
      }
      return { db: null, error: (err as Error).message, setAside };
    }
  }
  return { db: null, error: 'the outbox could not be recreated', setAside };
}

/**
 * Returns null when the database is a usable outbox (initializing an empty one), else why not.
 * `known`: an outbox was created at this path before, so a blank database here was emptied.
 */
function checkOrInitialize(db: Database.Database, known: boolean): 'foreign' | 'newer' | 'damaged' | 'emptied' | null {
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a committed transaction survives a killed process; only a power cut can lose the last ones.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 50');
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n;
  if (appId === 0 && version === 0 && tables === 0) {
    if (known) return 'emptied';
    db.exec(OUTBOX_SCHEMA);
    db.pragma(`application_id = ${OUTBOX_APPLICATION_ID}`);
    db.pragma(`user_version = ${OUTBOX_SCHEMA_VERSION}`);
    return null;
  }
  if (appId !== OUTBOX_APPLICATION_ID) return 'foreign';
  if (version !== OUTBOX_SCHEMA_VERSION) return 'newer';
  // Touching every table proves the schema is there; damage deeper in the file surfaces as
  // SQLITE_CORRUPT at run time, where the client sets the file aside the same way.
  try {
    for (const t of ['events', 'batches', 'held', 'period_counts', 'subject_requests', 'sent_log', 'counters', 'active_days', 'meta']) db.prepare(`SELECT 1 FROM ${t} LIMIT 1`).get();
  } catch {
    return 'damaged';
  }
  return null;
}

/** The id in the id file next to the outbox, or null when there is none (a first start, or an install from before id files). */
function readOutboxId(file: string): string | null {
  try {
    return readFileSync(`${file}.id`, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** Gives the outbox an id if it has none (a new outbox, or one from before ids) and makes the id file repeat it. Best effort. */
function writeOutboxId(db: Database.Database, file: string): void {
  try {
    let id = (db.prepare('SELECT value FROM meta WHERE key = ?').get(OUTBOX_ID_KEY) as { value: string } | undefined)?.value;
    if (id === undefined) {
      id = randomBytes(16).toString('hex');
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(OUTBOX_ID_KEY, id);
    }
    if (readOutboxId(file) !== id) writeFileSync(`${file}.id`, `${id}\n`, { mode: 0o600 });
  } catch {
    // Without the id file an emptied outbox goes unnoticed, nothing worse.
  }
}

function moveAside(file: string, nowMs: number, why: string): string {
  const aside = `${file}.${why}-${nowMs}`;
  for (const suffix of ['', '-wal', '-shm']) {
    try {
      renameSync(file + suffix, aside + suffix);
    } catch {
      // The WAL and shared-memory files may not exist.
    }
  }
  pruneSetAside(file);
  return aside;
}

function pruneSetAside(file: string): void {
  try {
    const dir = dirname(file);
    const prefix = `${basename(file)}.`;
    const aside = readdirSync(dir)
      .filter((f) => f.startsWith(prefix) && !f.endsWith('-wal') && !f.endsWith('-shm') && /-\d+$/.test(f))
      .sort((a, b) => Number(/(\d+)$/.exec(b)![1]) - Number(/(\d+)$/.exec(a)![1]));
    for (const old of aside.slice(KEEP_SET_ASIDE)) {
      for (const suffix of ['', '-wal', '-shm']) {
        try {
          unlinkSync(join(dir, old + suffix));
        } catch {
          // gone already
        }
      }
    }
  } catch {
    // Pruning is best effort.
  }
}
