#!/usr/bin/env node
// `npm run chaos` (after `npm run build`): runs the reliability and security scenarios on
// loopback and writes docs/reliability.md. See chaos/main.mjs for the options.
//
//   node chaos/run.mjs                 the full run (10-minute soak); writes docs/reliability.md
//   node chaos/run.mjs --short         the CI version (about two minutes); writes no document
//   node chaos/run.mjs --only soak,hostile --out /tmp/r.md --json /tmp/r.json
//
// This launcher copies the built packages first (chaos/lib/snapshot.mjs says why) and runs
// the scenarios from the copy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { snapshotBuild } from './lib/snapshot.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'candor-chaos-'));
let code = 1;
try {
  const snapshot = await snapshotBuild(repoRoot, join(work, 'build'));
  const { main } = await import(pathToFileURL(join(snapshot.chaosDir, 'main.mjs')).href);
  code = await main({ argv: process.argv.slice(2), repoRoot, work, snapshot });
} catch (error) {
  process.stderr.write(`chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  code = 2;
} finally {
  // A scenario that failed half-way may leave a file system mounted under the work directory.
  try {
    for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
      const point = line.split(' ')[1];
      if (point?.startsWith(work)) spawnSync('umount', ['-l', point]);
    }
  } catch {
    // not Linux: nothing was mounted
  }
  if (!process.env.CANDOR_CHAOS_KEEP) rmSync(work, { recursive: true, force: true });
  else process.stderr.write(`chaos: kept ${work}\n`);
}
process.exit(code);
