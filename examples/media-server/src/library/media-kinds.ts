/** How a file is played in the browser: in a `<video>` or an `<audio>` element. */
export type MediaKind = 'video' | 'audio';

/** A file extension the library recognizes, with its kind and the MIME type it is served with. */
export interface MediaExtension {
  /** Whether the file is video or audio. */
  readonly kind: MediaKind;
  /** The `Content-Type` the file is streamed with. */
  readonly mimeType: string;
}

/** The media file extensions the scanner picks up (lower case, without the dot). */
export const MEDIA_EXTENSIONS: ReadonlyMap<string, MediaExtension> = new Map<string, MediaExtension>([
  ['mp4', { kind: 'video', mimeType: 'video/mp4' }],
  ['m4v', { kind: 'video', mimeType: 'video/mp4' }],
  ['mkv', { kind: 'video', mimeType: 'video/x-matroska' }],
  ['webm', { kind: 'video', mimeType: 'video/webm' }],
  ['mov', { kind: 'video', mimeType: 'video/quicktime' }],
  ['avi', { kind: 'video', mimeType: 'video/x-msvideo' }],
  ['ts', { kind: 'video', mimeType: 'video/mp2t' }],
  ['m2ts', { kind: 'video', mimeType: 'video/mp2t' }],
  ['wmv', { kind: 'video', mimeType: 'video/x-ms-wmv' }],
  ['flv', { kind: 'video', mimeType: 'video/x-flv' }],
  ['mp3', { kind: 'audio', mimeType: 'audio/mpeg' }],
  ['flac', { kind: 'audio', mimeType: 'audio/flac' }],
  ['m4a', { kind: 'audio', mimeType: 'audio/mp4' }],
  ['aac', { kind: 'audio', mimeType: 'audio/aac' }],
  ['ogg', { kind: 'audio', mimeType: 'audio/ogg' }],
  ['oga', { kind: 'audio', mimeType: 'audio/ogg' }],
  ['opus', { kind: 'audio', mimeType: 'audio/ogg' }],
  ['wav', { kind: 'audio', mimeType: 'audio/wav' }],
]);

/** The lower-case extension of a file name without its dot, or '' when it has none. */
export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot <= 0 ? '' : fileName.slice(dot + 1).toLowerCase();
}
