import { defineCatalog } from './define-catalog.js';
import { boolean } from './generalizers/boolean.js';
import { buckets } from './generalizers/buckets.js';
import { enumeration } from './generalizers/enumeration.js';
import { identifier } from './generalizers/identifier.js';
import { resolutionClass } from './generalizers/resolution-class.js';
import { scrubbedText } from './generalizers/scrubbed-text.js';
import { versionPrefix } from './generalizers/version-prefix.js';

const DEVICE_TYPES = ['tv', 'mobile', 'tablet', 'desktop', 'web', 'console', 'speaker', 'other'] as const;

const deviceType = () =>
  enumeration({
    values: DEVICE_TYPES,
    aliases: { phone: 'mobile', smartphone: 'mobile', 'smart tv': 'tv', smarttv: 'tv', television: 'tv', browser: 'web', pc: 'desktop', laptop: 'desktop', ipad: 'tablet', xbox: 'console', playstation: 'console' },
  });

const serverPlatform = () =>
  enumeration({
    values: ['linux', 'windows', 'macos', 'freebsd', 'nas', 'docker', 'other'],
    aliases: { darwin: 'macos', 'mac os': 'macos', osx: 'macos', win32: 'windows', synology: 'nas', qnap: 'nas', unraid: 'nas', truenas: 'nas' },
  });

// Library sizes are bucketed by order of magnitude: an exact count (say 1,287 films)
// would be a stable fingerprint of one install across every report.
const librarySize = (what: string) => ({
  description: `How many ${what} the library holds, as an order of magnitude.`,
  generalize: buckets({ edges: [1, 10, 100, 1000, 10_000, 100_000], labels: ['none', '1–9', '10–99', '100–999', '1k–10k', '10k–100k', '100k or more'], max: 100_000_000 }),
});

/**
 * The default catalog of a self-hosted media server: usage, playback, crash reports,
 * marketing preferences and third-party integrations. No field carries a title, file name,
 * path, library name, exact duration, exact bitrate or exact size.
 */
