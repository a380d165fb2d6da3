import { describe, expect, it } from 'vitest';
import type { AppendBatch, AppendEvent } from '../contract.js';
import { firstFlags } from '../subsets.js';
import { planAppends, winnerOf, type VisibleMarker, type VisibleRow } from './append-planner.js';

const P = 'a'.repeat(64);
const DAY = '2026-11-20';
const positions = (): readonly string[] => ['device', 'hdr'];

function ev(event: string, maxPerPeriod: number, fields: Record<string, string | boolean> = {}): AppendEvent {
  return { event, day: DAY, maxPerPeriod, fields };
}

function batch(batchKey: string, events: AppendEvent[], pseudonym = P): AppendBatch {
  return { batchKey, pseudonym, period: DAY, catalogVersion: '1', events };
}

function held(batchKey: string, writeId: bigint, event: string, values: (string | boolean | null)[] = [null, null], periodDay = DAY): VisibleRow {
  return { batchKey, writeId, pseudonym: P, periodDay, event, values };
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
    const [p] = planAppends([batch('k1', [ev('x', 5)])], [DAY], markers, [], positions, ids());
    expect(p).toEqual({ kind: 'duplicate', result: { accepted: 2, bounded: 1, duplicate: true, byEvent: {} }, extraMarkers: [9n] });
    expect(winnerOf(markers)?.writeId).toBe(3n);
    expect(winnerOf([])).toBeUndefined();
  });

  it('bounds per pseudonym, period and event over stored rows, earlier batches of the group, and the batch itself', () => {
    const rows = [held('old', 1n, 'x'), held('old', 1n, 'x')];
    const plans = planAppends([batch('k1', [ev('x', 3), ev('x', 3), ev('y', 1)]), batch('k2', [ev('x', 3), ev('y', 1), ev('y', 1)]), batch('k3', [ev('x', 3)], 'b'.repeat(64))], [DAY, DAY, DAY], [], rows, positions, ids());
    expect(plans.map((p) => (p.kind === 'write' ? [p.result.accepted, p.result.bounded, p.rows.map((r) => r.seq)] : p.kind))).toEqual([
      [2, 1, [0, 2]],
      [0, 3, []],
      [1, 0, [0]],
    ]);
    const first = plans[0]!;
    expect(first.kind === 'write' && first.result.byEvent).toEqual({ x: { accepted: 1, bounded: 1 }, y: { accepted: 1, bounded: 0 } });
    expect(first.kind === 'write' && first.writeId).toBe(100n);
  });

  it('sets first flags against the rows the pseudonym holds in the period and those planned before', () => {
    const rows = [held('old', 1n, 'x', ['tv', false])];
    const plans = planAppends([batch('k1', [ev('x', 5, { device: 'tv', hdr: true }), ev('x', 5, { device: 'tv', hdr: true })])], [DAY], [], rows, positions, ids());
    const p = plans[0]!;
    if (p.kind !== 'write') throw new Error('expected a write');
    expect(p.rows[0]!.flags).toEqual(firstFlags(['tv', true], [['tv', false]]));
    expect(p.rows[1]!.flags).toEqual(firstFlags(['tv', true], [['tv', false], ['tv', true]]));
    // {} and {device} were seen already; {hdr} and {device, hdr} are new for the first row only.
    expect(p.rows[0]!.flags[0]! & 0b1111n).toBe(0b1100n);
    expect(p.rows[1]!.flags[0]! & 0b1111n).toBe(0n);
  });

  it("copies the tables an uncommitted earlier attempt of the key wrote, plans the others, and hides the attempt", () => {
    const rows = [held('k1', 7n, 'x', ['tv', true]), held('k1', 9n, 'y'), held('other', 8n, 'x', ['web', false])];
    const [p] = planAppends([batch('k1', [ev('x', 1, { device: 'tv', hdr: true }), ev('x', 1), ev('y', 2, { device: 'web' }), ev('z', 2, { device: 'tv' })])], [DAY], [], rows, positions, ids());
    if (p?.kind !== 'write') throw new Error('expected a write');
    // Attempt 7 wrote x (one row: the second x was bounded then); attempt 9 is hidden with it, so y is planned again.
    expect(p.copies).toEqual([{ event: 'x', writeId: 7n }]);
    expect(p.orphans).toEqual([7n, 9n]);
    expect(p.result).toMatchObject({ accepted: 3, bounded: 1, byEvent: { x: { accepted: 1, bounded: 1 }, y: { accepted: 1, bounded: 0 }, z: { accepted: 1, bounded: 0 } } });
    expect(p.rows.map((r) => r.event)).toEqual(['y', 'z']);
  });

  it('answers a key repeated inside one group from its first occurrence', () => {
    const plans = planAppends([batch('k1', [ev('x', 5)]), batch('k1', [ev('x', 5)])], [DAY, DAY], [], [], positions, ids());
    expect(plans[1]).toEqual({ kind: 'same-as', index: 0 });
  });

  it('keeps periods apart', () => {
    const [p] = planAppends([batch('k1', [ev('x', 1)])], [DAY], [], [held('old', 1n, 'x', [null, null], '2026-11-19')], positions, ids());
    expect(p).toMatchObject({ kind: 'write', result: { accepted: 1, bounded: 0 } });
  });
});
