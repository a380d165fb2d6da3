import { createHmac, randomBytes } from 'node:crypto';
import { compileCatalog, type CatalogSpec, type CompiledCatalog } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { PROTOCOL_VERSION, dayOf, type WireBatch, type WireEvent } from '@candor/protocol';

/** Options of {@link createFleet}. */
export interface FleetOptions {
  /** How many installs. */
  readonly installs: number;
  /** How many days of reports each install has to send, today and the days before. @default 30 */
  readonly days?: number;
  /** Seed of the installs' profiles and secrets; random when omitted. */
  readonly seed?: number;
  /** The catalog the reports follow. @default the media-server catalog */
  readonly catalog?: CatalogSpec;
  /** "Now", in epoch milliseconds. @default Date.now() */
  readonly now?: number;
  /** Most events per batch (an install-day with more is split). @default 1000 */
  readonly maxEventsPerBatch?: number;
}

/** A simulated fleet: batches as installs would send them. */
export interface Fleet {
  /** Every batch of the fleet, today's first (each install's day in one batch where it fits), then earlier days. */
  batches(): Generator<WireBatch>;
}

type Weighted<T> = readonly (readonly [T, number])[];

/** A small, fast PRNG (mulberry32): the same seed gives the same fleet. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, table: Weighted<T>): T {
  let total = 0;
  for (const [, w] of table) total += w;
  let r = random() * total;
  for (const [v, w] of table) {
    r -= w;
    if (r <= 0) return v;
  }
  return table[table.length - 1]![0];
}

function between(random: () => number, lo: number, hi: number): number {
  return lo + random() * (hi - lo);
}

// Mixes seen on self-hosted media servers: mostly TVs and phones, episodes and films, 1080p.
const PLATFORMS: Weighted<string> = [['linux', 45], ['docker', 20], ['windows', 15], ['synology', 8], ['unraid', 4], ['darwin', 6], ['freebsd', 2]];
const ARCHS: Weighted<string> = [['x86_64', 80], ['aarch64', 15], ['armv7l', 5]];
const DEVICES: Weighted<string> = [['tv', 35], ['mobile', 25], ['web', 18], ['tablet', 8], ['desktop', 7], ['console', 4], ['speaker', 3]];
const CLIENTS: Record<string, Weighted<string>> = {
  tv: [['androidtv', 30], ['roku', 20], ['webos', 15], ['tizen', 15], ['tvos', 12], ['fireos', 8]],
  mobile: [['android', 55], ['ios', 45]],
  web: [['web', 1]],
  tablet: [['ios', 60], ['android', 40]],
  desktop: [['windows', 60], ['macos', 30], ['linux', 10]],
  console: [['xbox', 60], ['playstation', 40]],
  speaker: [['sonos', 70], ['alexa', 30]],
};
const MEDIA: Weighted<string> = [['episode', 45], ['movie', 30], ['track', 20], ['clip', 3], ['live', 2]];
const RESOLUTIONS: Weighted<readonly [number, number]> = [[[1920, 1080], 55], [[3840, 2160], 20], [[1280, 720], 15], [[720, 480], 10]];
const DECISIONS: Weighted<string> = [['directplay', 60], ['directstream', 20], ['transcode', 20]];
const ERRORS: Weighted<string> = [['TypeError', 40], ['RangeError', 10], ['SqliteError', 15], ['ENOSPC', 5], ['TranscodeError', 30]];

interface Profile {
  readonly secret: Buffer;
  readonly platform: string;
  readonly arch: string;
  readonly movies: number;
  readonly episodes: number;
  readonly tracks: number;
  readonly photos: number;
  /** Days a week the server is used. */
  readonly weeklyDays: number;
  /** Client sessions on an active day. */
  readonly sessions: number;
  readonly devices: readonly string[];
  readonly consent: { readonly playback: boolean; readonly crash: boolean; readonly marketing: boolean; readonly integrations: boolean };
}

