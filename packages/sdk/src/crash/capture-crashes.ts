import { scrubText, type CatalogSpec } from '@candor/catalog';
import { periodOf, type DropReason } from '@candor/protocol';
import type { RecordOutcome, Telemetry } from '../client/types.js';
import { setTimer, type TimerHandle } from '../util/timers.js';
import { crashFingerprint } from './crash-fingerprint.js';
import { createCrashLedger } from './crash-ledger.js';
import type { CrashListener } from './crash-process.js';
import { describeError } from './describe-error.js';
import { relativizeAppRoot } from './relativize-app-root.js';
import { CRASH_EVENT, resolveCaptureCrashesOptions, type CaptureCrashesOptions } from './resolve-capture-crashes-options.js';

/** How an error reached Candor; the values of the catalog's `origin` field. */
export type CrashOrigin = 'uncaught' | 'unhandled-rejection' | 'reported';

/** Counters of crash capture. */
export interface CrashStats {
  /** Reports handed to the client (first occurrences and repeat counts). */
  readonly reported: number;
  /** Occurrences counted as repeats of a crash already reported this period. */
  readonly repeats: number;
  /** Occurrences over the period's cap, or beyond the crashes remembered. */
  readonly capped: number;
  /** Crashes seen while the crash category was off: neither described nor kept. */
  readonly ignored: number;
  /** Reports the client refused, by reason. */
  readonly refused: Readonly<Partial<Record<DropReason, number>>>;
  /** Occurrences counted and not yet reported. */
  readonly pendingRepeats: number;
}

/** The handle `captureCrashes` returns. */
export interface CrashCapture {
  /** Reports an error the host caught. Never throws. */
  reportError(error: unknown): void;
  /** Reports the pending repeat counts and sends what is queued. Never rejects. */
  flush(): Promise<void>;
  /** Removes the handlers and timers; the process behaves as if Candor had never watched it. */
  stop(): void;
  stats(): CrashStats;
}

/** The scrubbed description of one crash, as it is reported. */
interface CrashSample {
  readonly errorType: string;
  readonly message: string;
  readonly stack: string;
  readonly origin: CrashOrigin;
}

const isRejectionWrapper = (error: unknown): boolean =>
  error instanceof Error && (error as { code?: unknown }).code === 'ERR_UNHANDLED_REJECTION';

/**
 * Reports crashes through the client: uncaught exceptions, unhandled promise rejections and,
 * through `reportError`, errors the host caught. Opt-in by calling it; inert while the crash
 * category is off. Messages, stacks and `cause` chains are scrubbed (paths and file names
 * outside the app root, URLs, addresses, secrets); repeats are counted under a fingerprint of
 * the scrubbed stack; reports are capped per period.
 *
 * The host's crash behaviour is kept: the report is committed to the outbox synchronously,
 * sent within `flushTimeoutMs`, and then the crash is handed back to Node, which prints it
 * and exits as it would have (code 1 for an uncaught exception; for an unhandled rejection,
 * whatever `--unhandled-rejections` says). When the host has handlers of its own, they decide,
 * as before. Throws only {@link ConfigError} for bad options.
 * @example
 * const telemetry = createTelemetry({ catalog: mediaServerCatalog, endpoint, dataDir });
 * const crashes = captureCrashes(telemetry, { appRoot: '/opt/my-server' });
 * try { scan(); } catch (err) { crashes.reportError(err); }
 */
