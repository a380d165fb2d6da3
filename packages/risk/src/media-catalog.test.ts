import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RiskInputError } from './errors.js';
import { detectMediaCatalogKind, parseMediaCatalog, readMediaCatalog } from './media-catalog.js';

function parseError(text: string): RiskInputError {
  try {
    parseMediaCatalog(text, 'cat');
  } catch (error) {
    if (error instanceof RiskInputError) return error;
    throw error;
  }
  throw new Error('expected a RiskInputError');
}

describe('detectMediaCatalogKind', () => {
  it('tells movies and music apart by header, ignoring extra columns, case and spaces', () => {
    expect(detectMediaCatalogKind(['title', 'year', 'runtime_seconds', 'genre'])).toBe('movies');
    expect(detectMediaCatalogKind(['title', 'year', 'runtime_seconds'])).toBe('movies');
    expect(detectMediaCatalogKind(['album_id', 'track_no', 'title', 'artist', 'duration_ms'])).toBe('music');
    expect(detectMediaCatalogKind([' Album_ID', 'track_no', 'title', 'artist', 'duration_ms', 'label', 'year'])).toBe('music');
  });

  it('recognizes neither when a column is missing', () => {
    expect(detectMediaCatalogKind(['title', 'runtime_seconds'])).toBeUndefined();
    expect(detectMediaCatalogKind(['album_id', 'title', 'artist', 'duration_ms'])).toBeUndefined();
  });
});

describe('parseMediaCatalog', () => {
  it('reads a movie catalog, runtimes in seconds', () => {
    const cat = parseMediaCatalog('title,year,runtime_seconds,genre\n"Heat, the film",1995,10200,Crime\nShort,,60,\n', 'films');
    expect(cat).toEqual({ name: 'films', kind: 'movies', items: [{ mediaType: 'movie', durationSeconds: 10200 }, { mediaType: 'movie', durationSeconds: 60 }], albums: [] });
  });

  it('reads a music catalog into albums in track order, durations from milliseconds to seconds', () => {
    const text = 'album_id,track_no,title,artist,duration_ms,extra\nb,2,B2,x,200500,\na,1,A1,x,100000,\nb,1,B1,x,300000,\nb,,B?,x,1000,\n';
    const cat = parseMediaCatalog(text, 'music');
    expect(cat.kind).toBe('music');
    expect(cat.items.map((i) => i.durationSeconds)).toEqual([200.5, 100, 300, 1]);
    expect(cat.albums).toEqual([
      { id: 'b', tracks: [{ mediaType: 'track', durationSeconds: 300 }, { mediaType: 'track', durationSeconds: 200.5 }, { mediaType: 'track', durationSeconds: 1 }] },
      { id: 'a', tracks: [{ mediaType: 'track', durationSeconds: 100 }] },
    ]);
  });

  it('refuses an unknown header, naming both expected headers', () => {
    const e = parseError('name,length\nx,1\n');
    expect(e.code).toBe('RISK_UNKNOWN_KIND');
    expect(e.message).toContain('title,year,runtime_seconds[,genre]');
    expect(e.message).toContain('album_id,track_no,title,artist,duration_ms');
  });

  it('refuses an empty file and a header without rows', () => {
    expect(parseError('').code).toBe('RISK_EMPTY_CATALOG');
    expect(parseError('title,year,runtime_seconds\n').code).toBe('RISK_EMPTY_CATALOG');
  });

  it('names the row and column of a duration that is not a positive number', () => {
    for (const bad of ['', 'abc', '0', '-5', 'Infinity']) {
      const e = parseError(`title,year,runtime_seconds\nok,2000,5400\nbad,2000,${bad}\n`);
      expect(e.code).toBe('RISK_BAD_VALUE');
      expect(e.message).toBe(`cat: row 3: runtime_seconds "${bad}" is not a positive number`);
    }
    expect(parseError('album_id,track_no,title,artist,duration_ms\na,1,t,x,-1\n').message).toBe('cat: row 2: duration_ms "-1" is not a positive number');
  });

  it('refuses rows with the wrong number of fields, an empty album id and a track number that is not a number', () => {
    expect(parseError('title,year,runtime_seconds\nx,2000\n')).toMatchObject({ code: 'RISK_CSV_MALFORMED', message: 'cat: row 2 has 2 fields, the header has 3' });
    expect(parseError('album_id,track_no,title,artist,duration_ms\n ,1,t,x,1000\n')).toMatchObject({ code: 'RISK_BAD_VALUE', message: 'cat: row 2: album_id is empty' });
    expect(parseError('album_id,track_no,title,artist,duration_ms\na,one,t,x,1000\n')).toMatchObject({ code: 'RISK_BAD_VALUE', message: 'cat: row 2: track_no "one" is not a number' });
  });
});

describe('readMediaCatalog', () => {
  it('reads a file and names the catalog after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-risk-'));
    const path = join(dir, 'my_movies.csv');
    writeFileSync(path, 'title,year,runtime_seconds\nx,2000,5400\n');
    await expect(readMediaCatalog(path)).resolves.toMatchObject({ name: 'my_movies', kind: 'movies' });
  });

  it('reports a missing file as unreadable', async () => {
    const path = join(tmpdir(), 'candor-risk-does-not-exist', 'x.csv');
    await expect(readMediaCatalog(path)).rejects.toMatchObject({ code: 'RISK_FILE_UNREADABLE', message: `cannot read media catalog "${path}": ENOENT` });
  });
});
