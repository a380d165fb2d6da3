import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayOf, periodOf, periodRange, periodsBetween, type Linkage } from './period.js';

const utc = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h);
const DAY = 86_400_000;

describe('periodOf', () => {
  it('names days and months in UTC', () => {
    expect(periodOf(utc(2026, 11, 29, 23), 'day')).toBe('2026-11-29');
    expect(periodOf(utc(2026, 11, 29, 23) + 3_599_999, 'day')).toBe('2026-11-29');
    expect(periodOf(utc(2026, 11, 30), 'day')).toBe('2026-11-30');
    expect(periodOf(utc(2026, 11, 30) - 1, 'month')).toBe('2026-11');
    expect(periodOf(utc(2026, 12, 1), 'month')).toBe('2026-12');
    expect(dayOf(utc(2024, 2, 29, 12))).toBe('2024-02-29');
  });

  it.each([
    [utc(2026, 11, 29), '2026-W48'],
    [utc(2020, 12, 31), '2020-W53'],
    [utc(2021, 1, 1), '2020-W53'],
    [utc(2021, 1, 3), '2020-W53'],
    [utc(2021, 1, 4), '2021-W01'],
    [utc(2024, 12, 29), '2024-W52'],
    [utc(2024, 12, 30), '2025-W01'],
    [utc(2025, 12, 29), '2026-W01'],
    [utc(2026, 1, 1), '2026-W01'],
    [utc(2026, 12, 31), '2026-W53'],
    [utc(2027, 1, 3), '2026-W53'],
    [utc(2027, 1, 4), '2027-W01'],
    [utc(2015, 12, 31), '2015-W53'],
    [utc(2016, 1, 3), '2015-W53'],
  ])('ISO week of %d is %s, across year boundaries', (ms, expected) => {
    expect(periodOf(ms, 'week')).toBe(expected);
    expect(periodOf(ms + DAY - 1, 'week')).toBe(expected);
  });
});

describe('periodRange', () => {
  it('gives the start (inclusive) and end (exclusive) of each kind of period', () => {
    expect(periodRange('2024-02-29')).toEqual({ startMs: utc(2024, 2, 29), endMs: utc(2024, 3, 1), linkage: 'day' });
    expect(periodRange('2024-02')).toEqual({ startMs: utc(2024, 2, 1), endMs: utc(2024, 3, 1), linkage: 'month' });
    expect(periodRange('2023-02')).toEqual({ startMs: utc(2023, 2, 1), endMs: utc(2023, 3, 1), linkage: 'month' });
    expect(periodRange('2026-12')).toEqual({ startMs: utc(2026, 12, 1), endMs: utc(2027, 1, 1), linkage: 'month' });
    expect(periodRange('2020-W53')).toEqual({ startMs: utc(2020, 12, 28), endMs: utc(2021, 1, 4), linkage: 'week' });
    expect(periodRange('2025-W01')).toEqual({ startMs: utc(2024, 12, 30), endMs: utc(2025, 1, 6), linkage: 'week' });
  });

  it.each(['2023-02-29', '2026-04-31', '2026-13', '2026-00', '2026-W00', '2021-W53', '2026-W54', '2026-11-29T00', '26-11-29', '', 'week', '0050-03', '2026-1', '2026-W1', ' 2026-11'])('refuses %j', (period) => {
    expect(periodRange(period)).toBeNull();
  });

  it('round-trips: every time lies in the range of its period, whose ends name the same period', () => {
    const linkage = fc.constantFrom<Linkage>('day', 'week', 'month');
    fc.assert(
      fc.property(fc.integer({ min: utc(1971, 1, 1), max: utc(2199, 12, 31) }), linkage, (ms, l) => {
        const p = periodOf(ms, l);
        const r = periodRange(p);
        expect(r).not.toBeNull();
        expect(r!.linkage).toBe(l);
        expect(ms).toBeGreaterThanOrEqual(r!.startMs);
        expect(ms).toBeLessThan(r!.endMs);
        expect(periodOf(r!.startMs, l)).toBe(p);
        expect(periodOf(r!.endMs - 1, l)).toBe(p);
        expect(periodOf(r!.endMs, l)).not.toBe(p);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('periodsBetween', () => {
  it('lists every overlapping period, oldest first', () => {
    expect(periodsBetween(utc(2026, 1, 30, 12), utc(2026, 2, 2), 'day')).toEqual(['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02']);
    expect(periodsBetween(utc(2020, 12, 20), utc(2021, 1, 12), 'week')).toEqual(['2020-W51', '2020-W52', '2020-W53', '2021-W01', '2021-W02']);
    expect(periodsBetween(utc(2023, 11, 30), utc(2024, 2, 29), 'month')).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(periodsBetween(utc(2026, 5, 5), utc(2026, 5, 5), 'week')).toEqual(['2026-W19']);
    expect(periodsBetween(utc(2026, 5, 6), utc(2026, 5, 5), 'day')).toEqual([]);
  });

  it('gives contiguous periods covering the window, each once', () => {
    const linkage = fc.constantFrom<Linkage>('day', 'week', 'month');
    fc.assert(
      fc.property(fc.integer({ min: utc(2000, 1, 1), max: utc(2100, 1, 1) }), fc.integer({ min: 0, max: 400 * DAY }), linkage, (from, span, l) => {
        const periods = periodsBetween(from, from + span, l);
        expect(periods[0]).toBe(periodOf(from, l));
        expect(periods.at(-1)).toBe(periodOf(from + span, l));
        expect(new Set(periods).size).toBe(periods.length);
        for (let i = 1; i < periods.length; i++) expect(periodRange(periods[i - 1]!)!.endMs).toBe(periodRange(periods[i]!)!.startMs);
      }),
      { numRuns: 300 },
    );
  });
});
