import type { WireValue } from '@candor/protocol';

// Cells a spreadsheet would evaluate as a formula (CWE-1236) are prefixed with an apostrophe.
const FORMULA = /^[=+\-@\t\r]/;

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
export function csvField(value: WireValue | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A CSV document with a header row; lines end with CRLF as RFC 4180 says. */
export function toCsv(header: readonly string[], rows: readonly (readonly (WireValue | undefined)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
