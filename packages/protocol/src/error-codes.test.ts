import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DROP_REASONS } from './drop-reasons.js';
import { ERROR_CODES, isErrorCode } from './error-codes.js';

// Every code a client can receive and every reason the privacy tab can show is documented in
// docs/protocol.md; these tests fail when one is added without its line there, or removed
// with its line left behind.
const doc = readFileSync(fileURLToPath(new URL('../../../docs/protocol.md', import.meta.url)), 'utf8');
const dropSection = doc.slice(doc.indexOf('## SDK drop reasons'));

describe('docs/protocol.md', () => {
  it('documents every error code with its HTTP status', () => {
    const missing = Object.entries(ERROR_CODES)
      .filter(([code, { status }]) => !new RegExp(`^\\| \`${code}\` \\| ${status} \\| \\S`, 'm').test(doc))
      .map(([code, { status }]) => `${code} (${status})`);
    expect(missing, 'add a row "| `CODE` | status | meaning |" to the error table in docs/protocol.md').toEqual([]);
  });

  it('documents no error code that does not exist', () => {
    const documented = [...doc.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \| \d{3} \|/gm)].map((m) => m[1]!);
    expect(documented.filter((code) => !isErrorCode(code))).toEqual([]);
    expect(new Set(documented).size).toBe(documented.length);
  });

  it('documents every drop reason', () => {
    expect(dropSection.length).toBeLessThan(doc.length);
    const missing = Object.keys(DROP_REASONS).filter((reason) => !new RegExp(`^\\| \`${reason}\` \\| \\S`, 'm').test(dropSection));
    expect(missing, 'add a row "| `reason` | meaning |" to the drop reasons table in docs/protocol.md').toEqual([]);
  });

  it('documents no drop reason that does not exist', () => {
    const documented = [...dropSection.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]!);
    expect(documented.filter((reason) => !Object.hasOwn(DROP_REASONS, reason))).toEqual([]);
  });
});

describe('ERROR_CODES', () => {
  it('uses a client or server error status for every code, with a meaning', () => {
    for (const [code, { status, description }] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(status >= 400 && status <= 599, code).toBe(true);
      expect(description.length).toBeGreaterThan(10);
    }
  });

  it('recognizes only its own codes', () => {
    expect(isErrorCode('INVALID_BATCH')).toBe(true);
    expect([undefined, 1, 'invalid_batch', 'toString', '__proto__'].some(isErrorCode)).toBe(false);
  });
});
