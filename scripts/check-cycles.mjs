// Fails when TypeScript sources import each other in a cycle, within a package or across
// workspace packages. madge resolves the `.js` suffixes of relative imports to `.ts`; for
// `@candor/*` imports it is given a path map built from each package's `exports` (`source`
// condition), because it cannot follow the workspace symlinks to the sources by itself.
// Type-only imports are erased by TypeScript and cannot form a cycle at run time, so they are skipped.
// Usage: node scripts/check-cycles.mjs
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import madge from 'madge';

const roots = ['packages', 'examples'];
const paths = {};
for (const root of roots) {
  for (const dir of readdirSync(root)) {
    const manifest = `${root}/${dir}/package.json`;
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const source = typeof target === 'string' ? target : target.source;
      if (typeof source === 'string') paths[pkg.name + subpath.slice(1)] = [`${root}/${dir}/${source.replace(/^\.\//, '')}`];
    }
  }
}

const result = await madge(roots, {
  fileExtensions: ['ts'],
  excludeRegExp: [/(^|\/)dist\//, /(^|\/)node_modules\//, /\.d\.ts$/],
  tsConfig: { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', baseUrl: resolve('.'), paths } },
  detectiveOptions: { ts: { skipTypeImports: true } },
});
const files = Object.keys(result.obj()).length;
const cycles = result.circular();
if (cycles.length > 0) {
  console.error(`${cycles.length} circular import${cycles.length === 1 ? '' : 's'} among ${files} files:`);
  for (const cycle of cycles) console.error(`  ${[...cycle, cycle[0]].join(' → ')}`);
  process.exit(1);
}
console.log(`no circular imports among ${files} files`);
