import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { RiskInputError } from './errors.js';
import { parseCsv } from './parse-csv.js';

/** The kinds of media catalog the risk tool reads. */
export const MEDIA_CATALOG_KINDS = {
  movies: { columns: ['title', 'year', 'runtime_seconds'], header: 'title,year,runtime_seconds[,genre]' },
  music: { columns: ['album_id', 'track_no', 'title', 'artist', 'duration_ms'], header: 'album_id,track_no,title,artist,duration_ms' },
} as const;

/** A media catalog kind: `movies` or `music`. */
export type MediaCatalogKind = keyof typeof MEDIA_CATALOG_KINDS;

/** One playable item of a catalog: a movie or a track. */
export interface MediaItem {
  /** The playback report's media type for this item (`movie` or `track`). */
  readonly mediaType: 'movie' | 'track';
  /** The item's length in seconds, as the media server would know it. */
  readonly durationSeconds: number;
}

/** The tracks of one album (one disc), in track order. */
export interface Album {
  readonly id: string;
  readonly tracks: readonly MediaItem[];
}

/** A media catalog read from CSV. */
export interface MediaCatalog {
  /** A short name for reports: the file name without its extension. */
  readonly name: string;
  readonly kind: MediaCatalogKind;
  readonly items: readonly MediaItem[];
  /** The albums of a music catalog (empty for movies). */
  readonly albums: readonly Album[];
}

/**
 * Tells a catalog's kind by its header: music when it has every music column (extra columns
 * are ignored), movies when it has every movie column; `undefined` otherwise.
 */
export function detectMediaCatalogKind(header: readonly string[]): MediaCatalogKind | undefined {
  const have = new Set(header.map((h) => h.trim().toLowerCase()));
  if (MEDIA_CATALOG_KINDS.music.columns.every((c) => have.has(c))) return 'music';
  if (MEDIA_CATALOG_KINDS.movies.columns.every((c) => have.has(c))) return 'movies';
  return undefined;
}

/** Reads a media catalog CSV file; see {@link parseMediaCatalog}. */
export async function readMediaCatalog(path: string): Promise<MediaCatalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new RiskInputError('RISK_FILE_UNREADABLE', `cannot read media catalog "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseMediaCatalog(text, basename(path, extname(path)), path);
}

/**
 * Parses a movie catalog (`title,year,runtime_seconds[,genre]`) or a music catalog
 * (`album_id,track_no,title,artist,duration_ms`, extra columns ignored), detected by header.
 * Every duration must be a positive number; anything else is a {@link RiskInputError} naming the line.
 */
export function parseMediaCatalog(text: string, name: string, source = name): MediaCatalog {
  const rows = parseCsv(text, source);
  const header = rows[0];
  if (header === undefined) throw new RiskInputError('RISK_EMPTY_CATALOG', `${source}: the file is empty`);
  const kind = detectMediaCatalogKind(header);
  if (kind === undefined) {
    throw new RiskInputError(
      'RISK_UNKNOWN_KIND',
      `${source}: header "${header.join(',').slice(0, 200)}" is neither a movie catalog (${MEDIA_CATALOG_KINDS.movies.header}) nor a music catalog (${MEDIA_CATALOG_KINDS.music.header})`,
    );
  }
  if (rows.length < 2) throw new RiskInputError('RISK_EMPTY_CATALOG', `${source}: the catalog has a header but no rows`);
  const column = new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
  const at = (name: string): number => column.get(name)!;
  // Blank lines were already dropped by the parser, so the line of a row is only exact for
  // files without them; it is reported as the row number, which is what an editor shows for CSV.
  for (let r = 1; r < rows.length; r++) {
    if (rows[r]!.length !== header.length) {
      throw new RiskInputError('RISK_CSV_MALFORMED', `${source}: row ${r + 1} has ${rows[r]!.length} fields, the header has ${header.length}`);
    }
  }
  if (kind === 'movies') {
    const runtime = at('runtime_seconds');
    const items = rows.slice(1).map((row, r) => ({ mediaType: 'movie' as const, durationSeconds: positiveNumber(row[runtime]!, 1, source, r + 2, 'runtime_seconds') }));
    return { name, kind, items, albums: [] };
  }
  const albumCol = at('album_id');
  const trackCol = at('track_no');
  const durationCol = at('duration_ms');
  const byAlbum = new Map<string, { trackNo: number; order: number; item: MediaItem }[]>();
  const items: MediaItem[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    const albumId = row[albumCol]!.trim();
    if (albumId === '') throw new RiskInputError('RISK_BAD_VALUE', `${source}: row ${r + 1}: album_id is empty`);
    const item: MediaItem = { mediaType: 'track', durationSeconds: positiveNumber(row[durationCol]!, 1000, source, r + 1, 'duration_ms') };
    const trackText = row[trackCol]!.trim();
    // Messy releases repeat or omit track numbers; such tracks keep their file order.
    const trackNo = trackText === '' ? Number.POSITIVE_INFINITY : Number(trackText);
    if (Number.isNaN(trackNo)) throw new RiskInputError('RISK_BAD_VALUE', `${source}: row ${r + 1}: track_no "${trackText.slice(0, 20)}" is not a number`);
    items.push(item);
    let tracks = byAlbum.get(albumId);
    if (tracks === undefined) byAlbum.set(albumId, (tracks = []));
    tracks.push({ trackNo, order: r, item });
  }
  const albums = [...byAlbum].map(([id, tracks]) => ({ id, tracks: tracks.sort((a, b) => a.trackNo - b.trackNo || a.order - b.order).map((t) => t.item) }));
  return { name, kind, items, albums };
}

function positiveNumber(text: string, divisor: number, source: string, row: number, column: string): number {
  const trimmed = text.trim();
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(value) || value <= 0) {
    throw new RiskInputError('RISK_BAD_VALUE', `${source}: row ${row}: ${column} "${trimmed.slice(0, 20)}" is not a positive number`);
  }
  return value / divisor;
}
