import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetBatches, runLoad, type LoadReport } from '@candor/collector';

/** Options of {@link startFleet}. */
export interface FleetRunOptions {
  /** The collector's base URL. */
  readonly target: string;
  /** How many simulated installs. */
  readonly installs: number;
  /** How many days of history each install sends. */
  readonly days: number;
  /** Where a marker records that today's fleet was sent, so a restart the same day does not send it again. */
  readonly stateDir: string;
}

/** A fleet being sent in the background. */
export interface RunningFleet {
  /** Resolves with the report when every batch was sent or the fleet was stopped; null when skipped. */
  readonly done: Promise<LoadReport | null>;
  /** Stops sending after the batches in flight. */
  stop(): Promise<void>;
}

// A fixed seed gives the same installs on every start, so that a second run adds no new
// installs: the collector bounds what each install may contribute per day.
const FLEET_SEED = 20_260_101;

/**
 * Sends a simulated fleet's history to the collector in the background (the collector's own
 * `runLoad`), so that the dashboard has data. Sent once per day and home folder.
 */
export function startFleet(options: FleetRunOptions): RunningFleet {
  const marker = join(options.stateDir, `fleet-${options.installs}x${options.days}-${new Date().toISOString().slice(0, 10)}`);
  if (options.installs === 0 || existsSync(marker)) return { done: Promise.resolve(null), stop: async () => undefined };
  const abort = new AbortController();
  const batches = fleetBatches({ installs: options.installs, days: options.days, seed: FLEET_SEED });
  const done = runLoad({ target: options.target, durationSeconds: 600, concurrency: 4, batches, signal: abort.signal }).then((report) => {
    if (!abort.signal.aborted && report.exhausted) {
      mkdirSync(options.stateDir, { recursive: true });
      writeFileSync(marker, `${JSON.stringify({ acceptedEvents: report.acceptedEvents, seconds: report.seconds })}\n`);
    }
    return report;
  });
  return {
    done,
    async stop() {
      abort.abort();
      await done.catch(() => null);
    },
  };
}
