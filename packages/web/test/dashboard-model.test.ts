import type { ActiveAnswer, StatsAnswer } from '@candor/collector';
import { describe, expect, it } from 'vitest';
import type { ActiveAnswerBody, StatsAnswerBody } from '../src/dashboard/client/api-types.js';
import { activeModel, breakdownModel, consentModel, isEmpty, orderValues, periodsOf } from '../src/dashboard/client/chart-model.js';
import { describeRelease } from '../src/dashboard/client/describe-release.js';
import type { ChartConfig } from '../src/dashboard/dashboard-config.js';

// The page declares the collector's answers itself (it is a client of a documented API); these
// assignments stop compiling when the collector's answers drift away from what the page reads.
export const statsFits = (a: StatsAnswer): StatsAnswerBody => a;
export const activeFits = (a: ActiveAnswer): ActiveAnswerBody => a;

const chart: ChartConfig = { id: 'x', kind: 'breakdown', event: 'client.session', field: 'deviceType', title: 'Devices', description: '', order: ['tv', 'mobile', 'web'], fieldLabels: {}, labels: { tv: 'Television' } };

function answer(cells: Record<string, unknown>[], extra: Partial<StatsAnswerBody> = {}): StatsAnswerBody {
  return { event: 'client.session', groupBy: ['deviceType'], granularity: 'day', from: '2026-11-01', to: '2026-11-03', k: 10, noise: null, cells: cells as never, suppressedCells: cells.filter((c) => c.suppressed === true).length, withheldCells: 0, ...extra };
}

describe('chart models', () => {
  it('lists every period of the range, including weeks and months that straddle it', () => {
    expect(periodsOf({ from: '2026-11-01', to: '2026-11-03', granularity: 'day' })).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(periodsOf({ from: '2026-10-26', to: '2026-11-15', granularity: 'week' })).toEqual(['2026-W44', '2026-W45', '2026-W46']);
    expect(periodsOf({ from: '2026-10-01', to: '2026-11-30', granularity: 'month' })).toEqual(['2026-10', '2026-11']);
  });

  it('orders values as the catalog does, then the others naturally (versions 10.9 before 10.10)', () => {
    expect(orderValues(['web', 'zzz', 'tv', '10.10', '10.9'], ['tv', 'mobile', 'web'])).toEqual(['tv', 'web', '10.9', '10.10', 'zzz']);
  });

  it('stacks a breakdown by value with a gap where a cell is missing and a flag where it is suppressed', () => {
    const m = breakdownModel(
      chart,
      answer([
        { period: '2026-11-01', deviceType: 'web', events: 40, installs: 12, suppressed: false, noised: false },
        { period: '2026-11-01', deviceType: 'tv', events: 90, installs: 30, suppressed: false, noised: false },
        { period: '2026-11-03', deviceType: 'tv', events: null, installs: null, suppressed: true, noised: false },
      ]),
      'installs',
    );
    expect(m.series.map((s) => [s.key, s.label])).toEqual([
      ['tv', 'Television'],
      ['web', 'web'],
    ]);
    expect(m.series[0]!.values).toEqual([30, null, null]);
    expect(m.series[0]!.suppressed).toEqual([false, false, true]);
    expect(m.series[1]!.values).toEqual([12, null, null]);
    expect(m.rows.map((r) => [r.period, r.value, r.cells.events, r.suppressed])).toEqual([
      ['2026-11-01', 'web', 40, false],
      ['2026-11-01', 'tv', 90, false],
      ['2026-11-03', 'tv', null, true],
    ]);
    expect(isEmpty(m)).toBe(false);
    expect(isEmpty(breakdownModel(chart, answer([]), 'events'))).toBe(true);
    expect(isEmpty(breakdownModel(chart, answer([], { withheldCells: 2 }), 'events'))).toBe(false);
  });

  it('turns consent answers into the share of installs with the category on, unknown where a count is suppressed', () => {
    const consent: ChartConfig = { id: 'c', kind: 'consent', event: 'consent.daily', fields: ['playback'], title: 'Consent', description: '', order: [], fieldLabels: { playback: 'Playback statistics' } };
    const m = consentModel(consent, [
      {
        field: 'playback',
        answer: answer([
          { period: '2026-11-01', playback: true, events: 30, installs: 30, suppressed: false, noised: false },
          { period: '2026-11-01', playback: false, events: 10, installs: 10, suppressed: false, noised: false },
          { period: '2026-11-02', playback: true, events: 40, installs: 40, suppressed: false, noised: false },
          { period: '2026-11-02', playback: false, events: null, installs: null, suppressed: true, noised: false },
          { period: '2026-11-03', playback: false, events: 12, installs: 12, suppressed: false, noised: false },
        ]),
      },
    ]);
    expect(m.series[0]!.values).toEqual([75, null, 0]);
    expect(m.series[0]!.suppressed).toEqual([false, true, false]);
    expect(m.rows.map((r) => [r.period, r.cells.state, r.cells.installs, r.cells.share])).toEqual([
      ['2026-11-01', 'on', 30, 75],
      ['2026-11-01', 'off', 10, null],
      ['2026-11-02', 'on', 40, null],
      ['2026-11-02', 'off', null, null],
      ['2026-11-03', 'off', 12, null],
    ]);
  });

  it('keeps active estimates as the collector rounds them', () => {
    const a: ActiveAnswerBody = { event: 'server.daily', field: 'activeDays7', groupBy: [], granularity: 'week', from: '2026-10-26', to: '2026-11-08', k: 10, noise: null, suppressedCells: 0, withheldCells: 0, cells: [{ period: '2026-W44', active: 44.95, reports: 180, suppressed: false, noised: false }] as never };
    const m = activeModel(a);
    expect(m.series[0]!.values).toEqual([44.95, null]);
    expect(m.columns.map((c) => c.label)).toContain('Active installs (estimate)');
  });
});

describe('release rules in words', () => {
  it('names suppressed cells with their places, and says when nothing is suppressed', () => {
    const m = breakdownModel(chart, answer([{ period: '2026-11-03', deviceType: 'tv', events: null, installs: null, suppressed: true, noised: false }]), 'events');
    const words = describeRelease(m).join(' ');
    expect(words).toContain('1 cell had fewer than 10 installs behind it and is suppressed');
    expect(words).toContain('Television on 2026-11-03');
    expect(words).toContain('No count could be released here');
    expect(words).toContain('Counts are exact (no noise).');
    const clean = breakdownModel(chart, answer([{ period: '2026-11-03', deviceType: 'tv', events: 50, installs: 20, suppressed: false, noised: false }]), 'events');
    expect(describeRelease(clean).join(' ')).toContain('Nothing is suppressed: every count shown rests on at least 10 installs.');
  });

  it('explains withheld cells and noise with the budget spent', () => {
    const noise = { mechanism: 'geometric', epsilon: 0.5, sensitivity: 3, budget: { day: '2026-11-29', spent: 1.5, limit: 4 } };
    const m = breakdownModel(chart, answer([{ period: '2026-11-01', deviceType: 'tv', events: 51, installs: 20, suppressed: false, noised: true }], { noise, withheldCells: 3 }), 'events');
    const words = describeRelease(m).join(' ');
    expect(words).toContain('3 further cells fell below 10 installs and are left out entirely, because with noise on');
    expect(words).toContain('geometric noise (ε 0.5 per query, sensitivity 3)');
    expect(words).toContain('client.session has spent ε 1.5 of its 4 for 2026-11-29');
    const freeText = breakdownModel(chart, answer([], { withheldCells: 1 }), 'events');
    expect(describeRelease(freeText).join(' ')).toContain('their values are free text');
  });
});
