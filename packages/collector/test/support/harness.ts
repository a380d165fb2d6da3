import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { compileCatalog, type CatalogSpec } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { PATHS, type WireBatch, type WireEvent } from '@candor/protocol';
import { createApp } from '../../src/app.js';
import type { AppDeps } from '../../src/app-context.js';
import { createCatalogRegistry, type CatalogRegistry } from '../../src/catalogs/catalog-registry.js';
import { resolveCollectorOptions, type CollectorOptions } from '../../src/config/resolve-collector-options.js';
import type { CollectorStore } from '../../src/storage/contract.js';
import { createDuckDbStore, type DuckDbStore } from '../../src/storage/duckdb/duckdb-store.js';

/** The admin token every test app uses. */
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A collector app on a real DuckDB file in a temporary directory. */
export interface TestCollector {
  readonly app: FastifyInstance;
  readonly store: DuckDbStore;
  readonly registry: CatalogRegistry;
  readonly dir: string;
  readonly path: string;
  close(): Promise<void>;
}

/** Options of {@link createTestCollector}. */
export interface TestCollectorOptions {
  readonly now?: () => number;
  readonly options?: CollectorOptions;
  readonly catalog?: CatalogSpec;
  readonly deps?: Partial<AppDeps>;
  /** Use this store instead of a DuckDB one. */
  readonly store?: CollectorStore;
}

/** Builds an app with a real DuckDB store in a fresh temporary directory. */
export async function createTestCollector(o: TestCollectorOptions = {}): Promise<TestCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'candor-collector-'));
  const path = join(dir, 'candor.duckdb');
  const now = o.now ?? Date.now;
  const registry = createCatalogRegistry(o.catalog ?? mediaServerCatalog);
  const store = createDuckDbStore({ path, now, rollupQuietMs: 0, threads: 1 });
  const used = o.store ?? store;
  await used.open(registry.schema);
  const options = resolveCollectorOptions({ dataDir: dir, ingestPerMinute: 0, subjectsPerHour: 0, statsPerMinute: 0, ...o.options });
  const app = createApp({ store: used, registry, options, adminToken: ADMIN_TOKEN, now, ...o.deps });
  await app.ready();
  return {
    app,
    store,
    registry,
    dir,
    path,
    async close() {
      await app.close();
      await used.close();
      if (used !== store) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const catalog = compileCatalog(mediaServerCatalog);

/** Generalizes raw values with the real catalog, as the SDK would, into a wire event. */
export function wireEvent(name: string, day: string, raw: Record<string, unknown>): WireEvent {
  const r = catalog.normalize(name, raw);
  if (!r.ok) throw new Error(`test event ${name} is invalid: ${r.error.message}`);
  return { name, time: day, fields: r.payload };
}

/** A realistic playback of a film on a TV. */
export function playbackEvent(day: string, raw: Record<string, unknown> = {}): WireEvent {
  return wireEvent('playback.session', day, {
    mediaType: 'movie',
    durationSeconds: 7000,
    playedSeconds: 4000,
    bitrateKbps: 8000,
    container: 'mkv',
    videoCodec: 'hevc',
    audioCodec: 'eac3',
    width: 3840,
    height: 2160,
    deviceType: 'tv',
    decision: 'directplay',
    hdr: true,
    ...raw,
  });
}

/** A client connection. */
export function clientEvent(day: string, deviceType = 'mobile', clientPlatform = 'android'): WireEvent {
  return wireEvent('client.session', day, { deviceType, clientPlatform, clientVersion: '10.9.3' });
}

/** A daily server report. */
export function serverDailyEvent(day: string, raw: Record<string, unknown> = {}): WireEvent {
  return wireEvent('server.daily', day, { serverVersion: '10.9.1', platform: 'linux', arch: 'x64', movies: 800, episodes: 4000, tracks: 20000, photos: 0, activeDays7: 7, activeDays28: 25, ...raw });
}

/** Random lower-case hex of `bytes` bytes. */
export function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** A wire batch for a day period. */
export function wireBatch(day: string, events: readonly WireEvent[], overrides: Partial<WireBatch> = {}): WireBatch {
  return { v: 1, catalog: { id: 'media-server', version: '1.0.0' }, pseudonym: hex(32), period: day, batchKey: hex(16), events, ...overrides };
}

/** Posts a body to /v1/batches with app.inject, gzip-encoded unless told otherwise. */
export function postBatch(app: FastifyInstance, body: unknown, options: { encoding?: 'gzip' | 'identity'; headers?: Record<string, string> } = {}): Promise<LightMyRequestResponse> {
  const json = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const gzip = (options.encoding ?? 'gzip') === 'gzip';
  return app.inject({
    method: 'POST',
    url: PATHS.batches,
    headers: { 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}), ...options.headers },
    payload: gzip ? gzipSync(json) : json,
  });
}

/** The UTC day of a time. */
export function dayAt(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
