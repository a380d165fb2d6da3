import { describe, expect, it } from 'vitest';
import type { AppendBatch } from './contract.js';
import { ContributionLedger, isHot, type LedgerSnapshot } from './contribution-ledger.js';

const NOW = Date.UTC(2026, 10, 20, 12);
const layouts = [
  { event: 'play', groupable: ['device'], tracksRows: true },
  { event: 'daily', groupable: [], tracksRows: false },
];

function batch(key: string, pseudonym: string, period: string, events: { event: string; device?: string }[], max = 3): AppendBatch {
  return {
    batchKey: key.padEnd(32, '0'),
    pseudonym: pseudonym.padEnd(64, '0'),
    period,
    catalogVersion: '1',
    events: events.map((e) => {
      const fields: Record<string, string> = e.device === undefined ? {} : { device: e.device };
      return { event: e.event, day: period, maxPerPeriod: e.event === 'daily' ? 1 : max, fields };
    }),
  };
}

function loader(stored: Record<string, LedgerSnapshot> = {}) {
  const calls: string[] = [];
  return {
    calls,
    loadPeriod: async (period: string) => {
      calls.push(`period ${period}`);
      return stored[period] ?? { batches: [], rows: [] };
    },
    loadSubjects: async (period: string, pseudonyms: readonly string[]) => {
      calls.push(`subjects ${period} ${pseudonyms.length}`);
      const s = stored[period] ?? { batches: [], rows: [] };
      return { batches: s.batches, rows: [...s.rows].filter((r) => pseudonyms.includes(r.pseudonym)) };
    },
  };
}

describe('ContributionLedger', () => {
  it('bounds per pseudonym, period and event, flags first values, and forgets nothing until committed', async () => {
    const l = loader();
    const ledger = new ContributionLedger(layouts, l, { now: () => NOW });
    const plan = await ledger.plan([batch('a', 'p', '2026-11-20', [{ event: 'play', device: 'tv' }, { event: 'play', device: 'tv' }, { event: 'play', device: 'web' }, { event: 'play', device: 'web' }, { event: 'daily' }, { event: 'daily' }])]);
    const [p] = plan.batches;
    expect(p!.result).toMatchObject({ accepted: 4, bounded: 2, duplicate: false });
    // Subset 0 (no field) is bit 0, subset {device} is bit 1.
    expect(p!.rows.filter((r) => r.event === 'play').map((r) => r.flags![0])).toEqual([3n, 0n, 2n]);
    expect(p!.rows.find((r) => r.event === 'daily')!.flags).toBeNull();
    plan.rollback();
    const again = await ledger.plan([batch('a', 'p', '2026-11-20', [{ event: 'play', device: 'tv' }])]);
    expect(again.batches[0]!.result).toMatchObject({ accepted: 1, duplicate: false });
    again.commit();
    const dup = await ledger.plan([batch('a', 'p', '2026-11-20', [{ event: 'play', device: 'tv' }])]);
    expect(dup.batches[0]!.result).toMatchObject({ accepted: 1, duplicate: true });
    expect(l.calls).toEqual(['period 2026-11-20']);
  });

  it('loads an old period only for the pseudonyms of a stray batch, and whole for a backlog', async () => {
    const l = loader({ '2026-10-01': { batches: [['k'.padEnd(32, '0'), 2, 0]], rows: [{ pseudonym: 'q'.padEnd(64, '0'), event: 'play', values: ['tv'] }] } });
    const ledger = new ContributionLedger(layouts, l, { now: () => NOW });
    const stray = await ledger.plan([batch('s', 'q', '2026-10-01', [{ event: 'play', device: 'tv' }, { event: 'play', device: 'web' }, { event: 'play', device: 'web' }])]);
    expect(stray.batches[0]!.result).toMatchObject({ accepted: 2, bounded: 1 });
    stray.commit();
    expect(l.calls).toEqual(['subjects 2026-10-01 1']);
    const backlog = Array.from({ length: 16 }, (_, i) => batch(`b${i}`, `r${i}`, '2026-10-02', [{ event: 'daily' }]));
    (await ledger.plan(backlog)).commit();
    (await ledger.plan([batch('c', 'r1', '2026-10-02', [{ event: 'daily' }])])).commit();
    expect(l.calls.slice(1)).toEqual(['period 2026-10-02']);
    expect(ledger.residentPeriods).toContain('2026-10-02');
  });

  it('gives a deleted pseudonym a fresh bound', async () => {
    const ledger = new ContributionLedger(layouts, loader(), { now: () => NOW });
    (await ledger.plan([batch('a', 'p', '2026-11-20', [{ event: 'daily' }])])).commit();
    expect((await ledger.plan([batch('b', 'p', '2026-11-20', [{ event: 'daily' }])])).batches[0]!.result.bounded).toBe(1);
    ledger.forget(['p'.padEnd(64, '0')]);
    expect((await ledger.plan([batch('c', 'p', '2026-11-20', [{ event: 'daily' }])])).batches[0]!.result.accepted).toBe(1);
  });

  it('keeps the current and previous period hot', () => {
    expect(isHot('2026-11-20', NOW)).toBe(true);
    expect(isHot('2026-11-19', NOW)).toBe(true);
    expect(isHot('2026-11-18', NOW)).toBe(false);
    expect(isHot('2026-W47', NOW)).toBe(true);
    expect(isHot('2026-10', NOW)).toBe(true);
    expect(isHot('2026-09', NOW)).toBe(false);
  });
});
