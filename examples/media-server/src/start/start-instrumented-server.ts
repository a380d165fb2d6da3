import { join } from 'node:path';
import { mediaServerCatalog, type MediaServerCatalog } from '@candor/catalog/media-server';
import { captureCrashes, createTelemetry, reportIntegrationsDaily, type CrashCapture, type Telemetry } from '@candor/sdk';
import { createMediaServer, type MediaServer, type MediaServerPlugin } from '../http/create-media-server.js';
import { PACKAGE_ROOT } from '../http/static-assets.js';
import type { Library } from '../library/create-library.js';
import { createSettingsStore, type MediaServerSettings } from '../settings/settings-store.js';
import type { DemoClock } from '../telemetry/demo-clock.js';
import { demoRoutes } from '../telemetry/demo-routes.js';
import { instrumentMediaServer } from '../telemetry/instrument-media-server.js';
import { SERVER_VERSION } from '../telemetry/media-events.js';
import { createPlaybackWebhook, withRealClock, type PlaybackWebhookManager } from '../telemetry/playback-webhook.js';
import { privacyTabPlugin } from '../telemetry/privacy-tab-plugin.js';
import { webhookRoutes } from '../telemetry/webhook-routes.js';

/** Options of {@link startInstrumentedServer}. */
export interface InstrumentedServerOptions {
  /** The scanned library. */
  readonly library: Library;
  /** The media server's data folder; Candor's data goes to `<dataDir>/telemetry`. */
  readonly dataDir: string;
  /** The collector's base URL. */
  readonly endpoint: string;
  /** The interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** The port. @default 0 */
  readonly port?: number;
  /** The demo's telemetry clock; without it Candor runs on the real clock and no demo routes are mounted. */
  readonly demoClock?: DemoClock;
  /** How long events wait before a batch leaves. @default the SDK's (10 minutes) */
  readonly flushIntervalMs?: number;
  /** Whether uncaught exceptions and unhandled rejections of this process are reported (not in tests). @default true */
  readonly captureProcessCrashes?: boolean;
  /** Where the built privacy-tab element is. @default @candor/web's dist */
  readonly privacyTabAssetsDir?: string;
  /** The owner token. @default read from or created in the data folder */
  readonly ownerToken?: string;
}

/** A media server with Candor wired in. */
export interface InstrumentedServer {
  readonly server: MediaServer;
  readonly telemetry: Telemetry<MediaServerCatalog>;
  readonly crashes: CrashCapture;
  /** The owner's playback webhook. */
  readonly webhook: PlaybackWebhookManager;
  /** The base URL. */
  readonly url: string;
  /** The media server's data folder. */
  readonly dataDir: string;
  /** Ends open playbacks (they are recorded), stops crash capture, and shuts Candor down (persisting and sending what it can). */
  close(): Promise<void>;
}

/**
 * The reference integration: an SDK client for the media-server catalog, crash capture,
 * the instrumentation hooks, the privacy tab on the settings page, and (in the demo) the route
 * that ends the telemetry day.
 * @example const running = await startInstrumentedServer({ library, dataDir: '.candor/media-server', endpoint: collector.url });
 */
export async function startInstrumentedServer(options: InstrumentedServerOptions): Promise<InstrumentedServer> {
  const clock = options.demoClock;
  const telemetry = createTelemetry({
    catalog: mediaServerCatalog,
    endpoint: options.endpoint,
    dataDir: join(options.dataDir, 'telemetry'),
    ...(clock !== undefined && { now: () => clock.now() }),
    ...(options.flushIntervalMs !== undefined && { flushIntervalMs: options.flushIntervalMs }),
  });
  const processCrashes = options.captureProcessCrashes ?? true;
  const crashes = captureCrashes(telemetry, { appRoot: PACKAGE_ROOT, serverVersion: SERVER_VERSION, uncaughtExceptions: processCrashes, unhandledRejections: processCrashes });
  const settings = createSettingsStore(join(options.dataDir, 'settings.json'));
  const webhook = createPlaybackWebhook({
    telemetry,
    settings,
    secretFile: join(options.dataDir, 'webhook-secret'),
    ...(clock !== undefined && { integrationClient: withRealClock(telemetry) }),
  });
  const instrumentation = instrumentMediaServer({
    telemetry,
    library: options.library,
    stateFile: join(options.dataDir, 'telemetry', 'last-daily-report'),
    // Once an integration is declared the SDK reports integrations.daily on its own.
    recordIntegrationsDaily: () => {
      if (!webhook.declared()) reportIntegrationsDaily(telemetry);
    },
    onPlayback: (event, playback) => webhook.deliver(event, playback),
    onRequestFailed: (error) => crashes.reportError(error),
  });
  const hooks = { ...instrumentation.hooks, settingsChanged: (s: MediaServerSettings) => webhook.apply(s.webhook) };
  const plugins: MediaServerPlugin[] = [
    privacyTabPlugin({ telemetry, integrations: () => webhook.integrations(), ...(options.privacyTabAssetsDir !== undefined && { assetsDir: options.privacyTabAssetsDir }) }),
    webhookRoutes(webhook),
  ];
  if (clock !== undefined) plugins.push(demoRoutes(telemetry, clock, () => instrumentation.recordDailyIfDue()));
  let server: MediaServer;
  try {
    server = await createMediaServer({
      library: options.library,
      dataDir: options.dataDir,
      settings,
      hooks,
      plugins,
      ...(options.host !== undefined && { host: options.host }),
      ...(options.port !== undefined && { port: options.port }),
      ...(options.ownerToken !== undefined && { ownerToken: options.ownerToken }),
    });
  } catch (error) {
    instrumentation.close();
    crashes.stop();
    await webhook.close();
    await telemetry.shutdown({ flush: false });
    throw error;
  }
  const url = await server.listen();
  return {
    server,
    telemetry,
    crashes,
    webhook,
    url,
    dataDir: options.dataDir,
    async close() {
      await server.close();
      instrumentation.close();
      crashes.stop();
      await webhook.close();
      await telemetry.shutdown();
    },
  };
}
