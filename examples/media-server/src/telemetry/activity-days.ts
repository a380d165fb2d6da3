import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Which UTC days of the last four weeks the server was in use. */
export interface ActivityDays {
  /** Marks a day (YYYY-MM-DD) as active; written to disk when it is new. */
  mark(day: string): void;
  /** How many of the 7 and of the 28 days ending with `day` (inclusive) were active. */
  counts(day: string): { activeDays7: number; activeDays28: number };
}

const DAY_MS = 86_400_000;

/**
 * Keeps the active days in a small JSON file, so that `server.daily` can say "in use on 5 of the
 * last 7 days" without the collector ever linking one day's report to another's.
 */
export function createActivityDays(file: string): ActivityDays {
  let days = new Set<string>(read(file));
  return {
    mark(day) {
      if (days.has(day)) return;
      const cutoff = Date.parse(day) - 28 * DAY_MS;
      days = new Set([...days, day].filter((d) => Date.parse(d) > cutoff));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify([...days].sort()));
      renameSync(`${file}.tmp`, file);
    },
    counts(day) {
      const end = Date.parse(day);
      const within = (n: number) => [...days].filter((d) => Date.parse(d) <= end && Date.parse(d) > end - n * DAY_MS).length;
      // The day being reported is in use by definition: the server is running.
      return { activeDays7: Math.max(1, within(7)), activeDays28: Math.max(1, within(28)) };
    },
  };
}

function read(file: string): string[] {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(parsed) ? parsed.filter((d): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d)) : [];
  } catch {
    return [];
  }
}
