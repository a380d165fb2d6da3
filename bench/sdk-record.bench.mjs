// record() cost: a valid playback.session through the real client (validation, generalization,
// consent, linkage sampling), median over 1,000,000 calls, against posthog-node capture() of
// the same raw event measured in the same run. Both are timed the same way: chunks of 1,000
// calls, each chunk ending after the event loop turned once, cost per call = chunk time / 1,000.
// posthog-node's capture() returns at once and does its work (message, UUID, queue) in promise
// continuations that run on the host's thread in the same tick, so the bar compares the total
// work per call; the time until each call returns is printed too, for both clients.
// Usage: npm run bench -- sdk-record      (BENCH_CALLS=… to change the number of calls)
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { compileCatalog, defineCatalog, enumeration, buckets, boolean } from '@candor/catalog';
import { createTelemetry } from '@candor/sdk';
import { PostHog } from 'posthog-node';

const CALLS = Number(process.env.BENCH_CALLS ?? 1_000_000);
const BASELINE_CALLS = Math.min(CALLS, Number(process.env.BENCH_BASELINE_CALLS ?? 200_000));
const CHUNK = 1000;
const turn = () => new Promise((resolve) => setImmediate(resolve));

const raw = (i) => ({
  mediaType: i % 3 === 0 ? 'episode' : 'movie',
  durationSeconds: 1200 + (i % 7000),
  playedSeconds: 600 + (i % 5000),
  bitrateKbps: 2000 + (i % 30000),
  container: 'mkv',
  videoCodec: i % 2 ? 'h264' : 'hevc',
  audioCodec: 'aac',
  width: 1920,
  height: 1080,
  deviceType: 'tv',
  decision: 'directplay',
  hdr: false,
});
// Pre-built inputs, so that the benchmark measures the clients and not object creation.
const inputs = Array.from({ length: 4096 }, (_, i) => raw(i));

async function deadPort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * Median cost per call over `calls` calls, in chunks of 1,000. `includeAsync`: the chunk ends
 * after one turn of the event loop, so work a client defers to promises is counted;
 * otherwise only the time until the calls return.
 */
async function measure(label, calls, fn, { includeAsync = true } = {}) {
  // Warm-up: let the JIT settle on the hot path before timing.
  for (let i = 0; i < 50_000; i++) fn(inputs[i & 4095]);
  await turn();
  const perCall = [];
  for (let c = 0; c < calls / CHUNK; c++) {
    const base = c * CHUNK;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < CHUNK; i++) fn(inputs[(base + i) & 4095]);
    if (includeAsync) await turn();
    perCall.push(Number(process.hrtime.bigint() - t0) / CHUNK);
    if (!includeAsync) await turn();
  }
  perCall.sort((a, b) => a - b);
  const median = perCall[perCall.length >> 1];
  const p90 = perCall[Math.floor(perCall.length * 0.9)];
  console.log(`${label.padEnd(64)} median ${(median / 1000).toFixed(3)} µs/call   p90 ${(p90 / 1000).toFixed(3)} µs/call   (${calls.toLocaleString('en')} calls)`);
  return median;
}

const port = await deadPort();
const endpoint = `http://127.0.0.1:${port}`;
const dirs = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'candor-bench-'));
  dirs.push(d);
  return d;
};

console.log(`node ${process.version}; posthog-node pointed at ${endpoint} (nothing listens) with flushAt 1e9 and flushInterval 0, so it never sends`);

// Normalization alone (the catalog's compiled normalizer), for reference.
const compiled = compileCatalog(mediaServerCatalog);
const playback = compiled.events.get('playback.session');
const normalizeMedian = await measure('catalog normalize() alone', CALLS, (r) => playback.normalize(r));

