import { describe, expect, it } from 'vitest';
import type { AppendBatch, AppendEvent } from '../contract.js';
import { planAppends, winnerOf, type VisibleMarker, type VisibleRows } from './append-planner.js';

const P = 'a'.repeat(64);
const DAY = '2026-11-20';

function ev(event: string, maxPerPeriod: number): AppendEvent {
  return { event, day: DAY, maxPerPeriod, fields: {} };
}

function batch(batchKey: string, events: AppendEvent[], pseudonym = P): AppendBatch {
  return { batchKey, pseudonym, period: DAY, catalogVersion: '1', events };
}

function ids(): () => bigint {
  let n = 100n;
  return () => n++;
}

describe('planAppends', () => {
  it('answers a key with a visible marker as a duplicate, with the smallest write id winning', () => {
    const markers: VisibleMarker[] = [
      { batchKey: 'k1', writeId: 9n, accepted: 1, bounded: 0 },
      { batchKey: 'k1', writeId: 3n, accepted: 2, bounded: 1 },
    ];
    const [p] = planAppends([batch('k1', [ev('x', 5)])], [DAY], markers, [], ids());
    expect(p).toEqual({ kind: 'duplicate', result: { accepted: 2, bounded: 1, duplicate: true, byEvent: {} }, extraMarkers: [9n] });
    expect(winnerOf(markers)?.writeId).toBe(3n);
    expect(winnerOf([])).toBeUndefined();
  });

  it('bounds per pseudonym, period and event over stored rows, earlier batches of the group, and the batch itself', () => {
    const rows: VisibleRows[] = [{ batchKey: 'old', writeId: 1n, pseudonym: P, periodDay: DAY, event: 'x', count: 2 }];
    const plans = planAppends([batch('k1', [ev('x', 3), ev('x', 3), ev('y', 1)]), batch('k2', [ev('x', 3), ev('y', 1), ev('y', 1)]), batch('k3', [ev('x', 3)], 'b'.repeat(64))], [DAY, DAY, DAY], [], rows, ids());
    expect(plans.map((p) => (p.kind === 'write' ? [p.result.accepted, p.result.bounded, p.rows.map((r) => r.seq)] : p.kind))).toEqual([
      [2, 1, [0, 2]],
      [0, 3, []],
      [1, 0, [0]],
    ]);
    const first = plans[0]!;
    expect(first.kind === 'write' && first.result.byEvent).toEqual({ x: { accepted: 1, bounded: 1 }, y: { accepted: 1, bounded: 0 } });
    expect(first.kind === 'write' && first.writeId).toBe(100n);
  });

  it('hides an uncommitted earlier attempt of the same key and does not count its rows', () => {
    const rows: VisibleRows[] = [
      { batchKey: 'k1', writeId: 7n, pseudonym: P, periodDay: DAY, event: 'x', count: 1 },
      { batchKey: 'other', writeId: 8n, pseudonym: P, periodDay: DAY, event: 'x', count: 1 },
    ];
    const [p] = planAppends([batch('k1', [ev('x', 2), ev('x', 2)])], [DAY], [], rows, ids());
    expect(p).toMatchObject({ kind: 'write', orphans: [7n], result: { accepted: 1, bounded: 1 } });
  });

  it('answers a key repeated inside one group from its first occurrence', () => {
    const plans = planAppends([batch('k1', [ev('x', 5)]), batch('k1', [ev('x', 5)])], [DAY, DAY], [], [], ids());
    expect(plans[1]).toEqual({ kind: 'same-as', index: 0 });
  });

  it('keeps periods apart', () => {
    const rows: VisibleRows[] = [{ batchKey: 'old', writeId: 1n, pseudonym: P, periodDay: '2026-11-19', event: 'x', count: 1 }];
    const [p] = planAppends([batch('k1', [ev('x', 1)])], [DAY], [], rows, ids());
    expect(p).toMatchObject({ kind: 'write', result: { accepted: 1, bounded: 0 } });
  });
});
