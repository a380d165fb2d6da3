import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveCollectorOptions, startCollector, type RunningCollector } from '@candor/collector';
import { createLibrary, type Library } from '../../src/library/create-library.js';
import { startInstrumentedServer, type InstrumentedServer } from '../../src/start/start-instrumented-server.js';
import { createDemoClock } from '../../src/telemetry/demo-clock.js';
import { bundlePrivacyTab, buildClientScripts, makeMediaFolder } from './fixtures.js';

/** The owner token every test stack uses. */
export const OWNER_TOKEN = 'owner-token-of-the-test-stack';

/** A real collector (DuckDB in a temporary folder), the test media, and a way to start instrumented media servers (installs) against them. */
export interface TestStack {
  readonly collector: RunningCollector;
  readonly library: Library;
  /** Starts one more install: its own data folder, the demo clock, no process-wide crash handlers. */
  install(): Promise<InstrumentedServer>;
  /** Signs in as the owner of an install: its session cookie and CSRF token. */
  signIn(server: InstrumentedServer): Promise<{ cookie: string; csrf: string }>;
  close(): Promise<void>;
}

/** Starts a collector with the given k and returns the stack. */
export async function startTestStack(options: { k?: number } = {}): Promise<TestStack> {
  buildClientScripts();
  const privacyTabAssetsDir = await bundlePrivacyTab();
  const media = await makeMediaFolder();
  const library = createLibrary({ folders: [media.dir] });
  await library.scan();
  const collector = await startCollector(resolveCollectorOptions({ port: 0, host: '127.0.0.1', dataDir: mkdtempSync(join(tmpdir(), 'collector-')), logLevel: 'silent', ...(options.k !== undefined && { k: options.k }) }, {}));
  const installs: InstrumentedServer[] = [];
  return {
    collector,
    library,
    async install() {
      const server = await startInstrumentedServer({
        library,
        dataDir: mkdtempSync(join(tmpdir(), 'media-server-')),
        endpoint: collector.url,
        demoClock: createDemoClock(),
        captureProcessCrashes: false,
        privacyTabAssetsDir,
        ownerToken: OWNER_TOKEN,
      });
      installs.push(server);
      return server;
    },
    async signIn(server) {
      const login = await fetch(`${server.url}/login/session?token=${OWNER_TOKEN}`, { redirect: 'manual' });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const { csrfToken } = (await (await fetch(`${server.url}/api/settings`, { headers: { cookie } })).json()) as { csrfToken: string };
      return { cookie, csrf: csrfToken };
    },
    async close() {
      for (const server of installs) await server.close();
      await collector.close();
      media.cleanup();
    },
  };
}
