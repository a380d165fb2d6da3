/** A cancellable timer handle. */
export type TimerHandle = { cancel(): void };

/**
 * Schedules `fn` after `ms` through the global `setTimeout` looked up at call time (so that
 * fake timers in tests apply). Unref'd unless `keepAlive`: background telemetry must never
 * keep a host process alive, but a timer that an awaited call (`flush()`, `shutdown()`)
 * depends on must, or the process would end in the middle of it.
 */
export function setTimer(fn: () => void, ms: number, keepAlive = false): TimerHandle {
  const handle = globalThis.setTimeout(fn, Math.max(0, ms));
  if (!keepAlive) (handle as { unref?: () => void }).unref?.();
  return { cancel: () => globalThis.clearTimeout(handle) };
}

/** Resolves after `ms`, or at once when `signal` aborts; see {@link setTimer} for `keepAlive`. */
export function sleep(ms: number, signal?: AbortSignal, keepAlive = false): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      timer.cancel();
      resolve();
    };
    const timer = setTimer(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      ms,
      keepAlive,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `fn` right after the current turn of the event loop (`setImmediate`, looked up at call
 * time, unref'd): a group commit as soon as the host yields, before a timer could fire.
 */
export function setSoon(fn: () => void): TimerHandle {
  const handle = globalThis.setImmediate(fn);
  handle.unref?.();
  return { cancel: () => globalThis.clearImmediate(handle) };
}
