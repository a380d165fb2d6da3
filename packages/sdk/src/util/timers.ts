/** A cancellable timer handle. */
export type TimerHandle = { cancel(): void };

/**
 * Schedules `fn` after `ms` through the global `setTimeout` looked up at call time (so that
 * fake timers in tests apply) and unrefs it: telemetry must never keep a host process alive.
 */
export function setTimer(fn: () => void, ms: number): TimerHandle {
  const handle = globalThis.setTimeout(fn, Math.max(0, ms));
  (handle as { unref?: () => void }).unref?.();
  return { cancel: () => globalThis.clearTimeout(handle) };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      timer.cancel();
      resolve();
    };
    const timer = setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
