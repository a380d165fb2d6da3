import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Request facts the guard looks at. */
export interface OriginFacts {
  readonly host: string | undefined;
  readonly origin: string | undefined;
  readonly secFetchSite: string | undefined;
}

/** Checks sign-in attempts: the token, the form's CSRF token, the origin, and a failure limit. */
export interface SignInGuard {
  /** A fresh nonce for the sign-in cookie and the form token bound to it. */
  issueLoginToken(): { nonce: string; token: string };
  /** Whether a form token was issued for this nonce (by this process). */
  loginTokenValid(nonce: string | undefined, token: string | undefined): boolean;
  /** Whether `token` is the admin token, compared in constant time. */
  isAdminToken(token: string): boolean;
  /** Seconds a client must wait before another attempt, or 0. */
  blockedForSeconds(client: string): number;
  /** Counts a failed attempt of a client. */
  recordFailure(client: string): void;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Constant-time comparison of two strings of any length. */
export function sameText(a: string, b: string): boolean {
  // Hashing first makes the comparison take the same time whatever the lengths.
  return timingSafeEqual(digest(a), digest(b)) && a.length === b.length;
}

/**
 * Why a form post must be refused as cross-site, or null. Browsers send `Sec-Fetch-Site` on
 * every request and `Origin` on every POST; when present they must name this very origin.
 */
export function crossSiteReason(facts: OriginFacts): string | null {
  const site = facts.secFetchSite;
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `the form was posted from a ${site} page`;
  if (facts.origin === undefined) return null;
  if (facts.origin === 'null') return 'the form was posted from an opaque origin';
  try {
    if (new URL(facts.origin).host !== facts.host) return `the form was posted from another origin (${facts.origin.slice(0, 100)})`;
  } catch {
    return 'the Origin header is malformed';
  }
  return null;
}

/**
 * The sign-in guard. The form token is HMAC(process secret, nonce) with the nonce in an
 * HttpOnly, SameSite=Strict cookie: a cross-site page can neither read the pair nor plant a
 * matching one. Failures are counted per client under a key hashed with a per-process secret,
 * kept only in memory, and forgotten when their window ends.
 */
export function createSignInGuard(options: { readonly adminToken: string; readonly maxFailures: number; readonly windowMs: number; readonly now: () => number }): SignInGuard {
  const secret = randomBytes(32);
  const admin = digest(options.adminToken);
  const failures = new Map<string, { count: number; startMs: number }>();
  const sign = (nonce: string): string => createHmac('sha256', secret).update(`sign-in|${nonce}`).digest('base64url');
  const keyOf = (client: string): string => createHmac('sha256', secret).update(`client|${client}`).digest('base64url');

  function entry(client: string): { count: number; startMs: number } | undefined {
    const key = keyOf(client);
    const e = failures.get(key);
    if (e !== undefined && options.now() - e.startMs >= options.windowMs) {
      failures.delete(key);
      return undefined;
    }
    return e;
  }

  return {
    issueLoginToken() {
      const nonce = randomBytes(18).toString('base64url');
      return { nonce, token: sign(nonce) };
    },
    loginTokenValid(nonce, token) {
      if (nonce === undefined || token === undefined || !/^[A-Za-z0-9_-]{24}$/.test(nonce)) return false;
      return sameText(token, sign(nonce));
    },
    isAdminToken(token) {
      return token !== '' && timingSafeEqual(digest(token), admin);
    },
    blockedForSeconds(client) {
      const e = entry(client);
      if (e === undefined || e.count < options.maxFailures) return 0;
      return Math.max(1, Math.ceil((e.startMs + options.windowMs - options.now()) / 1000));
    },
    recordFailure(client) {
      const e = entry(client);
      if (e !== undefined) {
        e.count++;
        return;
      }
      // Bounded: a flood of distinct clients cannot grow the map past this.
      if (failures.size >= 10_000) failures.clear();
      failures.set(keyOf(client), { count: 1, startMs: options.now() });
    },
  };
}
