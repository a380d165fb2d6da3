import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DashboardConfigError } from '../errors.js';
import { DASHBOARD_ASSET_FILES } from '../render-pages.js';
import { DEFAULT_DASHBOARD_ASSETS_DIR } from '../resolve-dashboard-options.js';

/** Budget of the page script (with uPlot) plus styles, gzipped. */
export const DASHBOARD_GZIP_BUDGET_BYTES = 48 * 1024;

/** Options of {@link bundleDashboard}. */
export interface BundleDashboardOptions {
  /** Where to write the script and styles; nothing is written when null. @default packages/web/dist/dashboard/assets */
  readonly outdir?: string | null;
  /** Fail above this many gzipped bytes (script and styles together). @default 49152 */
  readonly maxGzipBytes?: number;
}

/** The bundled page assets and what they weigh. */
export interface DashboardBundle {
  readonly script: Uint8Array;
  readonly styles: Uint8Array;
  readonly gzipBytes: number;
  readonly maxGzipBytes: number;
}

// From src/dashboard/build and dist/dashboard/build alike, the browser sources are three levels
// up under src/: the browser bundle is always built from source.
const CLIENT_DIR = fileURLToPath(new URL('../../../src/dashboard/client/', import.meta.url));

/**
 * Bundles the dashboard's browser code (with uPlot) and styles (with uPlot's) into one
 * minified module and one stylesheet, and fails when they weigh more than the budget gzipped.
 * `scripts/build.mjs` calls it after transpiling; the server module calls it with
 * `outdir: null` when it runs from source.
 */
export async function bundleDashboard(options: BundleDashboardOptions = {}): Promise<DashboardBundle> {
  const outdir = options.outdir === undefined ? DEFAULT_DASHBOARD_ASSETS_DIR : options.outdir;
  const maxGzipBytes = options.maxGzipBytes ?? DASHBOARD_GZIP_BUDGET_BYTES;
  // esbuild is a build-time tool: loaded only here, never on the serving path of built assets.
  const { build } = await import('esbuild');
  const common = { bundle: true, minify: true, write: false, legalComments: 'none' as const, logLevel: 'warning' as const, conditions: ['source'] };
  const [js, css] = await Promise.all([
    build({ ...common, entryPoints: [join(CLIENT_DIR, 'main.ts')], format: 'esm', platform: 'browser', target: ['es2022', 'chrome111', 'firefox113', 'safari16.4'] }),
    build({ ...common, entryPoints: [join(CLIENT_DIR, 'styles.css')], loader: { '.css': 'css' } }),
  ]);
  const script = js.outputFiles![0]!.contents;
  const styles = css.outputFiles![0]!.contents;
  const gzipBytes = gzipSync(script, { level: 9 }).byteLength + gzipSync(styles, { level: 9 }).byteLength;
  if (gzipBytes > maxGzipBytes) {
    throw new DashboardConfigError('DASHBOARD_BUNDLE_TOO_LARGE', `the dashboard's script and styles weigh ${gzipBytes} bytes gzipped, over their budget of ${maxGzipBytes} bytes`);
  }
  if (outdir !== null) {
    await mkdir(outdir, { recursive: true });
    await writeFile(join(outdir, DASHBOARD_ASSET_FILES.script), script);
    await writeFile(join(outdir, DASHBOARD_ASSET_FILES.styles), styles);
  }
  return { script, styles, gzipBytes, maxGzipBytes };
}
