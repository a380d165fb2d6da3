import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PrivacyTabConfigError } from '../errors.js';
import { ELEMENT_FILE } from '../page.js';
import { DEFAULT_ASSETS_DIR } from '../resolve-options.js';

/** The budget for the element with its styles, gzipped. */
export const ELEMENT_GZIP_BUDGET_BYTES = 50 * 1024;

/** Options of {@link bundlePrivacyTabElement}. */
export interface BundleElementOptions {
  /** Where to write `candor-privacy-tab.js`. @default packages/web/dist/privacy-tab/assets */
  readonly outdir?: string;
  /** Fail above this many gzipped bytes. @default 51200 */
  readonly maxGzipBytes?: number;
}

/** What the bundle weighs. */
export interface BundleElementResult {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly maxGzipBytes: number;
}

// From src/privacy-tab/build and from dist/privacy-tab/build alike, the element's TypeScript
// source is three levels up: the browser bundle is always built from source.
const ENTRY = fileURLToPath(new URL('../../../src/privacy-tab/element/index.ts', import.meta.url));

/**
 * Bundles `<candor-privacy-tab>` with its styles into one minified browser module and fails
 * when it weighs more than the budget gzipped. `scripts/build.mjs` calls it after transpiling.
 */
export async function bundlePrivacyTabElement(options: BundleElementOptions = {}): Promise<BundleElementResult> {
  const outdir = options.outdir ?? DEFAULT_ASSETS_DIR;
  const maxGzipBytes = options.maxGzipBytes ?? ELEMENT_GZIP_BUDGET_BYTES;
  // esbuild is a build-time tool: loaded only here, never by the handler at run time.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111', 'firefox113', 'safari16.4'],
    loader: { '.css': 'text' },
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0]!.contents;
  const gzipBytes = gzipSync(code, { level: 9 }).byteLength;
  if (gzipBytes > maxGzipBytes) {
    throw new PrivacyTabConfigError('PRIVACY_TAB_ELEMENT_TOO_LARGE', `<candor-privacy-tab> weighs ${gzipBytes} bytes gzipped with its styles, over its budget of ${maxGzipBytes} bytes.`);
  }
  await mkdir(outdir, { recursive: true });
  const file = join(outdir, ELEMENT_FILE);
  await writeFile(file, code);
  return { file, bytes: code.byteLength, gzipBytes, maxGzipBytes };
}
