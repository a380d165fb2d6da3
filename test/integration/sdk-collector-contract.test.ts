import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileCatalog, type Payload } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { resolveCollectorOptions, startCollector, type RunningCollector } from '@candor/collector';
import { PATHS, type WireBatch } from '@candor/protocol';
import { createTelemetry, type SentLogEntry, type Telemetry, type TelemetryStats } from '@candor/sdk';
import { createSeededRandom, seededBytes } from '@candor/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The contract between the real SDK and the real collector: many installs record raw events
// over three simulated UTC days, and what the collector releases must equal the truth
// computed here from what the SDKs sent (and from the raw inputs through the normalizer),
// with cells behind fewer than k installs suppressed and no raw value anywhere.

type Catalog = typeof mediaServerCatalog;
type Raw = Record<string, unknown>;

const DAY_MS = 86_400_000;
const DAY0 = Date.UTC(2026, 10, 20);
const DAYS = [0, 1, 2].map((d) => new Date(DAY0 + d * DAY_MS).toISOString().slice(0, 10));
/** The day after the last one: its first flush closes day 2 and sends that day's consent state. */
const CLOSING_DAY = new Date(DAY0 + 3 * DAY_MS).toISOString().slice(0, 10);
const INSTALLS = 32;
const K = 10;
const MAX_SAMPLED = 3;
const ADMIN_TOKEN = 'contract-test-admin-token-0123456789';
const compiled = compileCatalog(mediaServerCatalog);

/** One install: its client, its raw inputs by day, and whether playback is turned off. */
interface Install {
  readonly index: number;
  readonly client: Telemetry<Catalog>;
  readonly dataDir: string;
  readonly playbackOff: boolean;
  readonly marketingOn: boolean;
  /** Raw events recorded, by day and event name. */
  readonly raw: Map<string, Map<string, Raw[]>>;
  /** After the last flush (the sent log is closed with the client). */
  stats?: TelemetryStats;
  batches?: SentLogEntry[];
}

/** Every raw number that must never come back from the collector. */
const rawNumbers = new Set<number>();

function serverDaily(i: number, activity: { activeDays7: number; activeDays28: number }): Raw {
  // Exact library sizes fingerprint an install; they must leave as orders of magnitude.
  return {
    serverVersion: `1.${30 + (i % 3)}.${i + 4}`,
    platform: i % 4 === 0 ? 'synology' : 'linux',
    arch: i % 2 === 0 ? 'x86_64' : 'aarch64',
    movies: 1287 + i * 7,
    episodes: 15_342 + i * 11,
    tracks: 48_211 + i,
    photos: 0,
    ...activity,
  };
}

function clientSessions(i: number): Raw[] {
  const sessions: Raw[] = [
    { deviceType: i % 2 === 0 ? 'smart tv' : 'phone', clientPlatform: i % 2 === 0 ? 'roku' : 'iphone', clientVersion: `3.${i % 2}.${100 + i}` },
    { deviceType: 'browser', clientPlatform: 'web', clientVersion: '4.1.7' },
  ];
  // Five installs only: a cell below k that must be suppressed.
  if (i < 5) sessions.push({ deviceType: 'laptop', clientPlatform: 'windows', clientVersion: '2.0.3' });
  return sessions;
}

/** 2–6 plays a day, so that some days exceed the sample of three. */
function playbackSessions(i: number, d: number, playbackOff: boolean): Raw[] {
  const plays = playbackOff ? 4 : 2 + ((i + d) % 5);
  return Array.from({ length: plays }, (_, j) => {
    const movie = (i + j) % 2 === 0;
    const durationSeconds = movie ? 5437 + i * 31 + d * 7 + j : 2617 + i * 29 + d * 5 + j;
    const playedSeconds = durationSeconds - 113 - j;
    const bitrateKbps = movie ? 8123 + i * 13 + d * 3 + j : 3917 + i * 11 + d * 3 + j;
    const width = movie ? 1918 - (i % 3) : 1278 - (i % 3);
    const height = movie ? 1079 : 719;
    for (const n of [durationSeconds, playedSeconds, bitrateKbps, width]) rawNumbers.add(n);
    // The install with playback off plays something nobody else does: it must leave no cell at all.
    if (playbackOff) return { mediaType: 'live', durationSeconds, playedSeconds, bitrateKbps, container: 'mpegts', videoCodec: 'mpeg2video', audioCodec: 'ac-3', width, height, deviceType: 'xbox', decision: 'transcode', hdr: false };
    return {
      mediaType: movie ? 'film' : 'show',
      durationSeconds,
      playedSeconds,
      bitrateKbps,
      container: movie ? 'matroska' : 'm4v',
      videoCodec: movie ? 'x265' : 'avc',
      audioCodec: movie ? 'e-ac-3' : 'aac',
      width,
      height,
      deviceType: i % 2 === 0 ? 'smart tv' : 'phone',
      decision: j === 0 ? 'direct play' : 'transcode',
      hdr: movie && i % 2 === 0,
    };
  });
}

