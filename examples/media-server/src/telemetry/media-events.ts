import type { RawEvent } from '@candor/catalog';
import type { MediaServerCatalog } from '@candor/catalog/media-server';
import type { ClientDescription } from '../clients/describe-user-agent.js';
import type { LibraryItem, MediaType } from '../library/create-library.js';
import type { Playback } from '../playback/playback-tracker.js';

/** The raw `playback.session` the host hands to Candor: exact figures, which the catalog generalizes before anything is stored. */
export type PlaybackSessionRaw = RawEvent<MediaServerCatalog, 'playback.session'>;
/** The raw `client.session`. */
export type ClientSessionRaw = RawEvent<MediaServerCatalog, 'client.session'>;
/** The raw `server.daily`. */
export type ServerDailyRaw = RawEvent<MediaServerCatalog, 'server.daily'>;

/** The example server's version, reported as major.minor by the catalog. */
export const SERVER_VERSION = '0.1.0';

/**
 * The raw playback report of one item played on one client for `playedSeconds`: the file's
 * real ffprobe duration, bitrate, container, codecs and size. The server streams files as they
 * are, so every playback is a direct play.
 */
export function playbackSessionRaw(item: LibraryItem, client: ClientDescription, playedSeconds: number): PlaybackSessionRaw {
  const info = item.info;
  return {
    mediaType: item.mediaType,
    durationSeconds: info?.durationSeconds ?? null,
    playedSeconds,
    bitrateKbps: info?.bitrateKbps ?? null,
    container: info?.container ?? 'other',
    videoCodec: info?.videoCodec ?? 'none',
    audioCodec: info?.audioCodec ?? 'none',
    width: info?.width ?? null,
    height: info?.height ?? null,
    deviceType: client.deviceType,
    decision: 'directplay',
    hdr: info?.hdr ?? false,
  };
}

/** The raw playback report of an ended playback. */
export function playbackRaw(playback: Playback): PlaybackSessionRaw {
  return playbackSessionRaw(playback.item, playback.client, playback.playedSeconds);
}

/** The raw report of a browser opening the web UI. */
export function clientSessionRaw(client: ClientDescription): ClientSessionRaw {
  return { deviceType: client.deviceType, clientPlatform: client.clientPlatform, clientVersion: SERVER_VERSION };
}

/** What `server.daily` needs to know about the host. */
export interface ServerFacts {
  /** `process.platform`, or `docker` inside a container. */
  readonly platform: string;
  /** `process.arch`. */
  readonly arch: string;
  /** Items per media type. */
  readonly counts: Readonly<Record<MediaType, number>>;
  /** Days of the last 7 on which the server was in use (1–7). */
  readonly activeDays7: number;
  /** Days of the last 28 on which the server was in use (1–28). */
  readonly activeDays28: number;
}

/** The raw daily server report: version, platform and library size (exact here; bucketed by the catalog). */
export function serverDailyRaw(facts: ServerFacts): ServerDailyRaw {
  return {
    serverVersion: SERVER_VERSION,
    platform: facts.platform,
    arch: facts.arch,
    movies: facts.counts.movie,
    episodes: facts.counts.episode,
    tracks: facts.counts.track,
    photos: 0,
    activeDays7: facts.activeDays7,
    activeDays28: facts.activeDays28,
  };
}
