// A burst of 1,000,000 events while the collector is unreachable: RSS growth of the host
// process, then delivery once the collector is back. Every event the client accepted and
// kept within its outbox bounds must arrive, none twice, and the counts must add up.
//
// The mix: 90% bench.item (a usage event with a unique sequence number and a bound of
// 2,000,000 a day, so the delivery path carries ~900,000 events and each can be checked for
// exactly-once), 8% playback.session (the default catalog's sampled event: 3 a day leave plus
// playback.daily), 2% client.session (the default bound of 50 a day). The burst yields to the
// event loop every 1,000 events, as a server does between requests.
// Usage: npm run bench -- sdk-burst     (BENCH_EVENTS, BENCH_OUTBOX_MB to change the size and the outbox bound)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clamp, defineCatalog, enumeration } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { DROP_REASONS } from '@candor/protocol';
import { createTelemetry } from '@candor/sdk';
import { createCaptureServer } from '@candor/sdk/testing';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const OUTBOX_MB = Number(process.env.BENCH_OUTBOX_MB ?? 256);
const MB = 1_048_576;
const turn = () => new Promise((resolve) => setImmediate(resolve));

const catalog = defineCatalog({
  ...mediaServerCatalog,
  id: 'bench-burst',
  events: {
    ...mediaServerCatalog.events,
    'bench.item': {
      category: 'usage',
      description: 'A benchmark event with a unique sequence number, so that every delivery can be checked.',
      purpose: 'Exercise the delivery path with many events.',
      retentionDays: 30,
      maxPerPeriod: 2_000_000,
      fields: {
        seq: { description: 'Sequence number.', generalize: clamp({ min: 0, max: 1_000_000_000 }) },
        kind: { description: 'A small enumeration.', generalize: enumeration({ values: ['a', 'b', 'c', 'd'] }) },
      },
    },
  },
});

const playback = (i) => ({ mediaType: 'episode', durationSeconds: 1300 + (i % 900), playedSeconds: 1200, bitrateKbps: 6000, container: 'mkv', videoCodec: 'hevc', audioCodec: 'eac3', width: 3840, height: 2160, deviceType: 'tv', decision: 'transcode', hdr: true });
const session = { deviceType: 'mobile', clientPlatform: 'android', clientVersion: '5.1.2' };
const kinds = ['a', 'b', 'c', 'd'];

// The collector: up at first to learn a port, then down for the burst.
const received = new Uint8Array(EVENTS);
let receivedItems = 0;
let receivedOther = 0;
let doubled = 0;
const server = await createCaptureServer({
  keepRequests: false,
  onBatch(batch, duplicate) {
    if (duplicate) return;
    for (const e of batch.events) {
      if (e.name !== 'bench.item') {
        receivedOther++;
        continue;
      }
      const seq = e.fields.seq;
      if (received[seq] === 1) doubled++;
      received[seq] = 1;
      receivedItems++;
    }
  },
});
await server.stop();

let clock = Date.UTC(2026, 5, 1, 8);
const dataDir = mkdtempSync(join(tmpdir(), 'candor-burst-'));
const client = createTelemetry({
  catalog,
  endpoint: server.url,
  dataDir,
  env: {},
  now: () => clock,
  maxOutboxBytes: OUTBOX_MB * MB,
  // Try often during the burst, so that failing sends and backoff are part of what is measured.
  flushIntervalMs: 200,
  maxAttempts: 2,
  initialBackoffMs: 20,
  maxBackoffMs: 200,
  retryBaseMs: 200,
  maxRetryDelayMs: 2000,
  timeoutMs: 5000,
  onDiagnostic: () => {},
});

