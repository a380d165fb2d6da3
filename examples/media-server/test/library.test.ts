import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLibrary } from '../src/library/create-library.js';
import { ProbeError, parseProbeOutput, probeMedia } from '../src/library/probe-media.js';
import { makeMediaFolder } from './helpers/fixtures.js';

let media: Awaited<ReturnType<typeof makeMediaFolder>>;
beforeAll(async () => {
  media = await makeMediaFolder();
});
afterAll(() => media.cleanup());

describe('library scan with real ffprobe metadata', () => {
  it('finds media files by extension, skipping other and hidden files', async () => {
    const library = createLibrary({ folders: [media.dir] });
    const summary = await library.scan();
    expect(summary).toMatchObject({ items: 3, probed: 3, problems: [] });
    expect(library.items().map((i) => i.relativePath)).toEqual(['Films/Pattern.mp4', 'Music/Album/01 Tone.flac', 'Music/Album/02 Tone.mp3']);
    expect(library.counts()).toEqual({ movie: 1, episode: 0, track: 2 });
  });

  it('reads duration, bitrate, container, codecs, resolution and tags from the files', async () => {
    const library = createLibrary({ folders: [media.dir] });
    await library.scan();
    const [video, flac, mp3] = library.items();
    expect(video).toMatchObject({ kind: 'video', mediaType: 'movie', mimeType: 'video/mp4', title: 'Pattern' });
    expect(video?.info).toMatchObject({ container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', width: 1280, height: 720, hdr: false });
    expect(video?.info?.durationSeconds).toBeCloseTo(2, 1);
    expect(video?.info?.bitrateKbps).toBeGreaterThan(0);
    expect(flac).toMatchObject({ kind: 'audio', mediaType: 'track', title: 'Tone One' });
    expect(flac?.info).toMatchObject({ container: 'flac', videoCodec: null, audioCodec: 'flac', width: null, height: null, tags: { artist: 'Tester', album: 'Album', track: 1 } });
    expect(mp3?.info).toMatchObject({ container: 'mp3', audioCodec: 'mp3', tags: { title: 'Tone Two', track: 2 } });
    expect(mp3?.info?.durationSeconds).toBeCloseTo(2, 0);
  });

  it('probes only new or changed files on a rescan, and reports missing folders', async () => {
    const library = createLibrary({ folders: [media.dir, join(media.dir, 'nope')] });
    expect((await library.scan()).probed).toBe(3);
    const again = await library.scan();
    expect(again.probed).toBe(0);
    expect(again.problems).toEqual([{ folder: join(media.dir, 'nope'), message: 'folder does not exist' }]);
  });

  it('keeps a file ffprobe cannot read, with the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'media-broken-'));
    writeFileSync(join(dir, 'broken.mkv'), 'this is not a matroska file');
    const library = createLibrary({ folders: [dir] });
    await library.scan();
    expect(library.items()[0]).toMatchObject({ info: null, kind: 'video', probeError: expect.stringContaining('ffprobe could not read the file') });
  });

  it('names a missing ffprobe with a typed error', async () => {
    await expect(probeMedia(join(media.dir, 'Films', 'Pattern.mp4'), { ffprobePath: '/nonexistent/ffprobe' })).rejects.toThrow(ProbeError);
    await expect(probeMedia(join(media.dir, 'Films', 'Pattern.mp4'), { ffprobePath: '/nonexistent/ffprobe' })).rejects.toMatchObject({ code: 'ffprobe_missing' });
  });
});

describe('parseProbeOutput', () => {
  it('ignores cover art, detects HDR transfer functions and tells mkv from webm and mp4 from m4a', () => {
    const hdr = parseProbeOutput(
      { format: { format_name: 'matroska,webm', duration: '5400.5', bit_rate: '24000000' }, streams: [{ codec_type: 'video', codec_name: 'hevc', width: 3840, height: 2160, color_transfer: 'smpte2084' }, { codec_type: 'audio', codec_name: 'eac3' }] },
      '/m/film.mkv',
    );
    expect(hdr).toMatchObject({ container: 'mkv', videoCodec: 'hevc', hdr: true, bitrateKbps: 24000, durationSeconds: 5400.5, width: 3840 });
    const song = parseProbeOutput(
      { format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', tags: { TITLE: 'Song', ARTIST: 'Band', track: '3/12' } }, streams: [{ codec_type: 'audio', codec_name: 'alac' }, { codec_type: 'video', codec_name: 'mjpeg', disposition: { attached_pic: 1 } }] },
      '/m/song.m4a',
    );
    expect(song).toMatchObject({ container: 'm4a', videoCodec: null, width: null, audioCodec: 'alac', durationSeconds: null, tags: { title: 'Song', artist: 'Band', track: 3 } });
    expect(parseProbeOutput({ format: { format_name: 'matroska,webm' }, streams: [] }, '/m/clip.webm').container).toBe('webm');
    expect(() => parseProbeOutput('nope', '/m/x.mp4')).toThrow(TypeError);
  });
});