export const mediaServerCatalog = defineCatalog({
  id: 'media-server',
  version: '1.0.0',
  effectiveDate: '2026-01-01',
  // One pseudonym per UTC day: the shortest linkage, so that the reports of one install
  // cannot be strung together across days.
  linkagePeriod: 'day',
  categories: {
    usage: {
      title: 'Basic usage',
      description: 'Which server versions and platforms are in use, how large libraries are (as orders of magnitude), and which kinds of device connect.',
      required: true,
      defaultOn: true,
      ownerText: 'Needed to keep the server compatible with the devices and platforms you use. It can only be turned off with the server-wide switch CANDOR_TELEMETRY=off.',
      maxRetentionDays: 400,
    },
    playback: {
      title: 'Playback statistics',
      description: 'How playback goes: kind of media, length and bitrate in broad ranges, format, resolution class, and whether the server transcoded. Never what was played.',
      required: false,
      defaultOn: true,
      ownerText: 'Turning this off stops playback reports, deletes the ones not yet sent, and asks the vendor to delete the ones already received.',
      maxRetentionDays: 400,
    },
    crash: {
      title: 'Crash reports',
      description: 'When the server fails: its version, platform, the kind of error and a scrubbed message and stack, with file paths, names, addresses and secrets removed.',
      required: false,
      defaultOn: true,
      ownerText: 'Turning this off stops crash reports, deletes the ones not yet sent, and asks the vendor to delete the ones already received.',
      maxRetentionDays: 90,
      allowsFreeText: true,
    },
    marketing: {
      title: 'Marketing communications',
      description: 'Whether you want news and offers from the vendor.',
      required: false,
      defaultOn: false,
      ownerText: 'Turning this off stops sending your preference and asks the vendor to delete it.',
      maxRetentionDays: 730,
    },
    integrations: {
      title: 'Third-party integrations',
      description: 'Which kinds of integration (webhooks, speakers, voice assistants, scrobblers) are enabled. Never what they send: what each integration sends, and where, is listed separately.',
      required: false,
      defaultOn: false,
      ownerText: 'Turning this off stops integration reports and every third-party delivery made through Candor.',
      maxRetentionDays: 400,
    },
  },
  events: {
    'server.daily': {
      category: 'usage',
      description: 'Once a day: server version, platform, architecture and library size per media type.',
      purpose: 'Decide which platforms and versions to support, and size features for real libraries.',
      retentionDays: 400,
      maxPerPeriod: 1,
      fields: {
        serverVersion: { description: 'The server version, major and minor only.', generalize: versionPrefix({ parts: 2 }) },
        platform: { description: 'The operating system family the server runs on.', generalize: serverPlatform() },
        arch: {
          description: 'The processor architecture.',
          generalize: enumeration({ values: ['x64', 'arm64', 'arm', 'other'], aliases: { amd64: 'x64', x86_64: 'x64', aarch64: 'arm64', armv7l: 'arm', armhf: 'arm' } }),
        },
        movies: librarySize('movies'),
        episodes: librarySize('episodes'),
        tracks: librarySize('music tracks'),
        photos: librarySize('photos'),
        activeDays7: {
          description: 'On how many of the last 7 days the server was in use (1–7); lets the vendor count weekly active servers without linking days.',
          generalize: buckets({ edges: [2, 3, 4, 5, 6, 7], labels: ['1', '2', '3', '4', '5', '6', '7'], min: 1, max: 7 }),
        },
        activeDays28: {
          description: 'On how many of the last 28 days the server was in use, in ranges; lets the vendor estimate monthly active servers without linking days.',
          generalize: buckets({ edges: [2, 4, 8, 15, 22], labels: ['1', '2–3', '4–7', '8–14', '15–21', '22–28'], min: 1, max: 28 }),
        },
      },
    },
    'consent.daily': {
      category: 'usage',
      description: 'Once a day, sent by Candor itself: which optional categories are turned on. Nothing else.',
      purpose: 'Know how many owners turn each category off, so that statistics are read with the right caution.',
      retentionDays: 400,
      maxPerPeriod: 1,
      auto: 'consent-state',
      fields: {
        playback: { description: 'Whether playback statistics are on.', generalize: boolean() },
        crash: { description: 'Whether crash reports are on.', generalize: boolean() },
        marketing: { description: 'Whether marketing communications are on.', generalize: boolean() },
        integrations: { description: 'Whether third-party integrations are on.', generalize: boolean() },
      },
    },
    'client.session': {
      category: 'usage',
      description: 'A client app connected: its device type, platform and version.',
      purpose: 'Know which devices and apps people use, to prioritize client work.',
      retentionDays: 400,
      maxPerPeriod: 50,
      fields: {
        deviceType: { description: 'The kind of device.', generalize: deviceType() },
        clientPlatform: {
          description: 'The client app platform.',
          generalize: enumeration({
            values: ['web', 'android', 'ios', 'androidtv', 'tvos', 'roku', 'webos', 'tizen', 'fireos', 'windows', 'macos', 'linux', 'xbox', 'playstation', 'sonos', 'alexa', 'other'],
            aliases: { 'android tv': 'androidtv', 'google tv': 'androidtv', 'apple tv': 'tvos', iphone: 'ios', ipados: 'ios', 'fire tv': 'fireos', firetv: 'fireos', lg: 'webos', samsung: 'tizen', browser: 'web', darwin: 'macos' },
          }),
        },
        clientVersion: { description: 'The client app version, major and minor only.', generalize: versionPrefix({ parts: 2 }) },
      },
    },
    'playback.session': {
      category: 'playback',
      description: 'One playback: kind of media, its length and bitrate in ranges, format, resolution class, device type, and how the server delivered it.',
      purpose: 'Learn which formats need transcoding, which bitrates and resolutions devices really play, and where playback falls short.',
      retentionDays: 400,
      // At most three a day leave, as a uniform sample sent when the day ends, so that
      // the reports of one install cannot spell out an album or a season.
      maxPerPeriod: 3,
      sampled: { countEvent: 'playback.daily', countField: 'plays' },
      fields: {
        mediaType: { description: 'The kind of media.', generalize: enumeration({ values: ['movie', 'episode', 'track', 'photo', 'clip', 'live'], aliases: { song: 'track', music: 'track', audio: 'track', film: 'movie', show: 'episode', tv: 'episode', video: 'clip' } }) },
        duration: {
          description: "The media's length, in broad ranges.",
          from: 'durationSeconds',
          optional: true,
          // Calibrated with `candor risk` on the shared movie and music catalogs (docs/privacy.md).
          // The ranges follow kinds of content: clips, tracks (1–3, 3–5, 5–10 min), long tracks
          // and short episodes (10–15), episodes (15–40, 40–75), feature films (75–150), long
          // films. There is no edge between 75 and 150 min: the longest tracks (85–139 min) are so
          // few that any edge there leaves one of them alone in its range, and a lone track is
          // named by its report. The narrowest track range (75–150 min) still holds 9 tracks.
          generalize: buckets({ edges: [60, 180, 300, 600, 900, 2400, 4500, 9000], unit: 'seconds', max: 7 * 24 * 3600 }),
        },
        played: {
          description: 'How long it was played, in broad ranges.',
          from: 'playedSeconds',
          // The same edges as `duration`, so that a full play adds nothing to what the length
          // says (an edge of its own would split a length range and shrink its anonymity set),
          // while a shorter range still shows where playback stopped short.
          generalize: buckets({ edges: [60, 180, 300, 600, 900, 2400, 4500, 9000], unit: 'seconds', max: 7 * 24 * 3600 }),
        },
        bitrate: {
          description: 'The stream bitrate, in ranges that roughly double.',
          from: 'bitrateKbps',
          optional: true,
          // The bitrate does not depend on which title was played, so its edges are set for the
          // vendor: they fall between the usual audio encoder settings (96 | 128–192 | 256–320 |
          // lossless) instead of on them, where a file measured at 127.9 or 128.1 kbps would land
          // in either range; from 1 Mbps they double as video bitrates do.
          generalize: buckets({ edges: [100, 200, 400, 1000, 2000, 4000, 8000, 16000, 32000, 64000], unit: 'kbps', max: 10_000_000 }),
        },
        container: {
          description: 'The file container format.',
          generalize: enumeration({ values: ['mkv', 'mp4', 'avi', 'ts', 'webm', 'mov', 'wmv', 'flv', 'mp3', 'flac', 'aac', 'ogg', 'opus', 'wav', 'alac', 'jpeg', 'png', 'hls', 'dash'], aliases: { matroska: 'mkv', 'matroska,webm': 'mkv', m4v: 'mp4', m4a: 'aac', 'mov,mp4,m4a,3gp,3g2,mj2': 'mp4', mpegts: 'ts', m2ts: 'ts', jpg: 'jpeg', oga: 'ogg', wave: 'wav' } }),
        },
        videoCodec: {
          description: 'The video codec, or none for audio.',
          generalize: enumeration({ values: ['none', 'h264', 'hevc', 'av1', 'vp9', 'vp8', 'mpeg2', 'mpeg4', 'vc1'], aliases: { 'h.264': 'h264', avc: 'h264', avc1: 'h264', x264: 'h264', 'h.265': 'hevc', h265: 'hevc', x265: 'hevc', hev1: 'hevc', hvc1: 'hevc', av01: 'av1', mpeg2video: 'mpeg2', xvid: 'mpeg4', divx: 'mpeg4', wmv3: 'vc1', '': 'none' } }),
        },
        audioCodec: {
          description: 'The audio codec, or none for silent media.',
          generalize: enumeration({ values: ['none', 'aac', 'ac3', 'eac3', 'dts', 'truehd', 'mp3', 'flac', 'opus', 'vorbis', 'pcm', 'alac'], aliases: { 'e-ac-3': 'eac3', 'ac-3': 'ac3', mp3float: 'mp3', 'dts-hd': 'dts', dca: 'dts', pcm_s16le: 'pcm', pcm_s24le: 'pcm', 'mlp fba': 'truehd', '': 'none' } }),
        },
        resolution: { description: 'The picture size as a class (sd, 720p, 1080p, 4k, …), or none for audio.', generalize: resolutionClass() },
        deviceType: { description: 'The kind of device that played it.', generalize: deviceType() },
        decision: {
          description: 'Whether the server sent the file as is, remuxed it, or transcoded it.',
          generalize: enumeration({ values: ['directplay', 'directstream', 'transcode'], aliases: { 'direct play': 'directplay', direct: 'directplay', 'direct stream': 'directstream', copy: 'directstream', remux: 'directstream' }, other: null }),
        },
        hdr: { description: 'Whether the video is HDR.', generalize: boolean() },
      },
    },
    'playback.daily': {
      category: 'playback',
      description: 'Once a day: how many playbacks there were, in ranges, so that the sampled playback reports can be weighted.',
      purpose: 'Keep playback statistics unbiased although at most three playbacks a day are reported. Sent by Candor itself when the day ends.',
      retentionDays: 400,
      maxPerPeriod: 1,
      fields: {
        plays: {
          description: 'How many playbacks there were that day, in ranges.',
          generalize: buckets({ edges: [2, 4, 7, 11, 21, 51], labels: ['1', '2–3', '4–6', '7–10', '11–20', '21–50', '51 or more'], min: 1, max: 1_000_000 }),
        },
      },
    },
    'crash.report': {
      category: 'crash',
      description: 'The server failed: version, platform, kind of error, and a scrubbed message and stack.',
      purpose: 'Find and fix the errors that break servers.',
      retentionDays: 90,
      maxPerPeriod: 20,
      fields: {
        serverVersion: { description: 'The server version, major and minor only.', generalize: versionPrefix({ parts: 2 }) },
        platform: { description: 'The operating system family.', generalize: serverPlatform() },
        errorType: { description: 'The error class name, such as TypeError.', generalize: identifier() },
        message: { description: 'The error message with paths, names, addresses and secrets removed.', generalize: scrubbedText({ maxLength: 1024 }) },
        stack: { description: "The stack trace with everything outside the server's own code removed.", generalize: scrubbedText({ maxLength: 8192 }) },
        count: { description: 'How many times this same error happened since the last report, capped at 100.', generalize: buckets({ edges: [2, 5, 10, 100], labels: ['1', '2–4', '5–9', '10–99', '100 or more'], min: 1, max: 1_000_000_000 }) },
        origin: {
          description: 'How the error surfaced: an uncaught exception, an unhandled promise rejection, or an error the server caught and reported.',
          optional: true,
          generalize: enumeration({ values: ['uncaught', 'unhandled-rejection', 'reported'], aliases: { uncaughtexception: 'uncaught', unhandledrejection: 'unhandled-rejection' } }),
        },
        runtimeVersion: { description: 'The major version of Node.js the server runs on.', optional: true, generalize: versionPrefix({ parts: 1 }) },
      },
    },
    'marketing.preference': {
      category: 'marketing',
      description: 'Whether the owner wants news and offers.',
      purpose: 'Honour the choice to receive, or not receive, marketing communications.',
      retentionDays: 730,
      maxPerPeriod: 5,
      fields: {
        subscribed: { description: 'Whether the owner subscribed.', generalize: boolean() },
      },
    },
    'integrations.daily': {
      category: 'integrations',
      description: 'Once a day: which kinds of third-party integration are enabled. Never what they send.',
      purpose: 'Know which integrations matter enough to maintain.',
      retentionDays: 400,
      maxPerPeriod: 1,
      fields: {
        webhook: { description: 'Whether a webhook is enabled.', generalize: boolean() },
        speaker: { description: 'Whether a speaker integration is enabled.', generalize: boolean() },
        voiceAssistant: { description: 'Whether a voice-assistant integration is enabled.', generalize: boolean() },
        scrobbler: { description: 'Whether a scrobbler integration is enabled.', generalize: boolean() },
      },
    },
  },
});

/** The type of the default media-server catalog. */
export type MediaServerCatalog = typeof mediaServerCatalog;
