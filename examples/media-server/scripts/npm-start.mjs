// `npm start` from the repository root: builds every package (scripts/build.mjs), then runs the
// demo (dist/start.js) in this same process, so that Ctrl-C reaches it directly.
// CANDOR_START_SKIP_BUILD=1 skips the build when it was just done (the test suite runs `npm test`,
// which builds first; rebuilding while other tests run their built packages would pull dist/
// from under them).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
if (process.env.CANDOR_START_SKIP_BUILD !== '1') {
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) {
    process.stderr.write('npm start: the build failed; see above.\n');
    process.exit(build.status ?? 1);
  }
}
await import('../dist/start.js');
