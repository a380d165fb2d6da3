import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const DAY_MS = 86_400_000;

/**
 * The telemetry clock of the demo. Candor holds a day's playback reports until the UTC day
 * ends and then releases a uniform sample of at most three, so a demo would show no playback
 * report until midnight. The demo clock runs one day behind the real one, and "end the
 * telemetry day" moves it to the start of its next day: the held day ends and its sample
 * leaves, dated in the past, which the collector accepts (it refuses periods in the future).
 * The offset is kept in a file, so the clock never steps back across restarts. Once ended, the
 * telemetry day is the real one (a few hours behind at most) and ends at midnight UTC, as in
 * production.
 */
export interface DemoClock {
  /** The telemetry time, epoch ms: pass as `now` to `createTelemetry`. */
  now(): number;
  /** The UTC day of the telemetry time (YYYY-MM-DD). */
  day(): string;
  /**
   * Moves the clock to the start of its next UTC day, when that is not in the future.
   * Returns the day that ended, or null when the telemetry day is already today's.
   */
  endDay(): string | null;
}

/** Options of {@link createDemoClock}. */
export interface DemoClockOptions {
  /** Where the offset is kept; omitted keeps it in memory. */
  readonly file?: string;
  /** The real clock. @default Date.now */
  readonly realNow?: () => number;
  /** The offset when none is stored yet. @default -86400000 (one day behind) */
  readonly initialOffsetMs?: number;
}

/** Creates the demo's telemetry clock. */
export function createDemoClock(options: DemoClockOptions = {}): DemoClock {
  const realNow = options.realNow ?? Date.now;
  let offsetMs = read(options.file) ?? options.initialOffsetMs ?? -DAY_MS;
  if (offsetMs > 0) offsetMs = 0;
  save();
  const now = () => realNow() + offsetMs;
  return {
    now,
    day: () => new Date(now()).toISOString().slice(0, 10),
    endDay() {
      const t = now();
      const nextDayStart = (Math.floor(t / DAY_MS) + 1) * DAY_MS;
      const real = realNow();
      if (nextDayStart > real) return null;
      const ended = new Date(t).toISOString().slice(0, 10);
      offsetMs = nextDayStart - real;
      save();
      return ended;
    },
  };

  function save(): void {
    if (options.file === undefined) return;
    mkdirSync(dirname(options.file), { recursive: true });
    writeFileSync(`${options.file}.tmp`, JSON.stringify({ offsetMs }));
    renameSync(`${options.file}.tmp`, options.file);
  }
}

function read(file: string | undefined): number | null {
  if (file === undefined) return null;
  try {
    const { offsetMs } = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: unknown };
    return typeof offsetMs === 'number' && Number.isFinite(offsetMs) ? offsetMs : null;
  } catch {
    return null;
  }
}
