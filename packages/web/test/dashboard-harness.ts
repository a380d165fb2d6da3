import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { createApp, createCatalogRegistry, createDuckDbStore, resolveCollectorOptions, runLoad, type CollectorOptions, type DuckDbStore, type LoadReport } from '@candor/collector';

/** The admin token of every dashboard test collector. */
export const DASHBOARD_ADMIN_TOKEN = 'dashboard-test-admin-token-0123456789';

/** A real collector (DuckDB in a temporary directory) listening on a random port. */
export interface DashboardCollector {
  readonly app: FastifyInstance;
  readonly store: DuckDbStore;
  readonly url: string;
  readonly load: LoadReport | null;
  /** GETs `/v1/stats…` with the admin token, as any analyst would. */
  stats(pathAndQuery: string, accept?: string): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/** Options of {@link startDashboardCollector}. */
export interface DashboardCollectorOptions {
  /** Installs the load generator simulates; no load when 0. @default 0 */
  readonly installs?: number;
  /** Days of reports per install. @default 30 */
  readonly days?: number;
  readonly seed?: number;
  readonly now?: () => number;
  readonly options?: CollectorOptions;
}

/**
 * Starts the collector's real app (`createApp`, which mounts the dashboard) on a DuckDB file and
 * fills it with the collector's own fleet simulator (`candor load`'s engine) over HTTP.
 */
export async function startDashboardCollector(o: DashboardCollectorOptions = {}): Promise<DashboardCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'candor-dashboard-'));
  const now = o.now ?? Date.now;
  const registry = createCatalogRegistry(mediaServerCatalog);
  const store = createDuckDbStore({ path: join(dir, 'candor.duckdb'), now, threads: 1 });
  await store.open(registry.schema);
  const options = resolveCollectorOptions({ dataDir: dir, ingestPerMinute: 0, statsPerMinute: 0, ...o.options }, {});
  const app = createApp({ store, registry, options, adminToken: DASHBOARD_ADMIN_TOKEN, now });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  let load: LoadReport | null = null;
  if ((o.installs ?? 0) > 0) {
    load = await runLoad({ target: url, installs: o.installs!, durationSeconds: 300, concurrency: 8, fleet: { days: o.days ?? 30, seed: o.seed ?? 42, now: now() } });
    if (!load.exhausted || Object.keys(load.failures).length > 0) throw new Error(`the load did not complete: ${JSON.stringify(load.failures)}`);
  }
  return {
    app,
    store,
    url,
    load,
    async stats(pathAndQuery, accept = 'application/json') {
      const res = await fetch(`${url}${pathAndQuery}`, { headers: { authorization: `Bearer ${DASHBOARD_ADMIN_TOKEN}`, accept } });
      return { status: res.status, body: await res.text() };
    },
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
