// The host-side data that drives the run: media items built from rows of the shared media
// catalogs (fixtures/media-catalogs/*.csv), each with its real title and a file path a media
// server would hold, and the errors such a server raises about them. Titles and paths exist
// only here, on the host side; the data-minimization scenario proves that none of them
// reaches a file that Candor writes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSeededRandom, parseCsv } from '@candor/risk';

/** The folder every POSIX media path starts with. */
export const MEDIA_ROOT = '/srv/media';
/** The Windows media folder some hosts use. */
export const WINDOWS_MEDIA_ROOT = 'D:\\Media';
/** The server's own install directory (crash frames under it are kept, made relative). */
export const APP_ROOT = '/opt/mediaserver';

const pick = (random, list) => list[Math.floor(random() * list.length)];
const pad = (n) => String(n).padStart(2, '0');

/**
 * Builds the library of a run from the catalogs: `movies` films with a year and `albums`
 * whole albums, deterministic for a seed.
 * @param {{ repoRoot: string, seed: number, movies: number, albums: number }} o
 */
export function buildMediaLibrary(o) {
  const random = createSeededRandom(o.seed);
  const dir = join(o.repoRoot, 'fixtures', 'media-catalogs');
  const movieRows = parseCsv(readFileSync(join(dir, 'movies_cmu.csv'), 'utf8'), 'movies_cmu.csv').slice(1);
  const trackRows = parseCsv(readFileSync(join(dir, 'music_freemusicc.csv'), 'utf8'), 'music_freemusicc.csv').slice(1);
  const items = [];
  const usable = movieRows.filter((r) => /^\d{4}$/.test(r[1] ?? '') && Number(r[2]) > 0 && (r[0] ?? '').trim().length > 0);
  for (let i = 0; i < o.movies; i++) {
    const [title, year, runtime] = pick(random, usable);
    const style = i % 3;
    const folder = `${title} (${year})`;
    const path =
      style === 0
        ? `${MEDIA_ROOT}/Movies/${folder}/${folder} - 1080p.mkv`
        : style === 1
          ? `${WINDOWS_MEDIA_ROOT}\\Movies\\${folder}\\${title}.mp4`
          : `${MEDIA_ROOT}/Movies/${folder}/${title.replace(/\s+/g, '.')}.${year}.2160p.mkv`;
    const uhd = style === 2;
    items.push({
      kind: 'movie',
      title,
      year,
      path,
      durationSeconds: Number(runtime),
      container: path.endsWith('.mp4') ? 'mp4' : 'mkv',
      videoCodec: uhd ? 'hevc' : pick(random, ['h264', 'hevc']),
      audioCodec: pick(random, ['aac', 'ac3', 'eac3', 'dts']),
      width: uhd ? 3840 : 1920,
      height: uhd ? 1600 : 800 + Math.floor(random() * 280),
      bitrateKbps: Math.round(uhd ? 18_000 + random() * 30_000 : 3_000 + random() * 9_000),
      hdr: uhd && random() < 0.7,
    });
  }
  const albums = new Map();
  for (const r of trackRows) {
    const list = albums.get(r[0]) ?? [];
    list.push(r);
    albums.set(r[0], list);
  }
  const albumIds = [...albums.keys()].filter((id) => albums.get(id).length >= 3);
  for (let a = 0; a < o.albums; a++) {
    const tracks = albums.get(pick(random, albumIds));
    for (const [albumId, trackNo, title, artist, durationMs] of tracks) {
      const flac = random() < 0.6;
      const file = `${pad(Number(trackNo) || 0)} - ${title}.${flac ? 'flac' : 'mp3'}`;
      const path = a % 2 === 0 ? `${MEDIA_ROOT}/Music/${artist}/${albumId}/${file}` : `${WINDOWS_MEDIA_ROOT}\\Music\\${artist}\\${albumId.replace(/\//g, '\\')}\\${file}`;
      items.push({
        kind: 'track',
        title,
        artist,
        path,
        durationSeconds: Math.round(Number(durationMs) / 1000),
        container: flac ? 'flac' : 'mp3',
        videoCodec: 'none',
        audioCodec: flac ? 'flac' : 'mp3',
        width: null,
        height: null,
        bitrateKbps: flac ? Math.round(700 + random() * 500) : 320,
        hdr: false,
      });
    }
  }
  return { items };
}

