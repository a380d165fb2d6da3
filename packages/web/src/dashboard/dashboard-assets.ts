import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DashboardConfigError } from './errors.js';
import { DASHBOARD_ASSET_FILES } from './render-pages.js';
import type { ResolvedDashboardOptions } from './resolve-dashboard-options.js';

/** One static asset, ready to serve. */
export interface DashboardAsset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

/** The page's script and styles, loaded once on first use. */
export type DashboardAssets = () => Promise<ReadonlyMap<string, DashboardAsset>>;

function asset(body: Uint8Array, type: string): DashboardAsset {
  const buffer = Buffer.from(body);
  return { body: buffer, type, etag: `"${createHash('sha256').update(buffer).digest('base64url').slice(0, 22)}"` };
}

/**
 * Loads the assets lazily, so that a collector whose assets were not built still starts (its
 * dashboard answers 503 saying how to build them): from `assetsDir`, or bundled from source.
 * A failed load is retried on the next request.
 */
export function createDashboardAssets(options: Pick<ResolvedDashboardOptions, 'assets' | 'assetsDir'>): DashboardAssets {
  let loading: Promise<ReadonlyMap<string, DashboardAsset>> | undefined;
  async function load(): Promise<ReadonlyMap<string, DashboardAsset>> {
    let script: Uint8Array;
    let styles: Uint8Array;
    if (options.assets === 'source') {
      const { bundleDashboard } = await import('./build/bundle-dashboard.js');
      ({ script, styles } = await bundleDashboard({ outdir: null }));
    } else {
      try {
        [script, styles] = await Promise.all([readFile(join(options.assetsDir, DASHBOARD_ASSET_FILES.script)), readFile(join(options.assetsDir, DASHBOARD_ASSET_FILES.styles))]);
      } catch (error) {
        throw new DashboardConfigError('DASHBOARD_ASSETS_MISSING', `the dashboard's script and styles were not found in ${options.assetsDir} (${(error as Error).message}); run \`npm run build\``);
      }
    }
    return new Map([
      [DASHBOARD_ASSET_FILES.script, asset(script, 'text/javascript; charset=utf-8')],
      [DASHBOARD_ASSET_FILES.styles, asset(styles, 'text/css; charset=utf-8')],
    ]);
  }
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
