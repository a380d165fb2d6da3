import { compileCatalog } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { describe, expect, it } from 'vitest';
import type { LibraryItem } from '../library/create-library.js';
import { clientSessionRaw, playbackSessionRaw, serverDailyRaw } from './media-events.js';

const catalog = compileCatalog(mediaServerCatalog);
const film: LibraryItem = {
  id: 'a'.repeat(24),
  path: '/srv/media/Movies/Some Film (2017)/Some.Film.2017.1080p.mkv',
  relativePath: 'Movies/Some Film (2017)/Some.Film.2017.1080p.mkv',
  kind: 'video',
  mediaType: 'movie',
  title: 'Some Film',
  mimeType: 'video/x-matroska',
  sizeBytes: 8_123_456_789,
  mtimeMs: 0,
  info: { durationSeconds: 7_321.44, bitrateKbps: 8_876, container: 'mkv', formatName: 'matroska,webm', videoCodec: 'hevc', audioCodec: 'eac3', width: 1920, height: 804, hdr: true, tags: { title: 'Some Film' } },
};
const song: LibraryItem = { ...film, kind: 'audio', mediaType: 'track', info: { durationSeconds: 241.3, bitrateKbps: 1_011, container: 'flac', formatName: 'flac', videoCodec: null, audioCodec: 'flac', width: null, height: null, hdr: false, tags: {} } };
const tv = { deviceType: 'tv', clientPlatform: 'web' } as const;

describe('raw events of the example server', () => {
  it('builds playback reports that the catalog accepts and generalizes, leaving no exact figure or name', () => {
    const result = catalog.normalize('playback.session', playbackSessionRaw(film, tv, 3_600.5));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.payload).toMatchObject({ mediaType: 'movie', container: 'mkv', videoCodec: 'hevc', audioCodec: 'eac3', resolution: '1080p', deviceType: 'tv', decision: 'directplay', hdr: true });
    const wire = JSON.stringify(result.payload);
    for (const secret of ['7321', '8876', '804', 'Some Film', '3600']) expect(wire).not.toContain(secret);
    const audio = catalog.normalize('playback.session', playbackSessionRaw(song, tv, 30));
    expect(audio.ok && audio.payload).toMatchObject({ mediaType: 'track', videoCodec: 'none', resolution: 'none', container: 'flac' });
  });

  it('builds client and server reports that the catalog accepts', () => {
    expect(catalog.normalize('client.session', clientSessionRaw(tv))).toMatchObject({ ok: true, payload: { deviceType: 'tv', clientPlatform: 'web', clientVersion: '0.1' } });
    const daily = catalog.normalize('server.daily', serverDailyRaw({ platform: 'linux', arch: 'x64', counts: { movie: 1_287, episode: 0, track: 12 }, activeDays7: 3, activeDays28: 9 }));
    expect(daily).toMatchObject({ ok: true, payload: { serverVersion: '0.1', platform: 'linux', arch: 'x64', movies: '1k–10k', episodes: 'none', tracks: '10–99' } });
  });
});
