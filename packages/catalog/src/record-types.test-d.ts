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
});

test('payload types are the generalized outputs', () => {
  type P = PayloadOf<MediaServerCatalog['events']['playback.session']>;
  expectTypeOf<P['hdr']>().toEqualTypeOf<boolean>();
  expectTypeOf<P['resolution']>().toEqualTypeOf<'none' | 'sd' | '720p' | '1080p' | '1440p' | '4k' | '8k'>();
  expectTypeOf<P['decision']>().toEqualTypeOf<'directplay' | 'directstream' | 'transcode'>();
  expectTypeOf<P['duration']>().toEqualTypeOf<string | null>();
  expectTypeOf(mediaServerCatalog.linkagePeriod).toEqualTypeOf<'day'>();
});
