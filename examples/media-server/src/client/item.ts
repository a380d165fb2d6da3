/** An item as the server's JSON API describes it (see src/http/item-view.ts). */
export interface Item {
  readonly id: string;
  readonly title: string;
  readonly relativePath: string;
  readonly kind: 'video' | 'audio';
  readonly mediaType: 'movie' | 'episode' | 'track';
  readonly mimeType: string;
  readonly sizeBytes: number;
  readonly artist: string | null;
  readonly album: string | null;
  readonly track: number | null;
  readonly durationSeconds: number | null;
  readonly bitrateKbps: number | null;
  readonly container: string | null;
  readonly videoCodec: string | null;
  readonly audioCodec: string | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly hdr: boolean;
  readonly probeError: string | null;
}
