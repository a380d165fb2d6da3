/** A listener of `uncaughtException` or `unhandledRejection`. */
export type CrashListener = (...args: never[]) => void;

/**
 * The part of `process` that crash capture uses. Tests pass a stand-in; hosts never do.
 * `rethrow` and `replayRejection` hand a crash back to Node once Candor has stepped aside,
 * so that Node's own default behaviour (message, exit code) happens exactly as without it.
 */
export interface CrashProcess {
  prependListener(event: 'uncaughtException' | 'unhandledRejection' | 'exit', listener: CrashListener): unknown;
  removeListener(event: 'uncaughtException' | 'unhandledRejection' | 'exit', listener: CrashListener): unknown;
  listeners(event: 'uncaughtException' | 'unhandledRejection'): readonly unknown[];
  /** Throws `error` outside any handler, as an uncaught exception. */
  rethrow(error: unknown): void;
  /** Rejects a fresh promise with `reason` and leaves it unhandled. */
  replayRejection(reason: unknown): void;
}

/** The real process. */
export function nodeCrashProcess(): CrashProcess {
  return {
    // The listener types of `process` differ per event; crash capture registers the right shape for each.
    prependListener: (event, listener) => process.prependListener(event as 'exit', listener as unknown as (code: number) => void),
    removeListener: (event, listener) => process.removeListener(event, listener as unknown as (code: number) => void),
    listeners: (event) => process.listeners(event as 'uncaughtException'),
    rethrow(error) {
      process.nextTick(() => {
        throw error;
      });
    },
    replayRejection(reason) {
      // Deliberately unhandled, and with the reason as it was (not wrapped in an Error): Node
      // must see it exactly as it saw the original.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      void Promise.reject(reason);
    },
  };
}
