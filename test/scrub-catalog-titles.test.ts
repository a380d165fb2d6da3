import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scrubText } from '@candor/catalog';
import { parseCsv } from '@candor/risk';
import { describe, expect, it } from 'vitest';

// The measured limits of docs/crash-reports.md: every title of the media catalogs, written into
// a crash message the ways a host may write it, and how many survive the scrubber whole.
// Reproduce: npx vitest run test/scrub-catalog-titles.test.ts

function readTitles(file: string): { title: string; year: string }[] {
  const csv = parseCsv(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'media-catalogs', file), 'utf8'));
  const header = csv[0]!;
  return csv.slice(1).map((row) => ({ title: row[header.indexOf('title')] ?? '', year: row[header.indexOf('year')] ?? '' }));
}
const movies = readTitles('movies_cmu.csv').filter((t) => t.title.length > 0 && /^\d{4}$/.test(t.year));
const tracks = readTitles('music_freemusicc.csv').filter((t) => t.title.length > 0);

/** The titles that survive whole, leaving out those that are words of the message itself. */
function survivors(titles: readonly { title: string; year: string }[], message: (title: string, year: string) => string): string[] {
  const out: string[] = [];
  for (const { title, year } of titles) {
    if (scrubText(message(title, year)).includes(title) && !message('\u0000', year).includes(title)) out.push(title);
  }
  return out;
}

const QUOTED: [string, (t: string) => string][] = [
  ['double', (t) => `Transcoding "${t}" failed: Conversion failed!`],
  ['single', (t) => `Playback of '${t}' on client 192.168.1.20 stalled`],
];

describe('titles of the media catalogs in crash messages', () => {
  it('has thousands of titles to try', () => {
    expect(movies.length).toBeGreaterThan(50_000);
    expect(tracks.length).toBeGreaterThan(20_000);
  });

  it('removes all but a few movie titles marked by their year (docs: 20 of 58,629)', () => {
    const left = survivors(movies, (t, y) => `No metadata match for ${t} (${y})`);
    console.log(`movies, unquoted, marked by the year: ${left.length} of ${movies.length} survive whole`);
    expect(left.length / movies.length).toBeLessThan(0.001);
  });

  for (const [name, titles] of [['movie', movies], ['track', tracks]] as const) {
    // Numbers, capitals and identifiers too (`'1919'`, `"MASH"`, `'untitled'`): in quotes they are
    // kept only where the words around them say they are code (`code: 'ENOENT'`, `(reading 'x')`).
    it.each(QUOTED)(`removes every %s-quoted ${name} title`, (kind, message) => {
      const left = survivors(titles, message);
      console.log(`${name}s, ${kind} quotes: ${left.length} of ${titles.length} survive whole`);
      expect(left).toEqual([]);
    });
  }
});
