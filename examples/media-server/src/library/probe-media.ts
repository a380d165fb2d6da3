import { execFile } from 'node:child_process';
import { extensionOf } from './media-kinds.js';

/** What ffprobe says about one file: the raw, exact metadata that Candor later generalizes. */
export interface MediaInfo {
  /** The length in seconds, or null when ffprobe cannot tell (a live stream, a broken file). */
  readonly durationSeconds: number | null;
  /** The overall bitrate in kbit/s, or null when unknown. */
  readonly bitrateKbps: number | null;
  /** A short container name (`mp4`, `mkv`, `webm`, `mov`, `m4a`, `flac`, `mp3`, …). */
  readonly container: string;
  /** ffprobe's own `format_name` (`mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`, …). */
  readonly formatName: string;
  /** The first real video stream's codec (`h264`, `hevc`, …), or null for audio; cover art is not video. */
  readonly videoCodec: string | null;
  /** The first audio stream's codec (`aac`, `flac`, `mp3`, …), or null for silent media. */
  readonly audioCodec: string | null;
  /** The picture width in pixels, or null for audio. */
  readonly width: number | null;
  /** The picture height in pixels, or null for audio. */
  readonly height: number | null;
  /** Whether the video uses an HDR transfer function (PQ or HLG). */
  readonly hdr: boolean;
  /** Tags found in the file (title, artist, album, track number). */
  readonly tags: MediaTags;
}

/** The descriptive tags the library shows; they stay on the server and are never reported. */
export interface MediaTags {
  /** The title tag. */
  readonly title?: string;
  /** The artist (or album artist) tag. */
  readonly artist?: string;
  /** The album tag. */
  readonly album?: string;
  /** The track number, parsed from `3` or `3/12`. */
  readonly track?: number;
}

/** Options of {@link probeMedia}. */
export interface ProbeMediaOptions {
  /** The ffprobe executable. @default 'ffprobe' */
  readonly ffprobePath?: string;
  /** How long ffprobe may run before it is killed. @default 20000 */
  readonly timeoutMs?: number;
}

/** Raised when ffprobe cannot be run or cannot read a file; `code` says which. */
export class ProbeError extends Error {
  /** `ffprobe_missing` (not installed), `ffprobe_failed` (unreadable file) or `ffprobe_output` (unparseable answer). */
  readonly code: 'ffprobe_missing' | 'ffprobe_failed' | 'ffprobe_output';
  constructor(code: ProbeError['code'], message: string) {
    super(message);
    this.name = 'ProbeError';
    this.code = code;
  }
}

/**
 * Reads a file's real metadata with `ffprobe -print_format json -show_format -show_streams`.
 * @example const info = await probeMedia('/media/film.mkv'); // { durationSeconds: 5421.3, container: 'mkv', … }
 */
export function probeMedia(filePath: string, options: ProbeMediaOptions = {}): Promise<MediaInfo> {
  const ffprobe = options.ffprobePath ?? 'ffprobe';
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '--', filePath];
  return new Promise((resolve, reject) => {
    execFile(ffprobe, args, { timeout: options.timeoutMs ?? 20_000, maxBuffer: 8 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
      if (error !== null) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        reject(
          missing
            ? new ProbeError('ffprobe_missing', `ffprobe was not found at "${ffprobe}"; install ffmpeg (Debian: apt-get install ffmpeg)`)
            : new ProbeError('ffprobe_failed', `ffprobe could not read the file: ${stderr.trim().split('\n')[0] ?? error.message}`),
        );
        return;
      }
      try {
        resolve(parseProbeOutput(JSON.parse(stdout), filePath));
      } catch (cause) {
        reject(new ProbeError('ffprobe_output', `ffprobe answered something unexpected: ${(cause as Error).message}`));
      }
    });
  });
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  color_transfer?: string;
  disposition?: { attached_pic?: number };
}

interface ProbeFormat {
  format_name?: string;
  duration?: string;
  bit_rate?: string;
  tags?: Record<string, string>;
}

// PQ (HDR10, Dolby Vision base layers) and HLG are the HDR transfer functions ffprobe names.
const HDR_TRANSFERS = new Set(['smpte2084', 'arib-std-b67']);

/** Turns ffprobe's JSON answer into {@link MediaInfo}; the file name disambiguates shared demuxers (mp4/m4a/mov, mkv/webm). */
export function parseProbeOutput(output: unknown, filePath: string): MediaInfo {
  if (typeof output !== 'object' || output === null) throw new TypeError('not a JSON object');
  const { streams = [], format = {} } = output as { streams?: ProbeStream[]; format?: ProbeFormat };
  if (!Array.isArray(streams)) throw new TypeError('"streams" is not an array');
  const video = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const audio = streams.find((s) => s.codec_type === 'audio');
  const formatName = typeof format.format_name === 'string' ? format.format_name : '';
  const duration = positiveNumber(format.duration);
  const bitRate = positiveNumber(format.bit_rate);
  return {
    durationSeconds: duration,
    bitrateKbps: bitRate === null ? null : Math.round(bitRate / 1000),
    container: containerName(formatName, extensionOf(filePath)),
    formatName,
    videoCodec: video?.codec_name ?? null,
    audioCodec: audio?.codec_name ?? null,
    width: video === undefined ? null : positiveNumber(video.width),
    height: video === undefined ? null : positiveNumber(video.height),
    hdr: video !== undefined && HDR_TRANSFERS.has(video.color_transfer ?? ''),
    tags: readTags(format.tags ?? {}),
  };
}

function positiveNumber(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

// ffprobe names demuxers, not containers: one demuxer reads mp4, m4a and mov, another mkv and webm.
function containerName(formatName: string, extension: string): string {
  const first = formatName.split(',')[0] ?? '';
  if (formatName.startsWith('mov,mp4')) return extension === 'mov' || extension === 'm4a' ? extension : 'mp4';
  if (formatName.startsWith('matroska')) return extension === 'webm' ? 'webm' : 'mkv';
  if (first === 'mpegts') return 'ts';
  if (first === 'asf') return 'wmv';
  return first === '' ? extension : first;
}

function readTags(raw: Record<string, string>): MediaTags {
  // Tag keys differ in case between containers (TITLE in Vorbis comments, title in ID3).
  const lower = new Map(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), String(v).trim()]));
  const text = (key: string) => {
    const v = lower.get(key);
    return v === undefined || v === '' ? undefined : v.slice(0, 200);
  };
  const track = Number.parseInt(lower.get('track') ?? '', 10);
  return {
    ...(text('title') !== undefined && { title: text('title') }),
    ...((text('artist') ?? text('album_artist')) !== undefined && { artist: text('artist') ?? text('album_artist') }),
    ...(text('album') !== undefined && { album: text('album') }),
    ...(Number.isFinite(track) && track > 0 && { track }),
  };
}
