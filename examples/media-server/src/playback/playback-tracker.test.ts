import { describe, expect, it } from 'vitest';
import type { LibraryItem } from '../library/create-library.js';
import { createPlaybackTracker, type Playback } from './playback-tracker.js';

const item = { id: 'a'.repeat(24), title: 'Film' } as LibraryItem;
const client = { deviceType: 'desktop', clientPlatform: 'web' } as const;

function setup(idleTimeoutMs = 60_000) {
  let t = 1_000_000;
  const stopped: Playback[] = [];
  const started: Playback[] = [];
  const tracker = createPlaybackTracker({ now: () => t, idleTimeoutMs, maxOpen: 2, onStart: (p) => started.push(p), onStop: (p) => stopped.push({ ...p }) });
  return { tracker, stopped, started, advance: (ms: number) => (t += ms) };
}

describe('createPlaybackTracker', () => {
  it('reports a playback once, when it stops, with the played time', () => {
    const { tracker, stopped, started, advance } = setup();
    const p = tracker.start(item, client);
    expect(started).toHaveLength(1);
    advance(30_000);
    expect(tracker.progress(p.id, { playedSeconds: 25, positionSeconds: 25 })).toBe(true);
    advance(30_000);
    expect(tracker.stop(p.id, { playedSeconds: 55 })?.endReason).toBe('stopped');
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ playedSeconds: 55, positionSeconds: 25, endReason: 'stopped' });
    expect(tracker.stop(p.id, { playedSeconds: 60 })).toBeUndefined();
    expect(stopped).toHaveLength(1);
  });

  it('caps played time at the time elapsed since the start, and never lets it go down', () => {
    const { tracker, stopped, advance } = setup();
    const p = tracker.start(item, client);
    advance(10_000);
    tracker.progress(p.id, { playedSeconds: 3600 });
    expect(p.playedSeconds).toBe(11);
    tracker.stop(p.id, { playedSeconds: 2 });
    expect(stopped[0]?.playedSeconds).toBe(11);
  });

  it('ends quiet playbacks after the idle timeout, and the oldest when too many are open', () => {
    const { tracker, stopped, advance } = setup(60_000);
    const a = tracker.start(item, client);
    advance(30_000);
    const b = tracker.start(item, client);
    advance(40_000);
    expect(tracker.sweep()).toBe(1);
    expect(stopped.map((p) => [p.id, p.endReason])).toEqual([[a.id, 'idle']]);
    tracker.start(item, client);
    tracker.start(item, client);
    expect(stopped.map((p) => p.id)).toEqual([a.id, b.id]);
    tracker.stopAll();
    expect(tracker.open()).toBe(0);
    expect(stopped.at(-1)?.endReason).toBe('shutdown');
  });
});
