import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { compileCatalog } from '@candor/catalog';
import { mediaServerCatalog, type MediaServerCatalog } from '@candor/catalog/media-server';
import type { Telemetry } from '@candor/sdk';
import type { MediaServerHooks } from '../http/create-media-server.js';
import type { Library } from '../library/create-library.js';
import type { Playback } from '../playback/playback-tracker.js';
import { clientSessionRaw, playbackRaw, playbackSessionRaw, serverDailyRaw } from './media-events.js';

/** Options of {@link instrumentMediaServer}. */
export interface InstrumentOptions {
  /** The SDK client, created with the media-server catalog. */
  readonly telemetry: Telemetry<MediaServerCatalog>;
  /** The library, for the daily library-size report. */
  readonly library: Library;
  /** Records the day's `integrations.daily`, when the host must (the SDK does it once an integration is declared). */
  readonly recordIntegrationsDaily?: () => void;
  /** Where the day of the last daily report is kept, so a restart does not report it twice. */
  readonly stateFile: string;
  /** Called for every ended playback and every start, after Candor has it (the webhook). */
  readonly onPlayback?: (event: 'play' | 'stop', playback: Playback) => void;
  /** Receives errors of failed requests (crash reports). */
  readonly onRequestFailed?: (error: Error) => void;
  /** How often to check whether a new day began. @default 60000 */
  readonly dailyCheckMs?: number;
}

/** The media server's instrumentation. */
export interface MediaInstrumentation {
  /** The hooks to pass to `createMediaServer`. */
  readonly hooks: MediaServerHooks;
  /** Records the daily reports when the telemetry day has changed since the last ones. */
  recordDailyIfDue(): boolean;
  /** Stops the daily timer. */
  close(): void;
}

const catalog = compileCatalog(mediaServerCatalog);

/**
 * Connects the media server to Candor: a client session per browser tab, a playback session per
 * ended playback (with the file's real ffprobe figures, generalized by the SDK), and the daily
 * server report. The raw values go to `record()` and die there.
 * @example const instrumentation = instrumentMediaServer({ telemetry, library, stateFile });
 */
export function instrumentMediaServer(options: InstrumentOptions): MediaInstrumentation {
  const { telemetry, library } = options;
  const now = () => telemetry.extensions.now();
  let lastDailyDay = readDay(options.stateFile);

  const recordDailyIfDue = (): boolean => {
    const day = new Date(now()).toISOString().slice(0, 10);
    if (day === lastDailyDay) return false;
    const { activeDays7, activeDays28 } = telemetry.activity();
    telemetry.record('server.daily', serverDailyRaw({ platform: serverPlatform(), arch: process.arch, counts: library.counts(), activeDays7, activeDays28 }));
    options.recordIntegrationsDaily?.();
    lastDailyDay = day;
    writeDay(options.stateFile, day);
    return true;
  };
  recordDailyIfDue();
  const timer = setInterval(recordDailyIfDue, options.dailyCheckMs ?? 60_000);
  timer.unref();

  const hooks: MediaServerHooks = {
    clientConnected(client) {
      telemetry.record('client.session', clientSessionRaw(client));
    },
    playbackStarted(playback) {
      options.onPlayback?.('play', playback);
    },
    playbackStopped(playback) {
      // A playback that never played a second says nothing about how media is watched.
      if (playback.playedSeconds > 0) telemetry.record('playback.session', playbackRaw(playback));
      options.onPlayback?.('stop', playback);
    },
    requestFailed(error) {
      options.onRequestFailed?.(error);
    },
    previewReport(item, client) {
      const played = item.info?.durationSeconds ?? 0;
      const result = catalog.normalize('playback.session', playbackSessionRaw(item, client, played));
      return result.ok ? { event: 'playback.session', fields: result.payload } : { event: 'playback.session', error: result.error.message };
    },
  };
  return { hooks, recordDailyIfDue, close: () => clearInterval(timer) };
}

// Inside a container the host OS says little; the catalog has a value for it.
function serverPlatform(): string {
  return existsSync('/.dockerenv') ? 'docker' : process.platform;
}

function readDay(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function writeDay(file: string, day: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${day}\n`);
  } catch {
    // Losing this only risks a second daily report, which the SDK's period limit drops.
  }
}
