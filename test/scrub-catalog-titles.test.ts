import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrubText } from '@candor/catalog';
import { parseCsv } from '@candor/risk';
import { describe, expect, it } from 'vitest';

// The measured limits of docs/crash-reports.md: every dated title of the movie catalog, written
// into a crash message three ways, and how many survive the scrubber whole.
// Reproduce: npx vitest run test/scrub-catalog-titles.test.ts

const csv = parseCsv(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'media-catalogs', 'movies_cmu.csv'), 'utf8'));
const header = csv[0]!;
const titles = csv
  .slice(1)
  .map((row) => ({ title: row[header.indexOf('title')]!, year: row[header.indexOf('year')]! }))
  .filter((t) => t.title.length > 0 && /^\d{4}$/.test(t.year));

/** The titles that survive whole, leaving out those that are words of the message itself. */
function survivors(message: (title: string, year: string) => string): string[] {
  const out: string[] = [];
  for (const { title, year } of titles) {
    const text = message(title, year);
    const scrubbed = scrubText(text);
    if (scrubbed.includes(title) && !message('\u0000', year).includes(title)) out.push(title);
  }
  return out;
}

// Quoted text that the scrubber keeps on purpose because it looks like an error code, a number or
// an identifier of code (docs/crash-reports.md): a title of that shape cannot be told from one.
const CODE_LIKE = /^(?:[A-Z][A-Z0-9_]*|[a-z_$][\w$]*|\$?-?\d[\w./$%]*|[A-Za-z]+\d[\w]*)$/;

describe('titles of fixtures/media-catalogs/movies_cmu.csv in crash messages', () => {
  it('has thousands of dated titles to try', () => {
    expect(titles.length).toBeGreaterThan(50_000);
  });

  it('removes all but a few titles marked by their year (docs: 28 of 58,629)', () => {
    const left = survivors((t, y) => `No metadata match for ${t} (${y})`);
    console.log(`unquoted, marked by the year: ${left.length} of ${titles.length} survive whole`);
    expect(left.length / titles.length).toBeLessThan(0.001);
  });

  it.each([
    ['double', (t: string): string => `Transcoding "${t}" failed: Conversion failed!`],
    ['single', (t: string): string => `Playback of '${t}' on client 192.168.1.20 stalled`],
  ])('removes every %s-quoted title that does not look like code', (kind, message) => {
    const left = survivors(message);
    console.log(`${kind} quotes: ${left.length} of ${titles.length} survive whole, all code-like`);
    expect(left.filter((t) => !CODE_LIKE.test(t))).toEqual([]);
    expect(left.length / titles.length).toBeLessThan(0.005);
  });
});
