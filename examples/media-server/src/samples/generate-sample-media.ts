import { execFile } from 'node:child_process';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { MediaServerError } from '../media-server-error.js';

/** One file to synthesize with ffmpeg's test sources. */
export interface SampleSpec {
  /** The path under the output folder, with `/` separators. */
  readonly path: string;
  /** The length in seconds. */
  readonly durationSeconds: number;
  /** The picture, for a video; omitted for audio. */
  readonly video?: { readonly width: number; readonly height: number; readonly source: 'testsrc2' | 'testsrc' | 'smptehdbars' | 'pal100bars' | 'rgbtestsrc' };
  /** The audio codec. */
  readonly audioCodec: 'aac' | 'flac' | 'mp3';
  /** The tone's frequency in Hz. */
  readonly toneHz: number;
  /** Tags written into the file. */
  readonly tags?: Readonly<Record<string, string>>;
}

const ALBUM = { artist: 'The Test Tones', album: 'Sine Studies', date: '2025' };

/** The samples `npm start` plays when no media folder is given: two films, two episodes and a four-track album. */
export const DEFAULT_SAMPLES: readonly SampleSpec[] = [
  // Still bars at 1080p encode in a fraction of the time of moving patterns; the episodes move.
  { path: 'Movies/Color Bars (2025).mkv', durationSeconds: 12, video: { width: 1920, height: 1080, source: 'smptehdbars' }, audioCodec: 'aac', toneHz: 330 },
  { path: 'Movies/PAL Bars (2024).mp4', durationSeconds: 10, video: { width: 1920, height: 1080, source: 'pal100bars' }, audioCodec: 'aac', toneHz: 1000 },
  { path: 'Shows/Test Pattern Show/Test Pattern Show S01E01.mp4', durationSeconds: 8, video: { width: 1280, height: 720, source: 'testsrc2' }, audioCodec: 'aac', toneHz: 440 },
  { path: 'Shows/Test Pattern Show/Test Pattern Show S01E02.mp4', durationSeconds: 8, video: { width: 1280, height: 720, source: 'testsrc' }, audioCodec: 'aac', toneHz: 550 },
  { path: 'Music/The Test Tones/Sine Studies/01 A Above Middle C.flac', durationSeconds: 8, audioCodec: 'flac', toneHz: 440, tags: { ...ALBUM, title: 'A Above Middle C', track: '1/4' } },
  { path: 'Music/The Test Tones/Sine Studies/02 Concert E.flac', durationSeconds: 11, audioCodec: 'flac', toneHz: 659, tags: { ...ALBUM, title: 'Concert E', track: '2/4' } },
  { path: 'Music/The Test Tones/Sine Studies/03 Low G.mp3', durationSeconds: 7, audioCodec: 'mp3', toneHz: 196, tags: { ...ALBUM, title: 'Low G', track: '3/4' } },
  { path: 'Music/The Test Tones/Sine Studies/04 High C.mp3', durationSeconds: 9, audioCodec: 'mp3', toneHz: 1047, tags: { ...ALBUM, title: 'High C', track: '4/4' } },
];

/** Options of {@link generateSampleMedia}. */
export interface GenerateSampleMediaOptions {
  /** What to generate. @default DEFAULT_SAMPLES */
  readonly samples?: readonly SampleSpec[];
  /** The ffmpeg executable. @default 'ffmpeg' */
  readonly ffmpegPath?: string;
  /** Called before each file is encoded. */
  readonly onProgress?: (path: string, index: number, total: number) => void;
}

/**
 * Synthesizes short sample files with ffmpeg's test sources (no downloads), skipping those
 * already present. Each file is encoded to a temporary name and renamed when complete, so an
 * interrupted run never leaves a truncated file that a later run would take as done.
 * @example await generateSampleMedia('.candor/media'); // Movies/, Shows/, Music/
 */
export async function generateSampleMedia(dir: string, options: GenerateSampleMediaOptions = {}): Promise<{ created: string[]; existing: string[] }> {
  const samples = options.samples ?? DEFAULT_SAMPLES;
  const ffmpeg = options.ffmpegPath ?? 'ffmpeg';
  const created: string[] = [];
  const existing: string[] = [];
  for (const [index, sample] of samples.entries()) {
    const target = join(dir, ...sample.path.split('/'));
    if (await exists(target)) {
      existing.push(target);
      continue;
    }
    options.onProgress?.(sample.path, index, samples.length);
    await mkdir(dirname(target), { recursive: true });
    // A hidden name keeps a half-written file out of library scans; the real extension tells ffmpeg the container.
    const partial = join(dirname(target), `.${basename(target)}.partial${extname(target)}`);
    try {
      await run(ffmpeg, ffmpegArgs(sample, partial));
      await rename(partial, target);
    } finally {
      await rm(partial, { force: true });
    }
    created.push(target);
  }
  return { created, existing };
}

/** The ffmpeg command line for one sample (exported for tests). */
export function ffmpegArgs(sample: SampleSpec, output: string): string[] {
  const args = ['-hide_banner', '-loglevel', 'error', '-y'];
  const d = String(sample.durationSeconds);
  if (sample.video !== undefined) {
    const { width, height, source } = sample.video;
    args.push('-f', 'lavfi', '-i', `${source}=size=${width}x${height}:rate=25:duration=${d}`);
  }
  args.push('-f', 'lavfi', '-i', `sine=frequency=${sample.toneHz}:sample_rate=44100:duration=${d}`);
  if (sample.video !== undefined) {
    // Fast, small encodes: the point is real containers and codecs, not picture quality.
    args.push('-c:v', 'libx264', '-preset', 'veryfast', '-crf', '30', '-pix_fmt', 'yuv420p', '-g', '50');
  }
  const audio = { aac: ['-c:a', 'aac', '-b:a', '128k'], flac: ['-c:a', 'flac'], mp3: ['-c:a', 'libmp3lame', '-b:a', '192k'] }[sample.audioCodec];
  args.push(...audio, '-ac', '2');
  for (const [key, value] of Object.entries(sample.tags ?? {})) args.push('-metadata', `${key}=${value}`);
  if (output.endsWith('.mp4')) args.push('-movflags', '+faststart');
  args.push('-shortest', output);
  return args;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 300_000, windowsHide: true }, (error, _stdout, stderr) => {
      if (error === null) return resolve();
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new MediaServerError('ffmpeg_missing', `ffmpeg was not found at "${command}"; install it (Debian: apt-get install ffmpeg) or pass --media <folder>`));
      } else {
        reject(new MediaServerError('sample_generation_failed', `ffmpeg failed: ${stderr.trim().split('\n').slice(-3).join(' ') || error.message}`));
      }
    });
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