function profileOf(random: () => number, secret: Buffer): Profile {
  const heavy = random() < 0.25;
  const deviceCount = 1 + Math.floor(random() * 4);
  return {
    secret,
    platform: pick(random, PLATFORMS),
    arch: pick(random, ARCHS),
    movies: Math.floor(Math.exp(between(random, 2, 8))),
    episodes: Math.floor(Math.exp(between(random, 3, 9.5))),
    tracks: random() < 0.3 ? 0 : Math.floor(Math.exp(between(random, 4, 10.5))),
    photos: random() < 0.7 ? 0 : Math.floor(Math.exp(between(random, 3, 10))),
    weeklyDays: 1 + Math.floor(random() * 7),
    sessions: heavy ? 15 + Math.floor(random() * 35) : 2 + Math.floor(random() * 10),
    devices: Array.from({ length: deviceCount }, () => pick(random, DEVICES)),
    consent: { playback: random() < 0.85, crash: random() < 0.8, marketing: random() < 0.1, integrations: random() < 0.3 },
  };
}

function playbackRaw(random: () => number, device: string): Record<string, unknown> {
  const mediaType = pick(random, MEDIA);
  const audio = mediaType === 'track';
  const [width, height] = audio ? [0, 0] : pick(random, RESOLUTIONS);
  const durationSeconds = mediaType === 'movie' ? between(random, 4800, 10_800) : mediaType === 'episode' ? between(random, 1200, 3600) : mediaType === 'track' ? between(random, 120, 420) : between(random, 30, 900);
  const bitrateKbps = audio ? pick(random, [[320, 40], [1411, 30], [256, 20], [128, 10]]) : width >= 3840 ? between(random, 15_000, 60_000) : width >= 1920 ? between(random, 4000, 20_000) : width >= 1280 ? between(random, 2000, 6000) : between(random, 700, 2500);
  const raw: Record<string, unknown> = {
    mediaType,
    durationSeconds: mediaType === 'live' ? undefined : Math.round(durationSeconds),
    playedSeconds: Math.round(durationSeconds * between(random, 0.05, 1)),
    bitrateKbps: Math.round(bitrateKbps),
    container: audio ? pick(random, [['flac', 45], ['mp3', 40], ['aac', 10], ['opus', 5]]) : pick(random, [['mkv', 65], ['mp4', 30], ['avi', 3], ['ts', 2]]),
    videoCodec: audio ? 'none' : pick(random, [['h264', 55], ['hevc', 35], ['av1', 7], ['mpeg4', 3]]),
    audioCodec: audio ? pick(random, [['flac', 45], ['mp3', 40], ['aac', 15]]) : pick(random, [['aac', 40], ['ac3', 25], ['eac3', 20], ['dts', 10], ['truehd', 5]]),
    width,
    height,
    deviceType: device,
    decision: pick(random, DECISIONS),
    hdr: width >= 3840 && random() < 0.6,
  };
  if (raw.durationSeconds === undefined) delete raw.durationSeconds;
  return raw;
}

/**
 * A simulated fleet of media servers sending realistic, generalized batches: each install has a
 * profile (platform, library sizes, devices, consent) and, on each day it is active, reports
 * what the SDK would: server.daily, consent.daily, client sessions, a sample of at most three
 * playbacks with the day's count, sometimes a crash, integrations and marketing preference.
 * Raw values go through the catalog's own normalizers, so every event is valid, and the
 * catalog's per-period bounds are respected. Pseudonyms are HMAC(secret, catalog id + period).
 */
