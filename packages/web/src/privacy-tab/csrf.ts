import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Name of the CSRF cookie and of the header a change must repeat it in. */
export const CSRF_COOKIE = 'candor_csrf';
/** The request header that carries the CSRF token. */
export const CSRF_HEADER = 'x-candor-csrf';

/** Issues and checks CSRF tokens. */
export interface CsrfGuard {
  /** The token already in the request's cookie when it is valid for `adminId`, otherwise a new one. */
  issue(req: IncomingMessage, adminId: string): { token: string; fresh: boolean };
  /** Why a change must be refused, or null when the cookie, the header and the origin all agree. */
  check(req: IncomingMessage, adminId: string): string | null;
}

/**
 * A signed double-submit token: `random.HMAC(secret, random | admin)`, set as a SameSite=Strict,
 * HttpOnly cookie and repeated by the page in a header. A cross-site page can neither read the
 * token nor send the header without a CORS preflight; the signature stops a sibling subdomain
 * from planting a cookie of its choosing (cookie tossing); binding it to the admin id stops one
 * admin's token from serving another session.
 */
export function createCsrfGuard(secret: Uint8Array): CsrfGuard {
  const sign = (nonce: string, adminId: string): string => createHmac('sha256', secret).update(`${nonce}|${adminId}`).digest('base64url');
  const valid = (token: string | undefined, adminId: string): token is string => {
    if (token === undefined) return false;
    const dot = token.indexOf('.');
    if (dot <= 0) return false;
    return safeEqual(token.slice(dot + 1), sign(token.slice(0, dot), adminId));
  };
  return {
    issue(req, adminId) {
      const existing = readCookie(req, CSRF_COOKIE);
      if (valid(existing, adminId)) return { token: existing, fresh: false };
      const nonce = randomBytes(18).toString('base64url');
      return { token: `${nonce}.${sign(nonce, adminId)}`, fresh: true };
    },
    check(req, adminId) {
      const crossSite = crossOriginReason(req);
      if (crossSite) return crossSite;
      const cookie = readCookie(req, CSRF_COOKIE);
      const header = req.headers[CSRF_HEADER];
      if (typeof header !== 'string' || header === '') return `the ${CSRF_HEADER} header is missing`;
      if (cookie === undefined) return `the ${CSRF_COOKIE} cookie is missing; reload the page`;
      if (!safeEqual(header, cookie)) return `the ${CSRF_HEADER} header does not match the ${CSRF_COOKIE} cookie`;
      if (!valid(cookie, adminId)) return 'the CSRF token is not valid for this admin session; reload the page';
      return null;
    },
  };
}

/** The `Set-Cookie` value that stores a token for the handler's path. */
export function csrfCookie(token: string, path: string, secure: boolean): string {
  return `${CSRF_COOKIE}=${token}; Path=${path === '' ? '/' : path}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

// Browsers send Origin on every POST and Sec-Fetch-Site on every request; when present they
// must name this very origin. Non-browser clients send neither and still need the token.
function crossOriginReason(req: IncomingMessage): string | null {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return `the request came from a ${site} page`;
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return 'the Origin header is malformed';
    }
    const forwarded = req.headers['x-forwarded-host'];
    const own = typeof forwarded === 'string' ? forwarded.split(',')[0]!.trim() : req.headers.host;
    if (host !== own) return `the request came from another origin (${origin})`;
  } else if (origin === 'null') {
    return 'the request came from an opaque origin';
  }
  return null;
}

/** The value of one cookie of a request. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
