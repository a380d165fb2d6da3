import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSampleMedia, type SampleSpec } from '../../src/samples/generate-sample-media.js';

/** The package folder of the example. */
export const EXAMPLE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Short real files, made by ffmpeg, that the tests scan, probe and stream. */
export const TEST_SAMPLES: readonly SampleSpec[] = [
  { path: 'Films/Pattern.mp4', durationSeconds: 2, video: { width: 1280, height: 720, source: 'testsrc2' }, audioCodec: 'aac', toneHz: 440 },
  { path: 'Music/Album/01 Tone.flac', durationSeconds: 2, audioCodec: 'flac', toneHz: 523, tags: { title: 'Tone One', artist: 'Tester', album: 'Album', track: '1/2' } },
  { path: 'Music/Album/02 Tone.mp3', durationSeconds: 2, audioCodec: 'mp3', toneHz: 659, tags: { title: 'Tone Two', artist: 'Tester', album: 'Album', track: '2/2' } },
];

/** A temporary folder with the test samples, a non-media file and a hidden one. */
export async function makeMediaFolder(): Promise<{ dir: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'media-server-test-'));
  await generateSampleMedia(dir, { samples: TEST_SAMPLES });
  writeFileSync(join(dir, 'Films', 'notes.txt'), 'not media');
  mkdirSync(join(dir, '.hidden'));
  writeFileSync(join(dir, '.hidden', 'secret.mp3'), 'not scanned');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Compiles the browser scripts (src/client → dist/client), which the server loads at start. */
export function buildClientScripts(): void {
  execFileSync(process.execPath, [join(EXAMPLE_ROOT, 'scripts', 'build-example.mjs'), 'client'], { stdio: 'inherit' });
}

/** Bundles the privacy tab's element into a temporary folder (what `npm run build` does into @candor/web's dist). */
export async function bundlePrivacyTab(): Promise<string> {
  const { bundlePrivacyTabElement } = await import('@candor/web/build');
  const outdir = mkdtempSync(join(tmpdir(), 'privacy-tab-assets-'));
  await bundlePrivacyTabElement({ outdir });
  return outdir;
}