export function captureCrashes<S extends CatalogSpec>(client: Telemetry<S>, options: CaptureCrashesOptions = {}): CrashCapture {
  const o = resolveCaptureCrashesOptions(options, client.extensions);
  const ext = client.extensions;
  const proc = o.process;
  const category = o.event.category;
  const declared = new Set(o.event.fields.flatMap((f) => f.rawKeys));
  const linkage = ext.catalog.spec.linkagePeriod;
  const ledger = createCrashLedger<CrashSample>({ maxReportsPerPeriod: o.maxReportsPerPeriod, maxFingerprints: o.maxFingerprints });
  const counted = new WeakSet<object>();
  const refused: Partial<Record<DropReason, number>> = {};
  let reported = 0;
  let repeats = 0;
  let capped = 0;
  let ignored = 0;
  let stopped = false;
  let exiting = false;
  let replaying = false;
  let repeatTimer: TimerHandle | null = null;

  const period = (): string => periodOf(ext.now(), linkage);

  function send(sample: CrashSample, count: number): void {
    const raw: Record<string, unknown> = {
      serverVersion: o.serverVersion,
      platform: o.platform,
      errorType: sample.errorType,
      message: sample.message,
      stack: sample.stack,
      count,
      origin: sample.origin,
      runtimeVersion: o.runtimeVersion,
    };
    // A host catalog may declare fewer fields than the default one; send only what it declares.
    for (const key of Object.keys(raw)) if (!declared.has(key)) delete raw[key];
    const outcome: RecordOutcome = ext.enqueue(CRASH_EVENT, raw);
    if (outcome === 'accepted') reported++;
    else refused[outcome] = (refused[outcome] ?? 0) + 1;
  }

  function observe(error: unknown, origin: CrashOrigin): void {
    if (!ext.isConsented(category)) {
      ignored++;
      return;
    }
    const d = describeError(error, o);
    // Scrubbed here already (the catalog's normalizer scrubs again, idempotently) so that
    // the fingerprint and what waits in memory never hold a path or a name.
    const message = scrubText(relativizeAppRoot(d.message, o.appRoots));
    const stack = scrubText(relativizeAppRoot(d.stack, o.appRoots));
    const sample: CrashSample = { errorType: d.errorType, message, stack, origin };
    const decision = ledger.observe(crashFingerprint(d.errorType, stack, message), period(), sample);
    if (decision.action === 'report') send(sample, decision.count);
    else if (decision.action === 'repeat') repeats++;
    else {
      capped++;
      ext.countDrop('period_limit');
    }
  }

  function observeOnce(error: unknown, origin: CrashOrigin): void {
    if (typeof error === 'object' && error !== null) {
      if (counted.has(error)) return;
      counted.add(error);
    }
    observe(error, origin);
  }

  function drainRepeats(): void {
    if (!ext.isConsented(category)) return;
    for (const r of ledger.takeRepeats(period())) send(r.sample, r.count);
  }

  function persist(): void {
    drainRepeats();
    ext.commitNow();
  }

  /** Waits for the client to send, at most `flushTimeoutMs`. The timer is not unref'd: the process must not end early. */
  function flushWithin(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, o.flushTimeoutMs);
      client.flush().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        () => undefined,
      );
    });
  }

  function stop(): void {
    if (stopped) return;
    stopped = true;
    proc.removeListener('uncaughtException', onUncaught);
    proc.removeListener('unhandledRejection', onRejection);
    proc.removeListener('exit', onExit);
    repeatTimer?.cancel();
    unsubscribe();
  }

  /** Steps aside and hands the crash back to Node, which prints it and exits as it would have. */
  function handBack(error: unknown): void {
    stop();
    proc.rethrow(error);
  }

  function othersListening(event: 'uncaughtException' | 'unhandledRejection', self: CrashListener): boolean {
    return proc.listeners(event).some((l) => l !== self);
  }

  function onUncaught(error: unknown, origin?: unknown): void {
    try {
      // A rejection replayed for Node's default handling comes back here in `throw` mode; it was reported already.
      const replayed = replaying && (isRejectionWrapper(error) || origin === 'unhandledRejection');
      if (!replayed) observeOnce(error, origin === 'unhandledRejection' ? 'unhandled-rejection' : 'uncaught');
      persist();
      if (othersListening('uncaughtException', onUncaught)) {
        // The host handles its crashes: it decides whether the process goes on.
        void client.flush();
        return;
      }
      if (replayed) return handBack(error);
      if (exiting) return;
      exiting = true;
      if (!ext.isConsented(category)) return handBack(error);
      void flushWithin().then(() => handBack(error));
    } catch {
      handBack(error);
    }
  }

  function onRejection(reason: unknown): void {
    try {
      observeOnce(reason, 'unhandled-rejection');
      persist();
      if (othersListening('unhandledRejection', onRejection)) {
        void client.flush();
        return;
      }
      // With our hook installed Node takes no action of its own in `throw` and
      // `warn-with-error-code` modes, so the rejection is replayed without it. In `warn`,
      // `none` and `strict` modes, Node acts the same whether a hook is set or not.
      if (o.rejectionsMode === 'throw') {
        if (exiting) return;
        exiting = true;
        if (!ext.isConsented(category)) return replay(reason);
        void flushWithin().then(() => replay(reason));
      } else {
        if (o.rejectionsMode === 'warn-with-error-code') replay(reason);
        void client.flush();
      }
    } catch {
      // Nothing may escape a crash handler.
    }
  }

  /** Lets Node see the rejection again with no hook of ours, then listens again. */
  function replay(reason: unknown): void {
    replaying = true;
    proc.removeListener('unhandledRejection', onRejection);
    proc.replayRejection(reason);
    setImmediate(() => {
      replaying = false;
      if (!stopped && !exiting && o.unhandledRejections) proc.prependListener('unhandledRejection', onRejection);
    });
  }

  function onExit(): void {
    try {
      persist();
    } catch {
      // The process is ending; nothing may escape.
    }
  }

  const unsubscribe = ext.onConsentChange((state) => {
    // Off forgets what was counted: nothing about crashes is kept while the owner says no.
    if (state.category === category && !state.granted) ledger.clear();
  });

  const scheduleRepeats = (): void => {
    repeatTimer = setTimer(() => {
      drainRepeats();
      if (!stopped) scheduleRepeats();
    }, o.repeatIntervalMs);
  };
  scheduleRepeats();
  // Prepended, so that the report is committed before a host handler that exits at once.
  if (o.uncaughtExceptions) proc.prependListener('uncaughtException', onUncaught);
  if (o.unhandledRejections) proc.prependListener('unhandledRejection', onRejection);
  proc.prependListener('exit', onExit);

  return {
    reportError(error) {
      try {
        observe(error, 'reported');
      } catch {
        // reportError never throws into the host.
      }
    },
    async flush() {
      try {
        drainRepeats();
        await client.flush();
      } catch {
        // flush never rejects.
      }
    },
    stop,
    stats: () => ({ reported, repeats, capped, ignored, refused: { ...refused }, pendingRepeats: ledger.pending() }),
  };
}