const telemetry = createTelemetry({ catalog: mediaServerCatalog, endpoint, dataDir: tmp(), env: {} });
const candorMedian = await measure('candor record(playback.session), total work', CALLS, (r) => telemetry.record('playback.session', r));
const candorReturnMedian = await measure('candor record(playback.session), until it returns', CALLS, (r) => telemetry.record('playback.session', r), { includeAsync: false });
const s = telemetry.stats();
console.log(`  candor: accepted ${s.accepted.toLocaleString('en')}, held ${s.held}, sampled_out ${s.dropped.sampled_out.toLocaleString('en')}, invalid ${s.dropped.invalid_event}`);
await telemetry.shutdown({ flush: false });

// The buffered path (an event without sampling and with a large bound), for reference: group commits run between chunks.
const wide = defineCatalog({
  id: 'bench-wide',
  version: '1.0.0',
  effectiveDate: '2026-01-01',
  linkagePeriod: 'day',
  categories: { usage: { title: 'Usage', description: 'Benchmark events.', required: true, defaultOn: true, ownerText: 'Required.', maxRetentionDays: 30 } },
  events: {
    'bench.play': {
      category: 'usage',
      description: 'A playback-like event without sampling.',
      purpose: 'Benchmark the buffered path.',
      retentionDays: 30,
      maxPerPeriod: 100_000_000,
      fields: {
        mediaType: { description: 'Kind.', generalize: enumeration({ values: ['movie', 'episode', 'track'] }) },
        duration: { description: 'Length.', from: 'durationSeconds', generalize: buckets({ edges: [60, 600, 3600], unit: 'seconds', max: 1e6 }) },
        hdr: { description: 'HDR.', generalize: boolean() },
      },
    },
  },
});
const wideInputs = inputs.map((r) => ({ mediaType: r.mediaType, durationSeconds: r.durationSeconds, hdr: r.hdr }));
const wideClient = createTelemetry({ catalog: wide, endpoint, dataDir: tmp(), env: {}, maxOutboxBytes: 1024 * 1_048_576 });
let w = 0;
await measure('candor record() + its group commit, buffered path (reference)', Math.min(CALLS, 200_000), () => wideClient.record('bench.play', wideInputs[w++ & 4095]));
await wideClient.shutdown({ flush: false });

// Two fresh instances, so that the second measurement does not inherit the first one's queue.
const posthogMedians = {};
for (const includeAsync of [true, false]) {
  const posthog = new PostHog('phc_candor_bench', { host: endpoint, flushAt: 1_000_000_000, flushInterval: 0, disableGeoip: true });
  posthog.on('error', () => {});
  let d = 0;
  const label = includeAsync ? 'posthog-node capture(), total work (baseline)' : 'posthog-node capture(), until it returns';
  posthogMedians[includeAsync ? 'total' : 'returns'] = await measure(label, BASELINE_CALLS, (r) => posthog.capture({ distinctId: `install-${d++ & 63}`, event: 'playback.session', properties: r }), { includeAsync });
}
const posthogMedian = posthogMedians.total;

for (const dir of dirs) rmSync(dir, { recursive: true, force: true });

const ratio = posthogMedian / candorMedian;
console.log(`ratio, total work per call: posthog-node capture() / candor record() = ${ratio.toFixed(1)}×   (normalize alone is ${((normalizeMedian / candorMedian) * 100).toFixed(0)}% of record())`);
console.log(`ratio, until the call returns (posthog-node's deferred work not counted): ${(posthogMedians.returns / candorReturnMedian).toFixed(1)}×`);
const pass1 = candorMedian <= 1000;
const pass2 = ratio >= 10;
console.log(`${pass1 ? 'PASS' : 'FAIL'} record() median ${(candorMedian / 1000).toFixed(3)} µs ≤ 1 µs`);
console.log(`${pass2 ? 'PASS' : 'FAIL'} record() ≥ 10× cheaper than posthog-node capture(), total work per call: ${ratio.toFixed(1)}×`);
process.exit(pass1 && pass2 ? 0 : 1);
