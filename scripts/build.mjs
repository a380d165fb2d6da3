// Transpiles every workspace package's src/ to dist/ (ESM, Node 20). Type checking is
// `npm run typecheck`; this step only strips types so that the CLI and example run on plain Node.
import { build } from 'esbuild';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

const roots = ['packages', 'examples'];
async function listTs(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listTs(p)));
    else if (/\.ts$/.test(entry.name) && !/\.test(-d)?\.ts$|\.d\.ts$/.test(entry.name)) out.push(p);
  }
  return out;
}
for (const root of roots) {
  for (const name of await readdir(root)) {
    const src = join(root, name, 'src');
    try { await stat(src); } catch { continue; }
    const dist = join(root, name, 'dist');
    await rm(dist, { recursive: true, force: true });
    const entryPoints = await listTs(src);
    if (entryPoints.length === 0) continue;
    await build({ entryPoints, outdir: dist, outbase: src, format: 'esm', platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' });
  }
}

// ── @candor/web ─────────────────────────────────────────────────────────────────────────────
// Bundles <candor-privacy-tab> (TypeScript + CSS) into one browser module under
// packages/web/dist/privacy-tab/assets and fails the build when it weighs more than 50 KB gzipped.
{
  const { bundlePrivacyTabElement } = await import('../packages/web/dist/privacy-tab/build/bundle-element.js');
  const element = await bundlePrivacyTabElement();
  console.log(`candor-privacy-tab.js: ${element.bytes} bytes, ${element.gzipBytes} bytes gzipped (budget ${element.maxGzipBytes})`);
}
// The vendor dashboard's page script (with uPlot) and styles, under packages/web/dist/dashboard/assets;
// fails the build when they weigh more than their gzipped budget.
{
  const { bundleDashboard } = await import('../packages/web/dist/dashboard/build/bundle-dashboard.js');
  const dashboard = await bundleDashboard();
  console.log(`dashboard.js + dashboard.css: ${dashboard.script.byteLength + dashboard.styles.byteLength} bytes, ${dashboard.gzipBytes} bytes gzipped (budget ${dashboard.maxGzipBytes})`);
}