export function createFleet(options: FleetOptions): Fleet {
  const catalog: CompiledCatalog = compileCatalog(options.catalog ?? mediaServerCatalog);
  // One install-day is one period's worth of reports; longer linkage would need bounds across days.
  if (catalog.spec.linkagePeriod !== 'day') throw new RangeError(`the fleet simulates catalogs with daily linkage; ${catalog.id} links by ${catalog.spec.linkagePeriod}`);
  const now = options.now ?? Date.now();
  const days = options.days ?? 30;
  const seed = options.seed ?? randomBytes(4).readUInt32LE(0);
  const maxEvents = options.maxEventsPerBatch ?? 1000;
  const master = rng(seed);
  const profiles = Array.from({ length: options.installs }, () => profileOf(master, Buffer.from(Array.from({ length: 32 }, () => Math.floor(master() * 256)))));
  const bound = (name: string): number => catalog.events.get(name)?.spec.maxPerPeriod ?? 0;

  function event(name: string, day: string, raw: Record<string, unknown>): WireEvent | undefined {
    if (!catalog.events.has(name)) return undefined;
    const r = catalog.normalize(name, raw);
    return r.ok ? { name, time: day, fields: r.payload } : undefined;
  }

  function installDay(p: Profile, random: () => number, day: string): WireEvent[] {
    const out: (WireEvent | undefined)[] = [];
    const active7 = Math.max(1, Math.min(7, p.weeklyDays + Math.round(between(random, -1, 1))));
    out.push(event('server.daily', day, { serverVersion: pick(random, [['10.10.3', 50], ['10.9.11', 35], ['10.8.13', 15]]), platform: p.platform, arch: p.arch, movies: p.movies, episodes: p.episodes, tracks: p.tracks, photos: p.photos, activeDays7: active7, activeDays28: Math.max(1, Math.min(28, Math.round(active7 * 4 * between(random, 0.8, 1)))) }));
    out.push(event('consent.daily', day, { ...p.consent }));
    const sessions = Math.min(bound('client.session'), Math.max(1, Math.round(p.sessions * between(random, 0.5, 1.5))));
    for (let i = 0; i < sessions; i++) {
      const device = p.devices[Math.floor(random() * p.devices.length)]!;
      out.push(event('client.session', day, { deviceType: device, clientPlatform: pick(random, CLIENTS[device] ?? [['other', 1]]), clientVersion: pick(random, [['10.10.1', 50], ['10.9.6', 30], ['1.8.2', 20]]) }));
    }
    if (p.consent.playback) {
      const plays = Math.floor(sessions * between(random, 0.3, 1.6));
      for (let i = 0; i < Math.min(plays, bound('playback.session')); i++) out.push(event('playback.session', day, playbackRaw(random, p.devices[Math.floor(random() * p.devices.length)]!)));
      if (plays > 0) out.push(event('playback.daily', day, { plays }));
    }
    if (p.consent.crash && random() < 0.03) {
      out.push(event('crash.report', day, { serverVersion: '10.10.3', platform: p.platform, errorType: pick(random, ERRORS), message: 'transcode failed at segment 12', stack: 'at Transcoder.run (transcoder.js:88:13)', count: 1 + Math.floor(random() * 4) }));
    }
    if (p.consent.integrations) out.push(event('integrations.daily', day, { webhook: random() < 0.5, speaker: random() < 0.2, voiceAssistant: random() < 0.1, scrobbler: random() < 0.3 }));
    if (p.consent.marketing && random() < 0.05) out.push(event('marketing.preference', day, { subscribed: true }));
    const events = out.filter((e): e is WireEvent => e !== undefined);
    // The SDK shuffles a batch, so that the order of events says nothing.
    for (let i = events.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [events[i], events[j]] = [events[j]!, events[i]!];
    }
    return events;
  }

  return {
    *batches() {
      for (let d = 0; d < days; d++) {
        const day = dayOf(now - d * 86_400_000);
        const random = rng(seed ^ ((d + 1) * 0x9e3779b1));
        const order = profiles.map((_, i) => i);
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        for (const index of order) {
          const p = profiles[index]!;
          // An install is in use on about weeklyDays of 7 days.
          if (random() * 7 >= p.weeklyDays) continue;
          const pseudonym = createHmac('sha256', p.secret).update(`${catalog.id}${day}`).digest('hex');
          const events = installDay(p, random, day);
          for (let i = 0; i < events.length; i += maxEvents) {
            yield { v: PROTOCOL_VERSION, catalog: { id: catalog.id, version: catalog.version }, pseudonym, period: day, batchKey: randomBytes(16).toString('hex'), events: events.slice(i, i + maxEvents) };
          }
        }
      }
    },
  };
}
