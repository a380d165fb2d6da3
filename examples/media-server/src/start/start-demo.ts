import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createMediaServer, type MediaServer } from '../http/create-media-server.js';
import { createLibrary } from '../library/create-library.js';
import { MediaServerError } from '../media-server-error.js';
import { generateSampleMedia } from '../samples/generate-sample-media.js';
import type { StartOptions } from './resolve-start-options.js';

/** The URLs `npm start` prints. */
export interface DemoUrls {
  /** The media server's library page. */
  readonly mediaServer: string;
  /** The owner sign-in link that opens the settings page with the privacy tab. */
  readonly privacyTab: string | null;
  /** The vendor dashboard. */
  readonly dashboard: string | null;
  /** The dashboard's admin token. */
  readonly adminToken: string | null;
  /** The collector's base URL. */
  readonly collector: string | null;
}

/** The running demo. */
export interface Demo {
  readonly urls: DemoUrls;
  /** Parts that are not available, with the reason, for the start banner. */
  readonly missing: readonly string[];
  /** Stops everything in reverse order of start. */
  stop(): Promise<void>;
}

/** Progress lines for the terminal. */
export type Log = (line: string) => void;

/**
 * Starts the whole demo: sample media (unless folders are given), the collector, the media
 * server instrumented with Candor, and a simulated fleet. Parts start in dependency order and
 * stop in reverse; a failure midway stops what had started.
 */
export async function startDemo(options: StartOptions, log: Log): Promise<Demo> {
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  const missing: string[] = [];
  const stopAll = async () => {
    for (const part of stops.reverse()) {
      try {
        await part.stop();
      } catch (error) {
        log(`  ${part.name} did not stop cleanly: ${(error as Error).message}`);
      }
    }
    stops.length = 0;
  };
  try {
    requireTool('ffprobe');
    const folders = options.mediaFolders.length > 0 ? options.mediaFolders : [await ensureSamples(options.home, log)];

    const library = createLibrary({ folders });
    const summary = await library.scan();
    log(`Library: ${summary.items} items in ${folders.join(', ')}${summary.problems.length > 0 ? ` (${summary.problems.map((p) => `${p.folder}: ${p.message}`).join('; ')})` : ''}`);

    const server: MediaServer = await createMediaServer({ library, dataDir: join(options.home, 'media-server'), host: options.host, port: options.port });
    const mediaServerUrl = await server.listen();
    stops.push({ name: 'media server', stop: () => server.close() });

    return {
      urls: { mediaServer: `${mediaServerUrl}/`, privacyTab: `${mediaServerUrl}/login/session?token=${server.ownerToken}`, dashboard: null, adminToken: null, collector: null },
      missing,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function ensureSamples(home: string, log: Log): Promise<string> {
  requireTool('ffmpeg');
  const dir = join(home, 'media');
  const { created } = await generateSampleMedia(dir, { onProgress: (path, i, total) => log(`Generating sample media ${i + 1}/${total}: ${path}`) });
  if (created.length === 0) log(`Sample media: ${dir}`);
  return dir;
}

function requireTool(name: 'ffmpeg' | 'ffprobe'): void {
  try {
    execFileSync(name, ['-version'], { stdio: 'ignore' });
  } catch {
    throw new MediaServerError('ffmpeg_missing', `${name} is not installed; install ffmpeg (Debian: apt-get install ffmpeg)`);
  }
}
