// A small media-server-like host: its own admin login (a session cookie), the real SDK client
// on a data directory, and the privacy tab mounted at /privacy.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import type { MediaServerCatalog } from '@candor/catalog/media-server';
import { createTelemetry, definePlexStyleWebhook } from '@candor/sdk';
import type { PlaybackWebhook, Telemetry } from '@candor/sdk';
import { createPrivacyTabHandler } from '../../src/index.js';
import type { PrivacyTabOptions } from '../../src/index.js';
import { serve } from './serve.js';

/** A running host. */
export interface Host {
  readonly url: string;
  readonly client: Telemetry<MediaServerCatalog>;
  /** The admin session cookie the host's login sets. */
  readonly adminCookie: string;
  /** The owner's playback webhook, when one is configured. */
  readonly webhook: PlaybackWebhook | null;
  /** Shuts the SDK client down (persisting everything) and stops the server. */
  close(): Promise<void>;
}

/** Options of {@link startHost}. */
export interface HostOptions {
  readonly dataDir: string;
  readonly endpoint: string;
  readonly assetsDir: string;
  /** The SDK's clock. */
  readonly now: () => number;
  readonly tab?: Partial<PrivacyTabOptions>;
  /** A playback webhook the owner configured (the SDK's reference integration). */
  readonly webhook?: { readonly destination: string; readonly secret: string };
}

/** Starts the host on 127.0.0.1, port 0. */
export async function startHost(options: HostOptions): Promise<Host> {
  const client = createTelemetry({
    catalog: mediaServerCatalog,
    endpoint: options.endpoint,
    dataDir: options.dataDir,
    now: options.now,
    env: {},
    // Nothing leaves on its own: the test flushes when it wants requests to go.
    flushIntervalMs: 3_600_000,
    initialBackoffMs: 10,
    maxBackoffMs: 50,
    maxAttempts: 2,
    subjectRequestTimeoutMs: 3000,
    onDiagnostic: () => undefined,
  });
  const webhook = options.webhook ? definePlexStyleWebhook(client, { ...options.webhook, title: 'Home automation', initialBackoffMs: 10, maxAttempts: 2 }) : null;
  const session = randomBytes(16).toString('hex');
  const isAdmin = (req: IncomingMessage): boolean => (req.headers.cookie ?? '').split(/;\s*/).includes(`host_session=${session}`);
  const tab = createPrivacyTabHandler({ client, authorize: (req) => (isAdmin(req) ? { id: 'owner' } : false), assetsDir: options.assetsDir, ...options.tab });
  const served = await serve((req, res) =>
    tab(req, res, () => {
      if (req.url === '/login') {
        res.writeHead(302, { 'set-cookie': `host_session=${session}; Path=/; HttpOnly; SameSite=Lax`, location: '/privacy/' });
        return res.end();
      }
      res.writeHead(404).end('not found');
    }),
  );
  return {
    url: served.url,
    client,
    adminCookie: `host_session=${session}`,
    webhook,
    close: async () => {
      webhook?.close();
      await client.shutdown({ flush: false });
      await served.close();
    },
  };
}