console.log(`node ${process.version}; ${EVENTS.toLocaleString('en')} events; outbox bound ${OUTBOX_MB} MiB; mix: 90% bench.item (bound 2,000,000/day), 8% playback.session (sampled, 3/day), 2% client.session (50/day)`);
globalThis.gc?.();
await turn();
const rssBefore = process.memoryUsage().rss;
let rssMax = rssBefore;
let items = 0;
const t0 = process.hrtime.bigint();
for (let i = 0; i < EVENTS; i++) {
  const r = i % 50;
  if (r < 45) client.record('bench.item', { seq: items++, kind: kinds[i & 3] });
  else if (r < 49) client.record('playback.session', playback(i));
  else client.record('client.session', session);
  if (i % 1000 === 999) {
    await turn();
    if (i % 20_000 === 19_999) rssMax = Math.max(rssMax, process.memoryUsage().rss);
  }
}
await client.flush();
rssMax = Math.max(rssMax, process.memoryUsage().rss);
const burstMs = Number(process.hrtime.bigint() - t0) / 1e6;
const afterBurst = client.stats();
console.log(`burst: ${burstMs.toFixed(0)} ms (${((burstMs * 1e6) / EVENTS).toFixed(0)} ns per event, commits and failed sends included); queued ${afterBurst.queued.toLocaleString('en')}, held ${afterBurst.held}, delivered ${afterBurst.delivered}`);
const growthMb = (rssMax - rssBefore) / MB;
console.log(`RSS: ${(rssBefore / MB).toFixed(1)} MiB before, ${(rssMax / MB).toFixed(1)} MiB at most during the burst: growth ${growthMb.toFixed(1)} MiB`);

// The day ends (the playback sample is released) and the collector comes back.
clock = Date.UTC(2026, 5, 2, 0, 0, 1);
await server.start();
const t1 = process.hrtime.bigint();
for (let round = 0; round < 10_000; round++) {
  await client.flush();
  const s = client.stats();
  if (s.queued === 0 && s.held === 0) break;
}
const deliverMs = Number(process.hrtime.bigint() - t1) / 1e6;
const s = client.stats();
await client.shutdown({ flush: false });
await server.close();
rmSync(dataDir, { recursive: true, force: true });

const dropped = Object.entries(s.dropped).filter(([, n]) => n > 0);
const preAccept = ['telemetry_disabled', 'consent_denied', 'not_yet_effective', 'invalid_event', 'period_limit', 'buffer_full', 'shutdown'];
const preDrops = preAccept.reduce((n, r) => n + s.dropped[r], 0);
const postDrops = Object.keys(DROP_REASONS).filter((r) => !preAccept.includes(r)).reduce((n, r) => n + s.dropped[r], 0);
console.log(`delivery: ${deliverMs.toFixed(0)} ms for ${s.batchesDelivered.toLocaleString('en')} batches; the collector saw ${server.duplicateArrivals()} repeated batch keys`);
console.log(`recorded ${s.recorded.toLocaleString('en')} + generated ${s.generated} = accepted ${s.accepted.toLocaleString('en')} + refused before acceptance ${preDrops.toLocaleString('en')}`);
console.log(`accepted ${s.accepted.toLocaleString('en')} = delivered ${s.delivered.toLocaleString('en')} + queued ${s.queued} + held ${s.held} + dropped after acceptance ${postDrops.toLocaleString('en')}`);
console.log(`dropped by reason: ${dropped.map(([r, n]) => `${r} ${n.toLocaleString('en')}`).join(', ')}`);
let missing = 0;
for (let i = 0; i < items; i++) if (received[i] !== 1) missing++;
console.log(`bench.item: recorded ${items.toLocaleString('en')}, received ${receivedItems.toLocaleString('en')} distinct, missing ${missing.toLocaleString('en')} (outbox drops queue_full+expired ${(s.dropped.queue_full + s.dropped.expired).toLocaleString('en')}), twice ${doubled}; other events received ${receivedOther}`);

const addsUp1 = s.recorded + s.generated === s.accepted + preDrops;
const addsUp2 = s.accepted === s.delivered + s.queued + s.held + postDrops;
// Kept within bounds = accepted minus what the outbox bounds (queue_full, expired) and the
// period sample (sampled_out) let go; all of it must have reached the collector, and every
// bench.item that did not must be among the outbox drops.
const outboxDrops = s.dropped.queue_full + s.dropped.expired;
const kept = s.accepted - outboxDrops - s.dropped.sampled_out;
const allDelivered = s.queued === 0 && s.held === 0 && receivedItems + receivedOther === kept && s.delivered === kept && missing <= outboxDrops;
const results = [
  [growthMb <= 64, `RSS growth during the burst ${growthMb.toFixed(1)} MiB ≤ 64 MiB`],
  [allDelivered, `every accepted event kept within the outbox bounds was delivered (${s.delivered.toLocaleString('en')})`],
  [doubled === 0, `no event delivered twice (${doubled})`],
  [addsUp1 && addsUp2, 'the counts add up'],
];
for (const [ok, text] of results) console.log(`${ok ? 'PASS' : 'FAIL'} ${text}`);
process.exit(results.every(([ok]) => ok) ? 0 : 1);