function push(install: Install, day: string, name: string, raw: Raw): void {
  let byName = install.raw.get(day);
  if (!byName) install.raw.set(day, (byName = new Map()));
  let list = byName.get(name);
  if (!list) byName.set(name, (list = []));
  list.push(raw);
}

function normalized(name: string, raw: Raw): Payload {
  const r = compiled.normalize(name, raw);
  if (!r.ok) throw new Error(`test input for ${name} does not normalize: ${JSON.stringify(r.error)}`);
  return r.payload;
}

/** A canonical text of a payload, for multiset comparisons. */
function key(fields: Payload): string {
  return JSON.stringify(Object.fromEntries(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b))));
}

function sortedKeys(list: readonly Payload[]): string[] {
  return list.map(key).sort();
}

/** One event that left, with the batch it left in. */
interface SentEvent {
  readonly install: number;
  readonly pseudonym: string;
  readonly period: string;
  readonly name: string;
  readonly time: string;
  readonly fields: Payload;
}

/** Released cell of `GET /v1/stats`. */
interface Cell {
  readonly period: string;
  readonly events: number | null;
  readonly installs: number | null;
  readonly suppressed: boolean;
  readonly noised: boolean;
  readonly [field: string]: unknown;
}

let now = DAY0 + 12 * 3_600_000;
const clock = (): number => now;
let root = '';
let collector: RunningCollector;
const installs: Install[] = [];
const sent: SentEvent[] = [];
const answersText: string[] = [];

