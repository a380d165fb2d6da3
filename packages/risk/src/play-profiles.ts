import type { Random } from '@candor/sdk';
import type { MediaItem } from './media-catalog.js';

/** One plausible way a media server holds and streams an item: its encoding and a bitrate range. */
export interface EncodingVariant {
  /** Share of plays in the simulated fleet (weights of a profile add up to 1). */
  readonly weight: number;
  readonly container: string;
  readonly videoCodec: string;
  readonly audioCodec: string;
  /** Picture size in pixels; absent for audio. */
  readonly width?: number;
  readonly height?: number;
  readonly hdr: boolean;
  /** The stream bitrates this encoding plausibly has, lowest and highest, in kbps. */
  readonly bitrateKbps: readonly [number, number];
}

/** How one media type is played: plausible encodings, devices and delivery decisions. */
export interface PlayProfile {
  readonly mediaType: MediaItem['mediaType'];
  readonly variants: readonly EncodingVariant[];
  /** Device types with their share of plays. */
  readonly deviceTypes: readonly (readonly [string, number])[];
  /** Server decisions (direct play, remux, transcode) with their share of plays. */
  readonly decisions: readonly (readonly [string, number])[];
}

/** A raw `playback.session` event as a media server would record it. */
export interface RawPlay {
  readonly mediaType: string;
  readonly durationSeconds: number;
  readonly playedSeconds: number;
  readonly bitrateKbps: number;
  readonly container: string;
  readonly videoCodec: string;
  readonly audioCodec: string;
  readonly width?: number;
  readonly height?: number;
  readonly deviceType: string;
  readonly decision: string;
  readonly hdr: boolean;
}

