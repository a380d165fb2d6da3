import { DATA_CSP, strictPageCsp } from '../csp.js';

/**
 * Content-Security-Policy of the dashboard's pages: scripts and styles only from the collector
 * itself and never inline, no framing anywhere (`frame-ancestors 'none'`), forms only back to
 * the collector, and Trusted Types with no policy, so that any attempt to write HTML from a
 * string throws. The page builds its DOM with `createElement` and `textContent` only.
 */
export const DASHBOARD_CSP = strictPageCsp("'none'");

/** Headers every dashboard answer carries. */
export function securityHeaders(kind: 'page' | 'asset' | 'data'): Record<string, string> {
  return {
    'content-security-policy': kind === 'data' ? DATA_CSP : DASHBOARD_CSP,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // Not no-referrer: with it, browsers send `Origin: null` on form posts, and the sign-in and
    // sign-out forms are checked by their origin. same-origin still sends nothing to other sites.
    'referrer-policy': kind === 'page' ? 'same-origin' : 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': kind === 'asset' ? 'no-cache' : 'no-store',
  };
}
