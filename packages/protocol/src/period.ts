/** How long one pseudonym links an install's reports. */
export type Linkage = 'day' | 'week' | 'month';

const DAY_MS = 86_400_000;

/** The UTC day of a time, `YYYY-MM-DD`. */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The period a time falls in: `2026-11-29` (day), `2026-W48` (ISO week) or `2026-11` (month), all UTC. */
export function periodOf(ms: number, linkage: Linkage): string {
  const d = new Date(ms);
  if (linkage === 'day') return d.toISOString().slice(0, 10);
  if (linkage === 'month') return d.toISOString().slice(0, 7);
  // ISO 8601 week: the week with the year's first Thursday is week 1.
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const dow = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dow);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The start (inclusive) and end (exclusive) of a period in epoch milliseconds, or null when malformed. */
export function periodRange(period: string): { startMs: number; endMs: number; linkage: Linkage } | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(period);
  if (m) {
    const startMs = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
    if (dayOf(startMs) !== period) return null;
    return { startMs, endMs: startMs + DAY_MS, linkage: 'day' };
  }
  m = /^(\d{4})-W(\d{2})$/.exec(period);
  if (m) {
    const year = +m[1]!;
    const week = +m[2]!;
    const jan4 = Date.UTC(year, 0, 4);
    const jan4Dow = new Date(jan4).getUTCDay() || 7;
    const startMs = jan4 - (jan4Dow - 1) * DAY_MS + (week - 1) * 7 * DAY_MS;
    if (week < 1 || periodOf(startMs, 'week') !== period) return null;
    return { startMs, endMs: startMs + 7 * DAY_MS, linkage: 'week' };
  }
  m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) {
    const month = +m[2]!;
    if (month < 1 || month > 12) return null;
    const startMs = Date.UTC(+m[1]!, month - 1, 1);
    // Date.UTC reads years 0–99 as 1900–1999: such a period does not name itself.
    if (periodOf(startMs, 'month') !== period) return null;
    return { startMs, endMs: Date.UTC(+m[1]!, month, 1), linkage: 'month' };
  }
  return null;
}

/** Every period that overlaps `[fromMs, toMs]`, oldest first. */
export function periodsBetween(fromMs: number, toMs: number, linkage: Linkage): string[] {
  const out: string[] = [];
  let t = fromMs;
  while (t <= toMs) {
    const p = periodOf(t, linkage);
    if (out[out.length - 1] !== p) out.push(p);
    t = periodRange(p)!.endMs;
  }
  return out;
}
