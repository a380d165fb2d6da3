/** A task run on a schedule. */
export interface PeriodicTask {
  /** Runs the task now and then every interval, until stopped. */
  start(): void;
  /** Stops scheduling; a run in progress finishes. Resolves when it has. */
  stop(): Promise<void>;
  /** Runs the task once now (not overlapping a scheduled run). */
  runOnce(): Promise<void>;
}

/** Options of {@link createPeriodicTask}. */
export interface PeriodicTaskOptions {
  readonly intervalMs: number;
  readonly run: () => Promise<unknown>;
  /** Called with an error a run threw; the schedule goes on. */
  readonly onError: (error: unknown) => void;
}

/**
 * Runs a task every `intervalMs` with `setTimeout` (so fake timers drive it in tests), never
 * two runs at once, the next run scheduled after the previous one ended. Timers are unref'd:
 * a pending run never keeps the process alive.
 */
export function createPeriodicTask(options: PeriodicTaskOptions): PeriodicTask {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  const once = (): Promise<void> => {
    running ??= (async () => {
      try {
        await options.run();
      } catch (error) {
        options.onError(error);
      }
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void once().then(schedule);
    }, options.intervalMs);
    timer.unref?.();
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      void once().then(schedule);
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
    runOnce: once,
  };
}
