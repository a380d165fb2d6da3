import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { MEDIA_EXTENSIONS, extensionOf, type MediaKind } from './media-kinds.js';
import { probeMedia, type MediaInfo, type ProbeMediaOptions } from './probe-media.js';
import { scanFolders, type FoundFile, type ScanProblem } from './scan-folders.js';

/** The kind of media an item is, in the catalog's terms. */
export type MediaType = 'movie' | 'episode' | 'track';

/** One playable file of the library. */
export interface LibraryItem {
  /** A stable opaque id (a hash of the path): the only way URLs name a file. */
  readonly id: string;
  /** The absolute path; never sent to browsers. */
  readonly path: string;
  /** The path relative to its library folder. */
  readonly relativePath: string;
  /** Played in `<video>` or `<audio>`. */
  readonly kind: MediaKind;
  /** Movie, episode (an `S01E02` name) or music track. */
  readonly mediaType: MediaType;
  /** The title tag, or the file name without its extension. */
  readonly title: string;
  /** The MIME type it is streamed with. */
  readonly mimeType: string;
  /** Its size in bytes. */
  readonly sizeBytes: number;
  /** Its modification time. */
  readonly mtimeMs: number;
  /** ffprobe's metadata, or null when ffprobe could not read it. */
  readonly info: MediaInfo | null;
  /** Why ffprobe failed, when it did. */
  readonly probeError?: string;
}

/** What one scan found. */
export interface ScanSummary {
  /** How many items the library holds now. */
  readonly items: number;
  /** How many files were probed in this scan (new or changed). */
  readonly probed: number;
  /** Folders or files that could not be read. */
  readonly problems: readonly ScanProblem[];
}

/** Options of {@link createLibrary}. */
export interface LibraryOptions extends ProbeMediaOptions {
  /** The folders to scan. */
  readonly folders: readonly string[];
  /** How many ffprobe processes run at once. @default 2 */
  readonly probeConcurrency?: number;
}

/** The media library: the files of its folders, with their metadata. */
export interface Library {
  /** The folders it scans. */
  readonly folders: readonly string[];
  /** Scans the folders again, probing only new or changed files. Concurrent calls share one scan. */
  scan(): Promise<ScanSummary>;
  /** Every item, albums and shows grouped by sorting on the path. */
  items(): readonly LibraryItem[];
  /** The item with this id, or undefined. */
  get(id: string): LibraryItem | undefined;
  /** How many items of each media type the library holds. */
  counts(): Record<MediaType, number>;
  /** The problems of the last scan. */
  problems(): readonly ScanProblem[];
}

/** Ids are 24 hex digits; anything else is refused before any lookup. */
export const ITEM_ID_PATTERN = /^[0-9a-f]{24}$/;

const EPISODE_PATTERN = /\bS\d{1,3}E\d{1,4}\b/i;

/**
 * Creates a library over the given folders. Call `scan()` to fill it.
 * @example const library = createLibrary({ folders: ['/srv/media'] }); await library.scan();
 */
export function createLibrary(options: LibraryOptions): Library {
  const folders = [...options.folders];
  const concurrency = Math.max(1, options.probeConcurrency ?? 2);
  let byId = new Map<string, LibraryItem>();
  let lastProblems: readonly ScanProblem[] = [];
  let running: Promise<ScanSummary> | null = null;

  async function runScan(): Promise<ScanSummary> {
    const { files, problems } = await scanFolders(folders);
    const next = new Map<string, LibraryItem>();
    const toProbe: FoundFile[] = [];
    for (const file of files) {
      const id = itemId(file.path);
      const known = byId.get(id);
      if (known !== undefined && known.sizeBytes === file.sizeBytes && known.mtimeMs === file.mtimeMs) next.set(id, known);
      else toProbe.push(file);
    }
    let cursor = 0;
    const worker = async () => {
      while (cursor < toProbe.length) {
        const file = toProbe[cursor++]!;
        next.set(itemId(file.path), await probeItem(file, options));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, toProbe.length) }, worker));
    byId = new Map([...next.entries()].sort(([, a], [, b]) => a.path.localeCompare(b.path)));
    lastProblems = problems;
    return { items: byId.size, probed: toProbe.length, problems };
  }

  return {
    folders,
    scan() {
      running ??= runScan().finally(() => {
        running = null;
      });
      return running;
    },
    items: () => [...byId.values()],
    get: (id) => (ITEM_ID_PATTERN.test(id) ? byId.get(id) : undefined),
    counts() {
      const counts: Record<MediaType, number> = { movie: 0, episode: 0, track: 0 };
      for (const item of byId.values()) counts[item.mediaType] += 1;
      return counts;
    },
    problems: () => lastProblems,
  };
}

function itemId(path: string): string {
  return createHash('sha256').update(path).digest('hex').slice(0, 24);
}

async function probeItem(file: FoundFile, options: ProbeMediaOptions): Promise<LibraryItem> {
  const extension = MEDIA_EXTENSIONS.get(extensionOf(file.path))!;
  let info: MediaInfo | null = null;
  let probeError: string | undefined;
  try {
    info = await probeMedia(file.path, options);
  } catch (error) {
    probeError = (error as Error).message;
  }
  const fileTitle = basename(file.path).replace(/\.[^.]+$/, '');
  // An audio-only file in a video container (an .m4a renamed .mp4) is still music.
  const kind: MediaKind = info !== null && info.videoCodec === null && info.audioCodec !== null ? 'audio' : extension.kind;
  const mediaType: MediaType = kind === 'audio' ? 'track' : EPISODE_PATTERN.test(fileTitle) ? 'episode' : 'movie';
  return {
    id: itemId(file.path),
    path: file.path,
    relativePath: file.relativePath,
    kind,
    mediaType,
    title: info?.tags.title ?? fileTitle,
    mimeType: kind === 'audio' && extension.kind === 'video' ? 'audio/mp4' : extension.mimeType,
    sizeBytes: file.sizeBytes,
    mtimeMs: file.mtimeMs,
    info,
    ...(probeError !== undefined && { probeError }),
  };
}
