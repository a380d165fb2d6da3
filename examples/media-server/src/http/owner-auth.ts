import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Anything with request headers: a fastify request or a Node `IncomingMessage`. */
export interface WithHeaders {
  readonly headers: IncomingHttpHeaders;
}

/** The owner's signed-in browser session. */
export interface OwnerSession {
  /** The cookie value. */
  readonly id: string;
  /** The token every state-changing request must echo in `X-CSRF-Token`. */
  readonly csrfToken: string;
  /** When it expires (ms since the epoch). */
  readonly expiresAtMs: number;
}

/** Owner sign-in: a secret token exchanged for an HttpOnly, SameSite=Strict session cookie. */
export interface OwnerAuth {
  /** The cookie name. */
  readonly cookieName: string;
  /** Opens a session when the token is right, in constant time; null otherwise. */
  login(candidate: string): OwnerSession | null;
  /** The session of a request, from its cookie, or null. */
  session(request: WithHeaders): OwnerSession | null;
  /** Whether a request carries a session and its CSRF token. */
  verifyCsrf(request: WithHeaders, session: OwnerSession): boolean;
  /** Ends a session. */
  logout(session: OwnerSession): void;
}

/** Options of {@link createOwnerAuth}. */
export interface OwnerAuthOptions {
  /** The owner token. */
  readonly token: string;
  /** How long a session lasts. @default 43200000 (12 h) */
  readonly sessionTtlMs?: number;
  /** The clock. @default Date.now */
  readonly now?: () => number;
}

/** Creates the owner sign-in. Sessions live in memory: a restart signs the owner out. */
export function createOwnerAuth(options: OwnerAuthOptions): OwnerAuth {
  const now = options.now ?? Date.now;
  const ttl = options.sessionTtlMs ?? 12 * 3600_000;
  // Comparing digests keeps the comparison constant-time whatever the candidate's length.
  const expected = digest(options.token);
  const sessions = new Map<string, OwnerSession>();
  const cookieName = 'media_owner';

  return {
    cookieName,
    login(candidate) {
      if (!timingSafeEqual(digest(candidate), expected)) return null;
      for (const [id, s] of sessions) if (s.expiresAtMs <= now()) sessions.delete(id);
      const session = { id: randomBytes(32).toString('base64url'), csrfToken: randomBytes(24).toString('base64url'), expiresAtMs: now() + ttl };
      sessions.set(session.id, session);
      return session;
    },
    session(request) {
      const id = readCookie(request.headers.cookie, cookieName);
      if (id === undefined) return null;
      const session = sessions.get(id);
      if (session === undefined || session.expiresAtMs <= now()) return null;
      return session;
    },
    verifyCsrf(request, session) {
      const header = request.headers['x-csrf-token'];
      return typeof header === 'string' && timingSafeEqual(digest(header), digest(session.csrfToken));
    },
    logout(session) {
      sessions.delete(session.id);
    },
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
