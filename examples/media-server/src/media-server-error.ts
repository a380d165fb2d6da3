/** The stable codes of {@link MediaServerError}. */
export const MEDIA_SERVER_ERROR_CODES = {
  client_not_built: 'The browser scripts were not compiled; run npm run build.',
  invalid_option: 'An option has a wrong type or value.',
  ffmpeg_missing: 'ffmpeg or ffprobe is not installed.',
  sample_generation_failed: 'ffmpeg failed to generate the sample media.',
  settings_unreadable: 'The settings file exists but is not valid.',
} as const;

/** A code of {@link MEDIA_SERVER_ERROR_CODES}. */
export type MediaServerErrorCode = keyof typeof MEDIA_SERVER_ERROR_CODES;

/** A start-up or configuration problem of the example media server, with a stable code. */
export class MediaServerError extends Error {
  /** Which problem, from {@link MEDIA_SERVER_ERROR_CODES}. */
  readonly code: MediaServerErrorCode;
  constructor(code: MediaServerErrorCode, message: string) {
    super(message);
    this.name = 'MediaServerError';
    this.code = code;
  }
}
