import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { resolveCollectorOptions, startCollector } from '@candor/collector';
import { createLibrary } from '../library/create-library.js';
import { MediaServerError } from '../media-server-error.js';
import { generateSampleMedia } from '../samples/generate-sample-media.js';
import { createDemoClock } from '../telemetry/demo-clock.js';
import type { StartOptions } from './resolve-start-options.js';
import { startFleet } from './run-fleet.js';
import { startInstrumentedServer } from './start-instrumented-server.js';

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

    const collector = await startCollector(
      resolveCollectorOptions(
        // The fleet and this machine's media server share one address: no per-address ingest limit here.
        { port: options.collectorPort, host: options.host, dataDir: join(options.home, 'collector'), logLevel: 'warn', ingestPerMinute: 0 },
        {},
      ),
    );
    stops.push({ name: 'collector', stop: () => collector.close() });
    log(`Collector: ${collector.url} (DuckDB in ${join(options.home, 'collector')})`);

    const dataDir = join(options.home, 'media-server');
    const running = await startInstrumentedServer({
      library,
      dataDir,
      endpoint: collector.url,
      host: options.host,
      port: options.port,
      // Reports leave in rounds; half a minute keeps the demo lively (the SDK's default is ten minutes).
      flushIntervalMs: 30_000,
      ...(options.demo && { demoClock: createDemoClock({ file: join(dataDir, 'telemetry-clock.json') }) }),
    });
    stops.push({ name: 'media server', stop: () => running.close() });

    const fleet = startFleet({ target: collector.url, installs: options.installs, days: options.fleetDays, stateDir: join(options.home, 'collector') });
    stops.push({ name: 'fleet', stop: () => fleet.stop() });
    if (options.installs > 0) log(`Fleet: ${options.installs} simulated installs are sending ${options.fleetDays} days of reports in the background…`);
    fleet.done
      .then((report) => {
        if (report !== null) log(`Fleet: ${report.acceptedEvents.toLocaleString('en-US')} events from ${options.installs} installs accepted in ${report.seconds.toFixed(1)} s${Object.keys(report.failures).length > 0 ? ` (failures: ${JSON.stringify(report.failures)})` : ''}.`);
      })
      .catch((error: unknown) => log(`Fleet: stopped with an error: ${(error as Error).message}`));

    const dashboard = `${collector.url}/dashboard`;
    const hasDashboard = await answers(dashboard);
    if (!hasDashboard) missing.push('dashboard: the collector does not serve /dashboard yet (issue 8); use GET /v1/stats with the admin token');
    return {
      urls: {
        mediaServer: `${running.url}/`,
        privacyTab: `${running.url}/login/session?token=${running.server.ownerToken}`,
        dashboard: hasDashboard ? dashboard : null,
        adminToken: collector.adminToken,
        collector: collector.url,
      },
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

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { redirect: 'manual' });
    await response.body?.cancel();
    return response.status !== 404;
  } catch {
    return false;
  }
}

function requireTool(name: 'ffmpeg' | 'ffprobe'): void {
  try {
    execFileSync(name, ['-version'], { stdio: 'ignore' });
  } catch {
    throw new MediaServerError('ffmpeg_missing', `${name} is not installed; install ffmpeg (Debian: apt-get install ffmpeg)`);
  }
}
