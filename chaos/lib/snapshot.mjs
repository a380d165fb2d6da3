// A private copy of the built workspace packages for one chaos run.
//
// The scenarios restart child processes (collectors, install hosts) many times over several
// minutes, and each restart loads the packages' dist/ afresh. `npm run build` deletes and
// rewrites every dist/ folder, so a build started by anyone while a run is going would make a
// restart fail half-way, and the run would report a crash that is not the product's. The run
// therefore copies each package's package.json, dist/ and bin/ once, links every third-party
// dependency, and runs from the copy.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Copies the built packages of `repoRoot` and the chaos folder into `dir` and links the
 * third-party dependencies; returns where the copy's entry points are. Retries while a build
 * is rewriting dist/ (a package without dist/index.js).
 * @param {string} repoRoot
 * @param {string} dir an empty directory
 * @returns {Promise<{ root: string, chaosDir: string, cliBin: string }>}
 */
export async function snapshotBuild(repoRoot, dir) {
  const workspaces = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).workspaces;
  for (let attempt = 0; ; attempt++) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'node_modules', '@candor'), { recursive: true });
    let complete = true;
    for (const ws of workspaces) {
      const pkg = JSON.parse(readFileSync(join(repoRoot, ws, 'package.json'), 'utf8'));
      if (!pkg.name.startsWith('@candor/')) continue;
      const to = join(dir, 'node_modules', pkg.name);
      mkdirSync(to, { recursive: true });
      cpSync(join(repoRoot, ws, 'package.json'), join(to, 'package.json'));
      for (const sub of ['dist', 'bin']) if (existsSync(join(repoRoot, ws, sub))) cpSync(join(repoRoot, ws, sub), join(to, sub), { recursive: true });
      if (existsSync(join(repoRoot, ws, 'src', 'index.ts')) && !existsSync(join(to, 'dist', 'index.js'))) complete = false;
    }
    if (complete) break;
    if (attempt >= 30) throw new Error('the built packages are incomplete (dist/index.js missing); run `npm run build` first');
    await sleep(1000);
  }
  for (const name of readdirSync(join(repoRoot, 'node_modules'))) {
    if (name === '@candor' || name === '.bin' || name.startsWith('.')) continue;
    symlinkSync(join(repoRoot, 'node_modules', name), join(dir, 'node_modules', name));
  }
  cpSync(join(repoRoot, 'chaos'), join(dir, 'chaos'), { recursive: true });
  return { root: dir, chaosDir: join(dir, 'chaos'), cliBin: join(dir, 'node_modules', '@candor', 'cli', 'bin', 'candor.js') };
}
