// Cost of the compiled normalizer: one valid playback.session, raw → generalized payload.
// Bar (issue 2): median ≤ 1 µs per call. Baseline measured in the same run: JSON.stringify of
// the same generalized payload, which every event pays anyway on its way to the outbox.
// Each round is timed twice: CPU time of this process (process.cpuUsage), which is what a
// call costs the host, and wall time, which on a shared machine also counts the time spent
// waiting for a core. The bar is judged on CPU time; both are printed.
// Usage: npm run bench -- normalize   (BENCH_ROUNDS, BENCH_CALLS override 30 × 100000)
import { compileCatalog } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const CALLS = Number(process.env.BENCH_CALLS ?? 100_000);
const BAR_NS = 1000;

const session = compileCatalog(mediaServerCatalog).events.get('playback.session');
const raw = {
  mediaType: 'movie',
  durationSeconds: 5400,
  playedSeconds: 3100,
  bitrateKbps: 8000,
  container: 'mkv',
  videoCodec: 'h264',
  audioCodec: 'eac3',
  width: 1920,
  height: 800,
  deviceType: 'tv',
  decision: 'directplay',
  hdr: false,
};
const first = session.normalize(raw);
if (!first.ok) throw new Error(`the benchmark input does not normalize: ${first.error.message}`);
const payload = first.payload;

// A sink the optimizer cannot see through, so that no call is eliminated as dead code.
let sink = 0;

function normalizeLoop(n) {
  for (let i = 0; i < n; i++) {
    const r = session.normalize(raw);
    if (r.ok) sink ^= r.payload.hdr ? 1 : 2;
  }
}

function stringifyLoop(n) {
  for (let i = 0; i < n; i++) sink ^= JSON.stringify(payload).length;
}

/** Runs `loop(n)` once; returns [CPU ns per call, wall ns per call]. */
function round(loop, n) {
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  loop(n);
  const wallNs = Number(process.hrtime.bigint() - wall);
  const used = process.cpuUsage(cpu);
  return [((used.user + used.system) * 1000) / n, wallNs / n];
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

// Warm up both so that each is measured optimized, then alternate rounds so that both see the
// same machine load (the machine is shared).
round(normalizeLoop, CALLS);
round(stringifyLoop, CALLS);
const normalizeCpu = [];
const normalizeWall = [];
const stringifyCpu = [];
const stringifyWall = [];
for (let r = 0; r < ROUNDS; r++) {
  const [nc, nw] = round(normalizeLoop, CALLS);
  const [sc, sw] = round(stringifyLoop, CALLS);
  normalizeCpu.push(nc);
  normalizeWall.push(nw);
  stringifyCpu.push(sc);
  stringifyWall.push(sw);
}

const n = median(normalizeCpu);
const s = median(stringifyCpu);
const spread = (xs) => `${quantile(xs, 0.1).toFixed(0)}–${quantile(xs, 0.9).toFixed(0)}`;
const line = (label, cpu, wall) => console.log(`${label.padEnd(30)} ${median(cpu).toFixed(0).padStart(5)} ns CPU (p10–p90 ${spread(cpu)})   ${median(wall).toFixed(0).padStart(5)} ns wall (${spread(wall)})`);
console.log(`node ${process.version}, ${ROUNDS} rounds × ${CALLS} calls, median per call over rounds`);
line('normalize(playback.session)', normalizeCpu, normalizeWall);
line('JSON.stringify(same payload)', stringifyCpu, stringifyWall);
console.log(`ratio normalize / JSON.stringify: ${(n / s).toFixed(2)}× CPU, ${(median(normalizeWall) / median(stringifyWall)).toFixed(2)}× wall`);
const pass = n <= BAR_NS;
console.log(`${pass ? 'PASS' : 'FAIL'} normalize median ${(n / 1000).toFixed(3)} µs CPU per call ${pass ? '≤' : '>'} 1 µs bar`);
if (sink === Number.MIN_SAFE_INTEGER) console.log('');
if (!pass) process.exitCode = 1;
