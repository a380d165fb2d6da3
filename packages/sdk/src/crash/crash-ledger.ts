/** Bounds of a {@link createCrashLedger}. */
export interface CrashLedgerOptions {
  /** Most reports (first occurrences and repeat counts together) per linkage period. */
  readonly maxReportsPerPeriod: number;
  /** Most distinct fingerprints remembered; a new one beyond is counted as capped. */
  readonly maxFingerprints: number;
}

/** What to do with one occurrence of a crash. */
export type CrashDecision =
  /** Report it now; `count` includes repeats carried over from a period whose cap was reached. */
  | { readonly action: 'report'; readonly count: number }
  /** Already reported this period: counted, to be reported as a repeat count later. */
  | { readonly action: 'repeat' }
  /** Over the period's cap, or too many distinct crashes remembered. */
  | { readonly action: 'capped' };

/** A repeat count ready to be reported, with the scrubbed description it stands for. */
export interface CrashRepeat<T> {
  readonly fingerprint: string;
  readonly count: number;
  readonly sample: T;
}

/** Deduplication and caps of crash reports: pure, in memory, driven by the caller's period. */
export interface CrashLedger<T> {
  /** Records one occurrence in `period` and says whether to report it. */
  observe(fingerprint: string, period: string, sample: T): CrashDecision;
  /** Takes the repeat counts that may be reported now (within the period's cap); the rest wait. */
  takeRepeats(period: string): CrashRepeat<T>[];
  /** Occurrences counted but not reported yet. */
  pending(): number;
  /** Forgets everything (the crash category was turned off). */
  clear(): void;
}

interface Entry<T> {
  reportedIn: string;
  pending: number;
  sample: T;
}

/**
 * Creates a crash ledger. The first occurrence of a fingerprint in a period is reported at
 * once (so that a fatal crash leaves with its report); later ones are counted and reported
 * as one repeat count; every report counts towards the period's cap.
 */
export function createCrashLedger<T>(options: CrashLedgerOptions): CrashLedger<T> {
  const entries = new Map<string, Entry<T>>();
  let period = '';
  let reports = 0;

  const roll = (p: string): void => {
    if (p === period) return;
    period = p;
    reports = 0;
    // Entries with nothing pending are forgotten with their period; the others carry over.
    for (const [fp, e] of entries) if (e.pending === 0) entries.delete(fp);
  };

  return {
    observe(fingerprint, p, sample) {
      roll(p);
      let entry = entries.get(fingerprint);
      if (entry !== undefined && entry.reportedIn === period) {
        entry.pending++;
        entry.sample = sample;
        return { action: 'repeat' };
      }
      if (entry === undefined) {
        if (entries.size >= options.maxFingerprints) return { action: 'capped' };
        entry = { reportedIn: '', pending: 0, sample };
        entries.set(fingerprint, entry);
      }
      if (reports >= options.maxReportsPerPeriod) {
        // Counted, so that the first report of a later period carries it.
        entry.pending++;
        entry.sample = sample;
        return { action: 'capped' };
      }
      reports++;
      const count = entry.pending + 1;
      entry.pending = 0;
      entry.reportedIn = period;
      entry.sample = sample;
      return { action: 'report', count };
    },

    takeRepeats(p) {
      roll(p);
      const out: CrashRepeat<T>[] = [];
      for (const [fingerprint, e] of entries) {
        if (e.pending === 0) continue;
        if (reports >= options.maxReportsPerPeriod) break;
        reports++;
        out.push({ fingerprint, count: e.pending, sample: e.sample });
        e.pending = 0;
        e.reportedIn = period;
      }
      return out;
    },

    pending() {
      let n = 0;
      for (const e of entries.values()) n += e.pending;
      return n;
    },

    clear() {
      entries.clear();
      reports = 0;
    },
  };
}
