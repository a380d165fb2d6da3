import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import type { WireBatch } from '@candor/protocol';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createCaptureServer, type CapturedHttpRequest, type CaptureServer, type CaptureServerOptions } from '../../src/testing/index.js';

// Captured at import, before any test installs fake timers: waiting for real I/O needs real time.
const realSetTimeout = globalThis.setTimeout;

/** Waits `ms` of real time, whatever fake timers are installed. */
export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

/** Polls `condition` in real time until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // Date may be faked: count polls as well.
  for (let polls = 0; !condition(); polls++) {
    if (polls * 5 > timeoutMs && Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await realSleep(5);
  }
}

/** Temporary directories removed by {@link removeTempDirs}. */
const dirs: string[] = [];
export function tempDir(prefix = 'candor-sdk-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** The category of a media-server catalog event, for a capture server's per-category counts. */
export const mediaServerCategoryOf = (name: string): string => mediaServerCatalog.events[name as keyof typeof mediaServerCatalog.events]?.category ?? '';

/**
 * One capture server for a test file: started before its tests; after each test, the clients
 * it tracks are shut down and the server is reset; after all, it is closed and the temporary
 * directories are removed. Register it before the file's own `afterEach` hooks, which then run
 * first (restoring timers and mocks before the clients shut down).
 */
export function useCaptureServer(options: CaptureServerOptions = {}): { readonly server: CaptureServer; track<T extends { shutdown(o: { flush: false }): Promise<unknown> }>(client: T): T } {
  let server: CaptureServer | undefined;
  const clients: { shutdown(o: { flush: false }): Promise<unknown> }[] = [];
  beforeAll(async () => {
    server = await createCaptureServer(options);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.shutdown({ flush: false })));
    // A request aborted at shutdown may still be in the server's queue: let it land before forgetting everything.
    await realSleep(20);
    server?.reset();
  });
  afterAll(async () => {
    await server?.close();
    removeTempDirs();
  });
  return {
    get server() {
      if (server === undefined) throw new Error('the capture server starts in beforeAll');
      return server;
    },
    track(client) {
      clients.push(client);
      return client;
    },
  };
}

/** The batches among captured requests, decoded. */
export function batchesOf(requests: readonly CapturedHttpRequest[]): WireBatch[] {
  return requests.filter((r) => r.path === '/v1/batches').map((r) => JSON.parse(r.body) as WireBatch);
}

/** The body as it arrived, gunzipped when gzip-encoded (independently of the capture server's own decoding). */
export function decodedBody(r: CapturedHttpRequest): string {
  return (r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.raw) : r.raw).toString('utf8');
}

/** A valid raw playback.session of the default catalog. */
export function playbackRaw(i = 0): {
  mediaType: string;
  durationSeconds: number;
  playedSeconds: number;
  bitrateKbps: number;
  container: string;
  videoCodec: string;
  audioCodec: string;
  width: number;
  height: number;
  deviceType: string;
  decision: string;
  hdr: boolean;
} {
  return { mediaType: 'track', durationSeconds: 181 + i, playedSeconds: 181 + i, bitrateKbps: 920, container: 'flac', videoCodec: 'none', audioCodec: 'flac', width: 0, height: 0, deviceType: 'speaker', decision: 'directplay', hdr: false };
}

/** A valid raw client.session of the default catalog. */
export const clientRaw = { deviceType: 'tv', clientPlatform: 'roku', clientVersion: '3.2.1' } as const;
