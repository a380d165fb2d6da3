import { describe, expect, it } from 'vitest';
import { coarseTime } from './coarse-time.js';

describe('coarseTime', () => {
  const at = Date.UTC(2026, 10, 29, 13, 45, 12, 345);

  it('truncates to the day by default, in UTC', () => {
    const g = coarseTime();
    expect(g.apply(new Date(at))).toBe('2026-11-29');
    expect(g.apply(at)).toBe('2026-11-29');
    expect(g.apply('2026-11-29T23:30:00-02:00')).toBe('2026-11-30');
  });

  it('truncates to the hour or month', () => {
    expect(coarseTime({ unit: 'hour' }).apply(at)).toBe('2026-11-29T13');
    expect(coarseTime({ unit: 'month' }).apply(at)).toBe('2026-11');
  });

  it('rejects times it cannot read or that are implausible', () => {
    const g = coarseTime();
    expect(g.apply('yesterday')).toMatchObject({ reason: 'invalid_format' });
    expect(g.apply(new Date(Number.NaN))).toMatchObject({ reason: 'invalid_format' });
    expect(g.apply(Number.POSITIVE_INFINITY)).toMatchObject({ reason: 'invalid_format' });
    expect(g.apply(Date.UTC(1999, 11, 31))).toMatchObject({ reason: 'out_of_range' });
    expect(g.apply(Date.UTC(2100, 0, 1))).toMatchObject({ reason: 'out_of_range' });
    expect(g.apply('2026-11-29'.padEnd(41, ' '))).toMatchObject({ reason: 'too_long' });
    expect(g.apply(null)).toMatchObject({ reason: 'wrong_type' });
  });

  it('accepts only coarse times of its unit on the wire', () => {
    const day = coarseTime();
    expect(day.accepts('2026-11-29')).toBe(true);
    expect(day.accepts('2026-11-29T13')).toBe(false);
    expect(day.accepts('2026-13-01')).toBe(false);
    const hour = coarseTime({ unit: 'hour' });
    expect(hour.accepts('2026-11-29T13')).toBe(true);
    expect(hour.accepts('2026-11-29T13:45')).toBe(false);
  });
});
