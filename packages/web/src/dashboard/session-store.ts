import { createHash, randomBytes } from 'node:crypto';

/** One signed-in session. */
export interface DashboardSession {
  /** The token the session's forms (sign-out) must repeat. */
  readonly csrf: string;
  readonly expiresMs: number;
}

/** Sessions held in memory: a restart signs everyone out, which is the safe direction. */
export interface SessionStore {
  /** Opens a session and returns its id (the cookie value) with the session. */
  create(): { id: string; session: DashboardSession };
  /** The live session of an id, or undefined (unknown, malformed or expired). */
  get(id: string | undefined): DashboardSession | undefined;
  /** Ends a session. */
  delete(id: string | undefined): void;
  /** How many sessions are live. */
  size(): number;
}

const ID = /^[A-Za-z0-9_-]{43}$/;

// Sessions are keyed by a hash of the id, so what sits in memory cannot be replayed as a cookie.
function keyOf(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

/**
 * A session store: 256-bit random ids, an absolute lifetime, and a cap on how many are held
 * (the oldest goes first), so that repeated sign-ins cannot grow memory without bound.
 */
export function createSessionStore(options: { readonly ttlMs: number; readonly maxSessions: number; readonly now: () => number }): SessionStore {
  const sessions = new Map<string, DashboardSession>();

  function sweep(): void {
    const t = options.now();
    for (const [k, s] of sessions) if (s.expiresMs <= t) sessions.delete(k);
  }

  return {
    create() {
      sweep();
      // A Map iterates in insertion order: the first key is the oldest session.
      while (sessions.size >= options.maxSessions) sessions.delete(sessions.keys().next().value!);
      const id = randomBytes(32).toString('base64url');
      const session = { csrf: randomBytes(24).toString('base64url'), expiresMs: options.now() + options.ttlMs };
      sessions.set(keyOf(id), session);
      return { id, session };
    },
    get(id) {
      if (id === undefined || !ID.test(id)) return undefined;
      const key = keyOf(id);
      const s = sessions.get(key);
      if (s === undefined) return undefined;
      if (s.expiresMs <= options.now()) {
        sessions.delete(key);
        return undefined;
      }
      return s;
    },
    delete(id) {
      if (id !== undefined && ID.test(id)) sessions.delete(keyOf(id));
    },
    size() {
      sweep();
      return sessions.size;
    },
  };
}