/** The raw `playback.session` a host hands the SDK for one play of an item: exact figures. */
export function playbackRaw(item, random) {
  const full = random() < 0.6;
  return {
    mediaType: item.kind,
    durationSeconds: item.durationSeconds,
    playedSeconds: full ? item.durationSeconds : Math.max(1, Math.round(item.durationSeconds * random())),
    bitrateKbps: item.bitrateKbps,
    container: item.container,
    videoCodec: item.videoCodec,
    audioCodec: item.audioCodec,
    width: item.width,
    height: item.height,
    deviceType: pick(random, ['tv', 'mobile', 'web', 'tablet', 'desktop', 'console', 'speaker']),
    decision: pick(random, ['directplay', 'directplay', 'directstream', 'transcode']),
    hdr: item.hdr,
  };
}

/**
 * A raw event in which a careless host put an item's title or path where a field expects
 * something else; the catalog must refuse it or generalize it to a declared value.
 */
export function misusedRaw(item, random) {
  const raw = playbackRaw(item, random);
  switch (Math.floor(random() * 4)) {
    case 0:
      return { name: 'playback.session', raw: { ...raw, container: item.path } };
    case 1:
      return { name: 'playback.session', raw: { ...raw, deviceType: item.title } };
    case 2:
      return { name: 'client.session', raw: { deviceType: 'tv', clientPlatform: item.title, clientVersion: '4.2.1' } };
    default:
      return { name: 'client.session', raw: { deviceType: 'web', clientPlatform: 'web', clientVersion: item.path } };
  }
}

/** The raw `client.session` of a client app connecting. */
export function clientSessionRaw(random) {
  const [deviceType, clientPlatform] = pick(random, [
    ['tv', 'androidtv'],
    ['tv', 'roku'],
    ['mobile', 'ios'],
    ['mobile', 'android'],
    ['web', 'web'],
    ['desktop', 'windows'],
    ['console', 'xbox'],
  ]);
  return { deviceType, clientPlatform, clientVersion: `${1 + Math.floor(random() * 9)}.${Math.floor(random() * 20)}.${Math.floor(random() * 100)}` };
}

/** The raw `server.daily` of a host with a library of this size. */
export function serverDailyRaw(library, random) {
  const movies = library.items.filter((i) => i.kind === 'movie').length;
  return {
    serverVersion: '2.3.17',
    platform: pick(random, ['linux', 'docker', 'win32', 'synology', 'darwin']),
    arch: pick(random, ['x86_64', 'aarch64']),
    movies,
    episodes: Math.floor(random() * 5000),
    tracks: library.items.length - movies,
    photos: Math.floor(random() * 20_000),
    activeDays7: 1 + Math.floor(random() * 7),
    activeDays28: 1 + Math.floor(random() * 28),
  };
}

/**
 * An error a media server raises about an item, as Node and ffmpeg phrase them: paths quoted
 * or not, titles quoted or marked by their year, LAN addresses. `seq` makes every stack
 * distinct, so that each error is a crash of its own (no repeat counting).
 */
export function hostError(item, random, seq) {
  const lan = `192.168.${1 + Math.floor(random() * 3)}.${2 + Math.floor(random() * 250)}`;
  const shapes = [
    () => Object.assign(new Error(`ENOENT: no such file or directory, open '${item.path}'`), { code: 'ENOENT', errno: -2, syscall: 'open', path: item.path }),
    () => new Error(`ffprobe exited with code 1: ${item.path}: Invalid data found when processing input`),
    () => new Error(`Transcoding "${item.title}" failed: Conversion failed!`),
    () => new Error(item.kind === 'movie' ? `No metadata match for ${item.title} (${item.year})` : `Cannot read tags of '${item.path}'`),
    () => Object.assign(new Error(`connect ECONNREFUSED ${lan}:32400`), { code: 'ECONNREFUSED', address: lan, port: 32400 }),
    () => new TypeError(`Cannot read properties of undefined (reading 'duration') while scanning "${item.path}"`),
    () => new Error(`Playback of '${item.title}' on client ${lan} stalled`, { cause: new Error(`EIO: i/o error, read '${item.path}'`) }),
  ];
  const error = shapes[seq % shapes.length]();
  const line = 10 + (seq % 9000);
  error.stack = `${error.name}: ${error.message}
    at Scanner.scanItem (${APP_ROOT}/src/library/scanner.ts:${line}:13)
    at Library.refresh (${APP_ROOT}/src/library/library.ts:${88 + Math.floor(seq / 9000)}:5)
    at async Promise.all (index 0)
    at async Probe.run (${APP_ROOT}/node_modules/fluent-ffmpeg/lib/ffprobe.js:231:9)`;
  return error;
}
