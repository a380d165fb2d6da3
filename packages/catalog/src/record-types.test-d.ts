import { expectTypeOf, test } from 'vitest';
import type { EventName, RawEvent, PayloadOf } from './types.js';
import { mediaServerCatalog, type MediaServerCatalog } from './media-server.js';

type Record = <N extends EventName<MediaServerCatalog>>(name: N, raw: RawEvent<MediaServerCatalog, N>) => void;
declare const record: Record;

test('playback.session raw input is inferred from the catalog', () => {
  record('playback.session', {
    mediaType: 'movie',
    durationSeconds: 5400,
    playedSeconds: 3000,
    bitrateKbps: 8000,
    container: 'mkv',
    videoCodec: 'h264',
    audioCodec: 'aac',
    width: 1920,
    height: 1080,
    deviceType: 'tv',
    decision: 'directplay',
    hdr: false,
  });
  // Optional fields may be omitted; width and height too (audio).
  record('playback.session', { mediaType: 'track', playedSeconds: 200, container: 'flac', videoCodec: 'none', audioCodec: 'flac', deviceType: 'speaker', decision: 'directplay', hdr: false });
  // @ts-expect-error a wrong field type fails to compile
  record('playback.session', { mediaType: 'movie', durationSeconds: '5400', playedSeconds: 1, container: 'mkv', videoCodec: 'h264', audioCodec: 'aac', deviceType: 'tv', decision: 'directplay', hdr: false });
  // @ts-expect-error an undeclared field fails to compile
  record('playback.session', { mediaType: 'movie', title: 'Some Film', playedSeconds: 1, container: 'mkv', videoCodec: 'h264', audioCodec: 'aac', deviceType: 'tv', decision: 'directplay', hdr: false });
  // @ts-expect-error a missing required field fails to compile
  record('playback.session', { mediaType: 'movie' });
  // @ts-expect-error an undeclared event fails to compile
  record('playback.title', { title: 'x' });
  // Unknown optional values may be passed as null.
  record('playback.session', { mediaType: 'movie', durationSeconds: null, bitrateKbps: null, playedSeconds: 1, container: 'mkv', videoCodec: 'h264', audioCodec: 'aac', width: 1920, height: 1080, deviceType: 'tv', decision: 'transcode', hdr: true });
  // @ts-expect-error hdr is a boolean, not a string
  record('playback.session', { mediaType: 'movie', playedSeconds: 1, container: 'mkv', videoCodec: 'h264', audioCodec: 'aac', deviceType: 'tv', decision: 'directplay', hdr: 'yes' });
  // @ts-expect-error width is a number of pixels
  record('playback.session', { mediaType: 'movie', playedSeconds: 1, container: 'mkv', videoCodec: 'h264', audioCodec: 'aac', width: '1920', height: 1080, deviceType: 'tv', decision: 'directplay', hdr: false });
  // @ts-expect-error the generalized name (duration) is not the raw key (durationSeconds)
  record('playback.session', { mediaType: 'movie', duration: 5400, playedSeconds: 1, container: 'mkv', videoCodec: 'h264', audioCodec: 'aac', deviceType: 'tv', decision: 'directplay', hdr: false });
});

test('every event of the default catalog is typed from its declaration', () => {
  record('server.daily', { serverVersion: '1.32.4.7003', platform: 'linux', arch: 'x86_64', movies: 1200, episodes: 3400, tracks: 0, photos: 10, activeDays7: 5, activeDays28: 20 });
  record('client.session', { deviceType: 'tv', clientPlatform: 'roku', clientVersion: '4.1' });
  record('marketing.preference', { subscribed: false });
  // @ts-expect-error a misspelled field fails to compile
  record('server.daily', { serverVersion: '1.32', platfrom: 'linux', arch: 'x64', movies: 1, episodes: 1, tracks: 1, photos: 1, activeDays7: 1, activeDays28: 1 });
  // @ts-expect-error library sizes are counts, not strings
  record('server.daily', { serverVersion: '1.32', platform: 'linux', arch: 'x64', movies: '1200', episodes: 1, tracks: 1, photos: 1, activeDays7: 1, activeDays28: 1 });
  // @ts-expect-error subscribed is a boolean
  record('marketing.preference', { subscribed: 'yes' });
});

test('payload types are the generalized outputs', () => {
  type P = PayloadOf<MediaServerCatalog['events']['playback.session']>;
  expectTypeOf<P['hdr']>().toEqualTypeOf<boolean>();
  expectTypeOf<P['resolution']>().toEqualTypeOf<'none' | 'sd' | '720p' | '1080p' | '1440p' | '4k' | '8k'>();
  expectTypeOf<P['decision']>().toEqualTypeOf<'directplay' | 'directstream' | 'transcode'>();
  expectTypeOf<P['duration']>().toEqualTypeOf<string | null>();
  expectTypeOf(mediaServerCatalog.linkagePeriod).toEqualTypeOf<'day'>();
  type Crash = PayloadOf<MediaServerCatalog['events']['crash.report']>;
  expectTypeOf<Crash['message']>().toEqualTypeOf<string>();
  type Client = PayloadOf<MediaServerCatalog['events']['client.session']>;
  expectTypeOf<Client['deviceType']>().toEqualTypeOf<'tv' | 'mobile' | 'tablet' | 'desktop' | 'web' | 'console' | 'speaker' | 'other'>();
});
