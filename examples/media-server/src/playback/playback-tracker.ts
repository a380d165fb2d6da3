import { randomUUID } from 'node:crypto';
import type { ClientDescription } from '../clients/describe-user-agent.js';
import type { LibraryItem } from '../library/create-library.js';

/** One playback, from the first frame to stop (or to going quiet). */
export interface Playback {
  /** A random id the player uses for its progress and stop calls. */
  readonly id: string;
  /** What is played. */
  readonly item: LibraryItem;
  /** Who plays it. */
  readonly client: ClientDescription;
  /** When it started (ms since the epoch). */
  readonly startedAtMs: number;
  /** How many seconds were actually played so far (pauses excluded). */
  playedSeconds: number;
  /** The position in the media, in seconds. */
  positionSeconds: number;
  /** When the player last reported. */
  lastSeenMs: number;
  /** Why it ended: the player said stop, or went quiet (closed tab, lost network). */
  endReason?: 'stopped' | 'idle' | 'shutdown';
}

/** Options of {@link createPlaybackTracker}. */
export interface PlaybackTrackerOptions {
  /** Called when a playback starts. */
  readonly onStart?: (playback: Playback) => void;
  /** Called exactly once when a playback ends, however it ends. */
  readonly onStop?: (playback: Playback) => void;
  /** A playback with no report for this long is ended. @default 90000 */
  readonly idleTimeoutMs?: number;
  /** At most this many playbacks are open at once; the oldest is ended to make room. @default 256 */
  readonly maxOpen?: number;
  /** The clock. @default Date.now */
  readonly now?: () => number;
}

/** Tracks open playbacks. */
export interface PlaybackTracker {
  /** Opens a playback and returns it. */
  start(item: LibraryItem, client: ClientDescription): Playback;
  /** Records progress; false when the id is unknown (already ended). */
  progress(id: string, report: PlaybackReport): boolean;
  /** Ends a playback with its final report; the ended playback, or undefined when unknown. */
  stop(id: string, report: PlaybackReport): Playback | undefined;
  /** Ends every playback that has been quiet for longer than the idle timeout. */
  sweep(): number;
  /** How many playbacks are open. */
  open(): number;
  /** Ends every open playback (server shutdown). */
  stopAll(): void;
}

/** What the player reports. */
export interface PlaybackReport {
  /** Seconds actually played since it started. */
  readonly playedSeconds?: number;
  /** The current position in seconds. */
  readonly positionSeconds?: number;
}

/**
 * Creates the playback tracker. A player's reports are trusted only within what the clock
 * allows: it cannot claim more played time than has passed since the playback opened (plus a
 * second of slack), so a scripted client cannot inflate durations.
 */
export function createPlaybackTracker(options: PlaybackTrackerOptions = {}): PlaybackTracker {
  const now = options.now ?? Date.now;
  const idleTimeoutMs = options.idleTimeoutMs ?? 90_000;
  const maxOpen = options.maxOpen ?? 256;
  const open = new Map<string, Playback>();

  function apply(playback: Playback, report: PlaybackReport): void {
    const t = now();
    const ceiling = (t - playback.startedAtMs) / 1000 + 1;
    if (isFiniteNumber(report.playedSeconds)) playback.playedSeconds = Math.max(playback.playedSeconds, Math.min(report.playedSeconds, ceiling));
    if (isFiniteNumber(report.positionSeconds)) playback.positionSeconds = Math.max(0, report.positionSeconds);
    playback.lastSeenMs = t;
  }

  function end(playback: Playback, reason: NonNullable<Playback['endReason']>): Playback {
    open.delete(playback.id);
    playback.endReason = reason;
    options.onStop?.(playback);
    return playback;
  }

  return {
    start(item, client) {
      if (open.size >= maxOpen) {
        const oldest = open.values().next().value;
        if (oldest !== undefined) end(oldest, 'idle');
      }
      const t = now();
      const playback: Playback = { id: randomUUID(), item, client, startedAtMs: t, playedSeconds: 0, positionSeconds: 0, lastSeenMs: t };
      open.set(playback.id, playback);
      options.onStart?.(playback);
      return playback;
    },
    progress(id, report) {
      const playback = open.get(id);
      if (playback === undefined) return false;
      apply(playback, report);
      return true;
    },
    stop(id, report) {
      const playback = open.get(id);
      if (playback === undefined) return undefined;
      apply(playback, report);
      return end(playback, 'stopped');
    },
    sweep() {
      const cutoff = now() - idleTimeoutMs;
      let ended = 0;
      for (const playback of [...open.values()]) {
        if (playback.lastSeenMs < cutoff) {
          end(playback, 'idle');
          ended += 1;
        }
      }
      return ended;
    },
    open: () => open.size,
    stopAll() {
      for (const playback of [...open.values()]) end(playback, 'shutdown');
    },
  };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
