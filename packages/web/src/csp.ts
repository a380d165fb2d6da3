/**
 * The Content-Security-Policy of a page served by Candor: scripts, styles, requests and images
 * from its own origin only and never inline, forms only back to it, and Trusted Types with no
 * policy, so that any attempt to write HTML from a string throws. `frameAncestors` says who may
 * frame the page (`'self'` for the privacy tab inside the server's web UI, `'none'` otherwise).
 */
export function strictPageCsp(frameAncestors: "'self'" | "'none'"): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

/** The policy of JSON and CSV answers: data, never documents, so nothing in them may run or be framed. */
export const DATA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";
