// Transpiles only this example's src/ to dist/ with the same esbuild settings as the root
// build (scripts/build.mjs), for the tests and for working on the example alone without
// rebuilding every package.
import { build } from 'esbuild';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

async function listTs(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listTs(p)));
    else if (/\.ts$/.test(entry.name) && !/\.test(-d)?\.ts$|\.d\.ts$/.test(entry.name)) out.push(p);
  }
  return out;
}

/** Builds `src/<sub>` (default: all of src) into `dist/<sub>`. */
export async function buildExample(sub = '') {
  const src = join(root, 'src', sub);
  await build({ entryPoints: await listTs(src), outdir: join(root, 'dist', sub), outbase: src, format: 'esm', platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildExample(process.argv[2] ?? '');
