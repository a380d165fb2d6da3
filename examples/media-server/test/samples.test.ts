import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLibrary } from '../src/library/create-library.js';
import { DEFAULT_SAMPLES, generateSampleMedia } from '../src/samples/generate-sample-media.js';

describe('generateSampleMedia', () => {
  it('declares 1080p mkv and mp4 films, 720p episodes and an album of flac and mp3 tracks', () => {
    const videos = DEFAULT_SAMPLES.filter((s) => s.video !== undefined);
    expect(videos.filter((s) => s.video?.height === 1080).map((s) => s.path.slice(-3)).sort()).toEqual(['mkv', 'mp4']);
    expect(videos.some((s) => s.video?.height === 720 && /S\d+E\d+/.test(s.path))).toBe(true);
    const tracks = DEFAULT_SAMPLES.filter((s) => s.video === undefined);
    expect(tracks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(tracks.map((s) => s.audioCodec))).toEqual(new Set(['flac', 'mp3']));
  });

  it('encodes real files once, skips them on the next run, and leaves no partial files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'media-samples-'));
    const samples = [DEFAULT_SAMPLES.find((s) => s.audioCodec === 'mp3')!, { ...DEFAULT_SAMPLES.find((s) => s.path.endsWith('.mkv'))!, durationSeconds: 1, video: { width: 320, height: 240, source: 'testsrc2' as const } }];
    const first = await generateSampleMedia(dir, { samples });
    expect(first.created).toHaveLength(2);
    const second = await generateSampleMedia(dir, { samples });
    expect(second).toEqual({ created: [], existing: first.created });
    const library = createLibrary({ folders: [dir] });
    await library.scan();
    const byContainer = Object.fromEntries(library.items().map((i) => [i.info?.container, i]));
    expect(byContainer['mkv']?.info).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac', width: 320 });
    expect(byContainer['mp3']?.info).toMatchObject({ audioCodec: 'mp3', tags: { album: 'Sine Studies', track: 3 } });
    const all = readdirSync(dir, { recursive: true }).map(String);
    expect(all.filter((f) => f.includes('.partial'))).toEqual([]);
  });

  it('says clearly when ffmpeg is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'media-samples-'));
    await expect(generateSampleMedia(dir, { ffmpegPath: '/nonexistent/ffmpeg', samples: DEFAULT_SAMPLES.slice(0, 1) })).rejects.toMatchObject({ code: 'ffmpeg_missing' });
  });
});
