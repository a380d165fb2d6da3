import { announceSession, byId, el, fetchJson, formatBitrate, formatBytes, formatDuration } from './dom.js';
import type { Item } from './item.js';

const PROGRESS_EVERY_MS = 10_000;

async function main(): Promise<void> {
  announceSession();
  const id = location.pathname.split('/').pop() ?? '';
  const title = byId('player-title');
  try {
    const { item, report } = await fetchJson<{ item: Item; report: unknown }>(`/api/items/${encodeURIComponent(id)}`);
    document.title = `${item.title} · Candor example media server`;
    title.textContent = item.title;
    byId('player-subtitle').textContent = item.mediaType === 'track' ? [item.artist, item.album].filter(Boolean).join(' · ') : item.relativePath;
    showDetails(item);
    byId('report').textContent = report === null ? 'Telemetry is not configured on this server.' : JSON.stringify(report, null, 2);
    const media = el(item.kind === 'audio' ? 'audio' : 'video', { controls: '', preload: 'metadata', src: `/media/${item.id}`, 'aria-label': item.title });
    byId('player-slot').append(media);
    trackPlayback(media, item);
  } catch (error) {
    title.textContent = 'Cannot play this item';
    byId('player-status').textContent = (error as Error).message;
  }
}

function showDetails(item: Item): void {
  const rows: [string, string][] = [
    ['Duration', formatDuration(item.durationSeconds)],
    ['Container', item.container ?? '—'],
    ['Video', item.videoCodec ?? 'none'],
    ['Audio', item.audioCodec ?? 'none'],
    ['Resolution', item.width !== null && item.height !== null ? `${item.width}×${item.height}` : '—'],
    ['HDR', item.hdr ? 'yes' : 'no'],
    ['Bitrate', formatBitrate(item.bitrateKbps)],
    ['Size', formatBytes(item.sizeBytes)],
    ['File', item.relativePath],
  ];
  byId('details').append(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

/**
 * Reports the playback to the server: start on the first frame, progress every ten seconds,
 * stop on end, on leaving the page, or when a new play begins after the end. Played time counts
 * only while the media is actually playing.
 */
function trackPlayback(media: HTMLMediaElement, item: Item): void {
  const status = byId('player-status');
  let playbackId: string | null = null;
  let starting: Promise<void> | null = null;
  let playedMs = 0;
  let playingSince: number | null = null;
  let timer: number | undefined;

  const played = () => (playedMs + (playingSince === null ? 0 : performance.now() - playingSince)) / 1000;
  const body = () => JSON.stringify({ playedSeconds: played(), positionSeconds: media.currentTime });

  const pauseClock = () => {
    if (playingSince !== null) playedMs += performance.now() - playingSince;
    playingSince = null;
  };

  const stop = async (keepalive: boolean) => {
    if (starting !== null) await starting;
    pauseClock();
    window.clearInterval(timer);
    if (playbackId === null) return;
    const id = playbackId;
    playbackId = null;
    try {
      await fetch(`/api/playbacks/${id}/stop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(), keepalive });
      status.textContent = `Playback reported as stopped after ${played().toFixed(1)} s played.`;
      status.dataset['state'] = 'stopped';
    } catch {
      // The server ends quiet playbacks itself after its idle timeout.
    }
    playedMs = 0;
  };

  media.addEventListener('playing', () => {
    playingSince = performance.now();
    if (playbackId !== null || starting !== null) return;
    starting = fetchJson<{ playbackId: string }>('/api/playbacks', { method: 'POST', body: JSON.stringify({ itemId: item.id }) })
      .then(({ playbackId: id }) => {
        playbackId = id;
        status.textContent = 'Playing.';
        status.dataset['state'] = 'playing';
        timer = window.setInterval(() => {
          if (playbackId !== null) void fetch(`/api/playbacks/${playbackId}/progress`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() });
        }, PROGRESS_EVERY_MS);
      })
      .catch((error: unknown) => {
        status.textContent = `The server did not accept the playback: ${(error as Error).message}`;
      })
      .finally(() => {
        starting = null;
      });
  });
  media.addEventListener('pause', pauseClock);
  media.addEventListener('waiting', pauseClock);
  media.addEventListener('ended', () => void stop(false));
  window.addEventListener('pagehide', () => void stop(true));
}

void main();