async function stats(event: string, groupBy: readonly string[]): Promise<{ k: number; suppressedCells: number; cells: Cell[] }> {
  const q = new URLSearchParams({ event, granularity: 'day', from: DAYS[0]!, to: CLOSING_DAY });
  if (groupBy.length > 0) q.set('groupBy', groupBy.join(','));
  const res = await fetch(`${collector.url}${PATHS.stats}?${q}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  answersText.push(text);
  return JSON.parse(text) as { k: number; suppressedCells: number; cells: Cell[] };
}

/** The truth of one grouping: per day and group values, the events and distinct pseudonyms. */
function truth(event: string, groupBy: readonly string[]): Map<string, { events: number; pseudonyms: Set<string> }> {
  const cells = new Map<string, { events: number; pseudonyms: Set<string> }>();
  for (const e of sent) {
    if (e.name !== event) continue;
    const k = JSON.stringify([e.time, ...groupBy.map((f) => e.fields[f] ?? null)]);
    let c = cells.get(k);
    if (!c) cells.set(k, (c = { events: 0, pseudonyms: new Set() }));
    c.events++;
    c.pseudonyms.add(e.pseudonym);
  }
  return cells;
}

async function expectReleasedEqualsTruth(event: string, groupBy: readonly string[]): Promise<{ released: number; suppressed: number }> {
  const answer = await stats(event, groupBy);
  expect(answer.k).toBe(K);
  const expected = truth(event, groupBy);
  const seen = new Set<string>();
  let released = 0;
  let suppressed = 0;
  for (const cell of answer.cells) {
    const k = JSON.stringify([cell.period, ...groupBy.map((f) => cell[f] ?? null)]);
    const t = expected.get(k);
    expect(t, `${event} by ${groupBy.join(',')}: the collector released a cell nobody sent: ${k}`).toBeDefined();
    seen.add(k);
    expect(cell.noised).toBe(false);
    if (t!.pseudonyms.size >= K) {
      expect({ cell: k, events: cell.events, installs: cell.installs, suppressed: cell.suppressed }).toEqual({ cell: k, events: t!.events, installs: t!.pseudonyms.size, suppressed: false });
      released++;
    } else {
      expect({ cell: k, events: cell.events, installs: cell.installs, suppressed: cell.suppressed }).toEqual({ cell: k, events: null, installs: null, suppressed: true });
      suppressed++;
    }
  }
  expect([...expected.keys()].filter((k) => !seen.has(k)), `${event} by ${groupBy.join(',')}: cells missing from the answer`).toEqual([]);
  expect(answer.suppressedCells).toBe(suppressed);
  return { released, suppressed };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'candor-contract-'));
  // Every install reaches the collector from 127.0.0.1, so the per-client rate limits (meant
  // for one address per install) are off; k stays at its default.
  const options = resolveCollectorOptions(
    { port: 0, host: '127.0.0.1', dataDir: join(root, 'collector'), adminToken: ADMIN_TOKEN, logLevel: 'silent', ingestPerMinute: 0, statsPerMinute: 0 },
    {},
  );
  collector = await startCollector(options, { now: clock });

  for (let i = 0; i <= INSTALLS; i++) {
    const playbackOff = i === INSTALLS;
    const dataDir = join(root, `install-${i}`);
    const random = createSeededRandom(1000 + i);
    const client = createTelemetry({
      catalog: mediaServerCatalog,
      endpoint: collector.url,
      dataDir,
      flushIntervalMs: 0,
      now: clock,
      random,
      randomBytes: seededBytes(random),
      env: {},
      onDiagnostic: () => undefined,
    });
    const marketingOn = !playbackOff && i < 12;
    if (marketingOn) client.consent.set('marketing', true);
    if (playbackOff) client.consent.set('playback', false);
    installs.push({ index: i, client, dataDir, playbackOff, marketingOn, raw: new Map() });
  }

  for (const [d, day] of DAYS.entries()) {
    now = DAY0 + d * DAY_MS + 12 * 3_600_000;
    for (const install of installs) {
      const { client, index: i } = install;
      const daily = serverDaily(i, client.activity());
      client.record('server.daily', daily as never);
      push(install, day, 'server.daily', daily);
      for (const s of clientSessions(i)) {
        client.record('client.session', s as never);
        push(install, day, 'client.session', s);
      }
      for (const p of playbackSessions(i, d, install.playbackOff)) {
        client.record('playback.session', p as never);
        push(install, day, 'playback.session', p);
      }
    }
    await Promise.all(installs.map((x) => x.client.flush()));
  }
  // The first flush of the next day closes day 2: its samples and play counts leave.
  now = DAY0 + 3 * DAY_MS + 60_000;
  await Promise.all(installs.map((x) => x.client.flush()));
  for (const install of installs) {
    install.stats = install.client.stats();
    install.batches = install.client.sentLog.list({ kind: 'batch', limit: 10_000 });
  }
  await Promise.all(installs.map((x) => x.client.shutdown()));

  for (const install of installs) {
    for (const entry of install.batches!) {
      const batch = JSON.parse(entry.body) as WireBatch;
      for (const e of batch.events) sent.push({ install: install.index, pseudonym: batch.pseudonym, period: batch.period, name: e.name, time: e.time, fields: e.fields });
    }
  }
}, 120_000);

afterAll(async () => {
  await collector?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('SDK → collector contract', () => {
  it('every batch the SDKs sent was accepted, and the only drops are the expected sampling and consent ones', () => {
    for (const install of installs) {
      const stats = install.stats!;
      const batches = install.batches!;
      expect(batches.length).toBeGreaterThan(0);
      expect(batches.filter((b) => b.status !== 'delivered').map((b) => `${b.status} ${b.detail ?? ''}`)).toEqual([]);
      // The collector's own acknowledgement of each batch: all of it kept, nothing bounded, counted once.
      for (const b of batches) {
        const body = JSON.parse(b.body) as WireBatch;
        expect(b.eventCount).toBe(body.events.length);
        expect(JSON.parse(b.detail ?? 'null')).toEqual({ batchKey: body.batchKey, accepted: b.eventCount, bounded: 0, duplicate: false });
      }
      const eventsSent = batches.reduce((n, b) => n + b.eventCount, 0);
      expect(stats.delivered).toBe(eventsSent);
      expect(stats.duplicates).toBe(0);
      expect(stats.queued).toBe(0);
      expect(stats.held).toBe(0);
      expect(stats.rejectedByCode).toEqual({});

      let plays = 0;
      let sampledOut = 0;
      for (const byName of install.raw.values()) {
        const n = byName.get('playback.session')?.length ?? 0;
        plays += n;
        if (!install.playbackOff) sampledOut += Math.max(0, n - MAX_SAMPLED);
      }
      const expectedDrops: Record<string, number> = install.playbackOff ? { consent_denied: plays } : { sampled_out: sampledOut };
      const nonZeroDrops = Object.fromEntries(Object.entries(stats.dropped).filter(([, n]) => n > 0));
      expect(nonZeroDrops).toEqual(Object.fromEntries(Object.entries(expectedDrops).filter(([, n]) => n > 0)));
      // Every event is accounted for: recorded ones plus the SDK's own (consent state, play counts).
      const recorded = [...install.raw.values()].reduce((n, m) => n + [...m.values()].reduce((a, l) => a + l.length, 0), 0);
      expect(stats.recorded).toBe(recorded);
      expect(stats.recorded + stats.generated).toBe(stats.accepted + (install.playbackOff ? plays : 0));
      expect(stats.accepted).toBe(stats.delivered + sampledOut);
    }
  });

  it('what left equals what the normalizer makes of the raw inputs, within the linkage limits', () => {
    for (const install of installs) {
      const mine = sent.filter((e) => e.install === install.index);
      // One pseudonym per UTC day, never shared between installs or days.
      const byPeriod = new Map<string, Set<string>>();
      for (const e of mine) {
        expect(e.time).toBe(e.period);
        (byPeriod.get(e.period) ?? byPeriod.set(e.period, new Set()).get(e.period)!).add(e.pseudonym);
      }
      expect([...byPeriod.keys()].sort()).toEqual([...DAYS, CLOSING_DAY]);
      for (const set of byPeriod.values()) expect(set.size).toBe(1);

      for (const day of [...DAYS, CLOSING_DAY]) {
        const raw = install.raw.get(day) ?? new Map<string, Raw[]>();
        const ofDay = (name: string): Payload[] => mine.filter((e) => e.period === day && e.name === name).map((e) => e.fields);
        for (const name of ['server.daily', 'client.session']) {
          expect(sortedKeys(ofDay(name)), `${name} of install ${install.index} on ${day}`).toEqual(sortedKeys((raw.get(name) ?? []).map((r) => normalized(name, r))));
        }
        // The consent state, once a day, as the owner set it.
        expect(ofDay('consent.daily')).toEqual([{ playback: !install.playbackOff, crash: true, marketing: install.marketingOn, integrations: false }]);

        const plays = raw.get('playback.session') ?? [];
        const sample = ofDay('playback.session');
        const counts = ofDay('playback.daily');
        if (install.playbackOff || plays.length === 0) {
          expect(sample).toEqual([]);
          expect(counts).toEqual([]);
          continue;
        }
        // A sample of min(n, 3) of the day's plays, each exactly its normalized raw input, and the count.
        expect(sample).toHaveLength(Math.min(plays.length, MAX_SAMPLED));
        const pool = sortedKeys(plays.map((p) => normalized('playback.session', p)));
        for (const s of sample) {
          const at = pool.indexOf(key(s));
          expect(at, `a playback report of install ${install.index} on ${day} matches none of its plays`).toBeGreaterThanOrEqual(0);
          pool.splice(at, 1);
        }
        expect(counts).toEqual([normalized('playback.daily', { plays: plays.length })]);
      }
    }
  });

  it('the collector releases the truth of what the SDKs sent for cells of at least k installs, and suppresses the rest', async () => {
    const groupings: [string, string[]][] = [
      ['server.daily', ['serverVersion']],
      ['server.daily', ['platform']],
      ['server.daily', ['movies', 'arch']],
      ['client.session', ['deviceType']],
      ['client.session', ['deviceType', 'clientPlatform']],
      ['playback.session', ['mediaType']],
      ['playback.session', ['duration']],
      ['playback.session', ['bitrate', 'resolution']],
      ['playback.session', ['deviceType', 'decision']],
      ['playback.daily', ['plays']],
      ['consent.daily', ['playback']],
      ['consent.daily', ['marketing', 'playback']],
    ];
    let released = 0;
    let suppressed = 0;
    for (const [event, groupBy] of groupings) {
      const r = await expectReleasedEqualsTruth(event, groupBy);
      released += r.released;
      suppressed += r.suppressed;
    }
    // The mix was built so that both kinds of cell occur (a test that released nothing would prove nothing).
    expect(released).toBeGreaterThan(20);
    expect(suppressed).toBeGreaterThan(5);
    // Rolling the days up changes nothing.
    await collector.store.maintain();
    for (const [event, groupBy] of groupings.slice(0, 4)) await expectReleasedEqualsTruth(event, groupBy);
  });

  it('a client with playback off contributes nothing to playback statistics', async () => {
    const off = installs.find((x) => x.playbackOff)!;
    const offPseudonyms = new Set(sent.filter((e) => e.install === off.index).map((e) => e.pseudonym));
    expect(sent.filter((e) => offPseudonyms.has(e.pseudonym) && (e.name === 'playback.session' || e.name === 'playback.daily'))).toEqual([]);
    // It did report other events, so the collector knows it exists.
    expect(sent.filter((e) => offPseudonyms.has(e.pseudonym) && e.name === 'server.daily')).toHaveLength(DAYS.length);
    // Its plays were unlike any other install's: no cell of them exists, not even a suppressed one.
    const byMedia = await stats('playback.session', ['mediaType']);
    expect(byMedia.cells.filter((c) => c.mediaType === 'live')).toEqual([]);
    const byDevice = await stats('playback.session', ['deviceType', 'container']);
    expect(byDevice.cells.filter((c) => c.deviceType === 'console' || c.container === 'ts')).toEqual([]);
    // And the per-day install counts of playback are those of the installs with playback on.
    const perDay = await stats('playback.daily', []);
    for (const day of DAYS) {
      const on = installs.filter((x) => !x.playbackOff).length;
      expect(perDay.cells.find((c) => c.period === day)).toMatchObject({ installs: on, events: on, suppressed: false });
    }
  });

  it('no raw value (exact duration, bitrate, width, version, library size) appears in any answer of the collector', async () => {
    // Every declared field of every event that was sent, as JSON and as CSV, and the activity estimate.
    for (const event of ['server.daily', 'client.session', 'playback.session', 'playback.daily', 'consent.daily']) {
      for (const field of compiled.events.get(event)!.fields) {
        await stats(event, [field.name]);
        const q = new URLSearchParams({ event, groupBy: field.name, granularity: 'day', from: DAYS[0]!, to: CLOSING_DAY, format: 'csv' });
        const csv = await fetch(`${collector.url}${PATHS.stats}?${q}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
        expect(csv.status).toBe(200);
        answersText.push(await csv.text());
      }
    }
    for (const granularity of ['day', 'week']) {
      const active = await fetch(`${collector.url}${PATHS.stats}/active?granularity=${granularity}&groupBy=platform&from=${DAYS[0]!}&to=${CLOSING_DAY}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      const text = await active.text();
      expect(active.status, text).toBe(200);
      answersText.push(text);
    }
    const all = answersText.join('\n');
    const numbers = new Set(rawNumbers);
    for (const install of installs) for (const n of [1287 + install.index * 7, 15_342 + install.index * 11, 48_211 + install.index]) numbers.add(n);
    const leaked = [...numbers].filter((n) => new RegExp(`(?<![0-9])${n}(?![0-9])`).test(all));
    expect(leaked).toEqual([]);
    const leakedVersions = installs.filter((x) => all.includes(`1.${30 + (x.index % 3)}.${x.index + 4}`)).map((x) => x.index);
    expect(leakedVersions).toEqual([]);
    for (const rawText of ['smart tv', 'iphone', 'matroska', 'x265', 'e-ac-3', 'direct play', 'synology', 'x86_64']) expect(all).not.toContain(rawText);
  });
});
