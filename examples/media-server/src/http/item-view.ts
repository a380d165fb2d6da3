import type { LibraryItem } from '../library/create-library.js';

/** What browsers learn about an item: its metadata, never its absolute path. */
export interface ItemView {
  readonly id: string;
  readonly title: string;
  readonly relativePath: string;
  readonly kind: LibraryItem['kind'];
  readonly mediaType: LibraryItem['mediaType'];
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

/** The browser-facing view of an item. */
export function itemView(item: LibraryItem): ItemView {
  const info = item.info;
  return {
    id: item.id,
    title: item.title,
    relativePath: item.relativePath,
    kind: item.kind,
    mediaType: item.mediaType,
    mimeType: item.mimeType,
    sizeBytes: item.sizeBytes,
    artist: info?.tags.artist ?? null,
    album: info?.tags.album ?? null,
    track: info?.tags.track ?? null,
    durationSeconds: info?.durationSeconds ?? null,
    bitrateKbps: info?.bitrateKbps ?? null,
    container: info?.container ?? null,
    videoCodec: info?.videoCodec ?? null,
    audioCodec: info?.audioCodec ?? null,
    width: info?.width ?? null,
    height: info?.height ?? null,
    hdr: info?.hdr ?? false,
    probeError: item.probeError ?? null,
  };
}
