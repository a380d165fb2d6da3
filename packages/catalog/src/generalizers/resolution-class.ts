import { Rejection, type MultiInputGeneralizer } from '../generalizer.js';
import { readNumber } from './read-number.js';

/** The classes a picture size generalizes to; `none` when there is no picture (audio). */
export const RESOLUTION_CLASSES = ['none', 'sd', '720p', '1080p', '1440p', '4k', '8k'] as const;
/** A resolution class. */
export type ResolutionClass = (typeof RESOLUTION_CLASSES)[number];

// Thresholds at 90 % of the nominal size, so that cropped encodes (1920×800 scope,
// 3840×1600) land in their nominal class rather than one below. The long side is compared
// with the nominal width and the short side with the nominal height, so that portrait video
// (1080×1920 from a phone) lands in the same class as its landscape twin.
const STEPS: readonly [number, number, ResolutionClass][] = [
  [7680, 4320, '8k'],
  [3840, 2160, '4k'],
  [2560, 1440, '1440p'],
  [1920, 1080, '1080p'],
  [1280, 720, '720p'],
];

/** Maps a width and height in pixels to a resolution class. */
export function classifyResolution(width: number, height: number): ResolutionClass {
  if (!(width > 0) || !(height > 0)) return 'none';
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  for (const [w, h, cls] of STEPS) if (long >= w * 0.9 || short >= h * 0.9) return cls;
  return 'sd';
}

/**
 * Resolution class from the raw `width` and `height`: exact sizes, which fingerprint encodes, never leave.
 * Absent or zero sizes (audio) give `none`.
 * @example resolutionClass() // { width: 1920, height: 800 } → "1080p"
 */
export function resolutionClass(): MultiInputGeneralizer<{ width?: number | null; height?: number | null }, ResolutionClass> {
  const outputSet = new Set<unknown>(RESOLUTION_CLASSES);
  return {
    spec: { kind: 'resolution-class', classes: [...RESOLUTION_CLASSES] },
    problems: [],
    inputs: ['width', 'height'],
    freeText: false,
    outputs: RESOLUTION_CLASSES,
    schema: { type: 'string', enum: [...RESOLUTION_CLASSES] },
    example: '1080p',
    apply(rawWidth, rawHeight) {
      if ((rawWidth === undefined || rawWidth === null) && (rawHeight === undefined || rawHeight === null)) return 'none';
      const w = readNumber(rawWidth, 0, 100_000);
      if (w instanceof Rejection) return new Rejection(w.reason, `width: ${w.detail}`);
      const h = readNumber(rawHeight, 0, 100_000);
      if (h instanceof Rejection) return new Rejection(h.reason, `height: ${h.detail}`);
      return classifyResolution(w, h);
    },
    accepts: (value) => outputSet.has(value),
    describe: () => `a resolution class (${RESOLUTION_CLASSES.join(', ')}) computed from width and height; the exact size is not sent`,
  };
}