// Encodings found in self-hosted movie libraries, from DVD rips to UHD remuxes. The bitrate
// ranges are those of the encodes themselves; widths include scope crops (1920×800).
const MOVIE_VARIANTS: readonly EncodingVariant[] = [
  { weight: 0.05, container: 'avi', videoCodec: 'mpeg4', audioCodec: 'mp3', width: 640, height: 272, hdr: false, bitrateKbps: [700, 2000] },
  { weight: 0.08, container: 'mkv', videoCodec: 'h264', audioCodec: 'ac3', width: 720, height: 480, hdr: false, bitrateKbps: [900, 3500] },
  { weight: 0.04, container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', width: 854, height: 480, hdr: false, bitrateKbps: [600, 2500] },
  { weight: 0.08, container: 'mkv', videoCodec: 'h264', audioCodec: 'ac3', width: 1280, height: 720, hdr: false, bitrateKbps: [1500, 6000] },
  { weight: 0.05, container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', width: 1280, height: 534, hdr: false, bitrateKbps: [1200, 5000] },
  { weight: 0.22, container: 'mkv', videoCodec: 'h264', audioCodec: 'dts', width: 1920, height: 800, hdr: false, bitrateKbps: [4000, 15000] },
  { weight: 0.12, container: 'mkv', videoCodec: 'hevc', audioCodec: 'eac3', width: 1920, height: 1080, hdr: false, bitrateKbps: [2500, 10000] },
  { weight: 0.1, container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', width: 1920, height: 1080, hdr: false, bitrateKbps: [3000, 10000] },
  { weight: 0.05, container: 'mkv', videoCodec: 'h264', audioCodec: 'truehd', width: 1920, height: 1080, hdr: false, bitrateKbps: [18000, 40000] },
  { weight: 0.03, container: 'ts', videoCodec: 'mpeg2', audioCodec: 'ac3', width: 1920, height: 1080, hdr: false, bitrateKbps: [8000, 20000] },
  { weight: 0.11, container: 'mkv', videoCodec: 'hevc', audioCodec: 'eac3', width: 3840, height: 2160, hdr: true, bitrateKbps: [12000, 30000] },
  { weight: 0.04, container: 'mkv', videoCodec: 'hevc', audioCodec: 'truehd', width: 3840, height: 2160, hdr: true, bitrateKbps: [40000, 100000] },
  { weight: 0.03, container: 'webm', videoCodec: 'av1', audioCodec: 'opus', width: 3840, height: 1600, hdr: false, bitrateKbps: [6000, 18000] },
];

// Encodings found in music libraries: lossy at the usual encoder settings (the measured stream
// bitrate scatters around the nominal one), lossless CD and hi-res.
const TRACK_VARIANTS: readonly EncodingVariant[] = [
  { weight: 0.12, container: 'mp3', videoCodec: 'none', audioCodec: 'mp3', hdr: false, bitrateKbps: [120, 136] },
  { weight: 0.08, container: 'mp3', videoCodec: 'none', audioCodec: 'mp3', hdr: false, bitrateKbps: [180, 200] },
  { weight: 0.1, container: 'mp3', videoCodec: 'none', audioCodec: 'mp3', hdr: false, bitrateKbps: [200, 280] },
  { weight: 0.22, container: 'mp3', videoCodec: 'none', audioCodec: 'mp3', hdr: false, bitrateKbps: [310, 330] },
  { weight: 0.12, container: 'aac', videoCodec: 'none', audioCodec: 'aac', hdr: false, bitrateKbps: [125, 270] },
  { weight: 0.05, container: 'ogg', videoCodec: 'none', audioCodec: 'vorbis', hdr: false, bitrateKbps: [110, 200] },
  { weight: 0.04, container: 'opus', videoCodec: 'none', audioCodec: 'opus', hdr: false, bitrateKbps: [64, 170] },
  { weight: 0.2, container: 'flac', videoCodec: 'none', audioCodec: 'flac', hdr: false, bitrateKbps: [550, 1150] },
  { weight: 0.03, container: 'flac', videoCodec: 'none', audioCodec: 'flac', hdr: false, bitrateKbps: [1500, 4600] },
  { weight: 0.02, container: 'wav', videoCodec: 'none', audioCodec: 'pcm', hdr: false, bitrateKbps: [1411, 1412] },
  { weight: 0.02, container: 'alac', videoCodec: 'none', audioCodec: 'alac', hdr: false, bitrateKbps: [600, 1100] },
];

/** Plausible plays of movies and of music tracks: the sweep of the attacks and the mix of the simulated fleet. */
export const PLAY_PROFILES: { readonly [T in MediaItem['mediaType']]: PlayProfile } = {
  movie: {
    mediaType: 'movie',
    variants: MOVIE_VARIANTS,
    deviceTypes: [['tv', 0.45], ['web', 0.15], ['mobile', 0.12], ['tablet', 0.1], ['desktop', 0.1], ['console', 0.08]],
    decisions: [['directplay', 0.6], ['directstream', 0.2], ['transcode', 0.2]],
  },
  track: {
    mediaType: 'track',
    variants: TRACK_VARIANTS,
    deviceTypes: [['mobile', 0.4], ['desktop', 0.2], ['speaker', 0.2], ['web', 0.15], ['tv', 0.05]],
    decisions: [['directplay', 0.8], ['directstream', 0.05], ['transcode', 0.15]],
  },
};

/** Bitrates the attacks try for each encoding: log-spaced across its plausible range, ends included. */
export function sweepBitrates(variant: EncodingVariant, points = 5): number[] {
  const [lo, hi] = variant.bitrateKbps;
  if (hi <= lo) return [lo];
  const out: number[] = [];
  for (let i = 0; i < points; i++) out.push(Math.round(lo * (hi / lo) ** (i / (points - 1))));
  return [...new Set(out)];
}

/**
 * Played lengths the attacks try for an item of `durationSeconds`: a full play, fractions of
 * it, and each edge of the catalog's `played` buckets below it, so that every played bucket
 * the item could produce is produced.
 */
export function sweepPlayed(durationSeconds: number, playedEdges: readonly number[]): number[] {
  const out = new Set<number>([durationSeconds]);
  for (const f of [0.02, 0.1, 0.25, 0.5, 0.75, 0.9]) out.add(durationSeconds * f);
  for (const e of playedEdges) if (e > 0 && e < durationSeconds) out.add(e);
  return [...out].sort((a, b) => a - b);
}

/** The raw event of one play of `item` with an encoding, a bitrate and a played length. */
export function rawPlay(item: MediaItem, variant: EncodingVariant, bitrateKbps: number, playedSeconds: number, deviceType: string, decision: string): RawPlay {
  const base = { mediaType: item.mediaType, durationSeconds: item.durationSeconds, playedSeconds, bitrateKbps, container: variant.container, videoCodec: variant.videoCodec, audioCodec: variant.audioCodec };
  const picture = variant.width === undefined ? {} : { width: variant.width, height: variant.height };
  return { ...base, ...picture, deviceType, decision, hdr: variant.hdr };
}

/** Picks one entry of a weighted list. */
export function pickWeighted<T>(entries: readonly (readonly [T, number])[], random: Random): T {
  let u = random();
  for (const [value, weight] of entries) {
    if (u < weight) return value;
    u -= weight;
  }
  return entries[entries.length - 1]![0];
}

/** Picks an encoding by its fleet share. */
export function pickVariant(profile: PlayProfile, random: Random): EncodingVariant {
  return pickWeighted(
    profile.variants.map((v) => [v, v.weight] as const),
    random,
  );
}
