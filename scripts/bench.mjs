// Runs every benchmark in bench/ (or those whose file name contains an argument), one child
// process each so that one benchmark's heap and JIT state cannot colour the next.
// Usage: npm run bench [-- name-filter ...]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const filters = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n== ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', join('bench', f)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`!! ${f} exited with ${r.status ?? r.signal}`);
  }
}
if (files.length === 0) console.log('no benchmark matched');
process.exit(failed > 0 ? 1 : 0);
