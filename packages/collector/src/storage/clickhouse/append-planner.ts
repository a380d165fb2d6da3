import type { WireValue } from '@candor/protocol';
import type { AppendBatch, AppendResult, EventTally } from '../contract.js';
import { firstFlags } from '../subsets.js';

/** A committed attempt of a batch key that no hide covers (from the shard's batches table). */
export interface VisibleMarker {
  readonly batchKey: string;
  readonly writeId: bigint;
  readonly accepted: number;
  readonly bounded: number;
}

/** One visible row of a pseudonym and period (from the shard's event tables), with its values in flag-position order. */
export interface VisibleRow {
  readonly batchKey: string;
  readonly writeId: bigint;
  readonly pseudonym: string;
  readonly periodDay: string;
  readonly event: string;
  readonly values: readonly WireValue[];
}

/** One row to write, with its first flags. */
export interface PlannedRow {
  readonly event: string;
  readonly day: string;
  readonly seq: number;
  readonly fields: Readonly<Record<string, WireValue>>;
  /** First flags over the event's flag positions (see `subsets.ts`). */
  readonly flags: readonly bigint[];
}

/** What to do with one batch of a group. */
export type PlannedAppend =
  | { readonly kind: 'duplicate'; readonly result: AppendResult; readonly extraMarkers: readonly bigint[] }
  | {
      readonly kind: 'write';
      readonly writeId: bigint;
      readonly periodDay: string;
      readonly result: AppendResult;
      readonly rows: readonly PlannedRow[];
      /** Earlier attempts of this key that never committed: hidden before the new rows are written. */
      readonly orphans: readonly bigint[];
    }
  /** The same key earlier in the group: answered with that batch's outcome. */
  | { readonly kind: 'same-as'; readonly index: number };

/** The answer of a batch key whose visible committed attempts are `markers`: the smallest write id wins. */
export function winnerOf(markers: readonly VisibleMarker[]): VisibleMarker | undefined {
  let best: VisibleMarker | undefined;
  for (const m of markers) if (best === undefined || m.writeId < best.writeId) best = m;
  return best;
}

/**
 * Plans a group of batches for one shard from what the shard holds for their keys and
 * pseudonyms: duplicates get the winning attempt's answer; other batches keep their events in
 * order while the pseudonym's visible count for the period and event is under the bound, and
 * each kept row gets its first flags: for every subset of at most two fields, whether no
 * earlier visible row of its pseudonym and period agrees with it there (summing a flag counts
 * distinct pseudonyms per cell). Rows of an earlier uncommitted attempt of the same key are
 * neither counted nor compared: they are hidden.
 */
export function planAppends(
  batches: readonly AppendBatch[],
  periodDays: readonly string[],
  markers: readonly VisibleMarker[],
  rows: readonly VisibleRow[],
  positionsOf: (event: string) => readonly string[],
  newWriteId: () => bigint,
): PlannedAppend[] {
  const markersByKey = new Map<string, VisibleMarker[]>();
  for (const m of markers) {
    const list = markersByKey.get(m.batchKey) ?? [];
    list.push(m);
    markersByKey.set(m.batchKey, list);
  }
  // Per pseudonym, period and event: the rows held, so that a key's own orphans can be left out.
  const held = new Map<string, VisibleRow[]>();
  for (const r of rows) {
    const key = `${r.pseudonym}|${r.periodDay}|${r.event}`;
    const list = held.get(key) ?? [];
    list.push(r);
    held.set(key, list);
  }
  // Values of rows planned earlier in this group, per pseudonym, period and event.
  const added = new Map<string, WireValue[][]>();
  const firstIndex = new Map<string, number>();
  return batches.map((batch, index): PlannedAppend => {
    const earlier = firstIndex.get(batch.batchKey);
    if (earlier !== undefined) return { kind: 'same-as', index: earlier };
    firstIndex.set(batch.batchKey, index);
    const visible = markersByKey.get(batch.batchKey) ?? [];
    const winner = winnerOf(visible);
    if (winner !== undefined) {
      return {
        kind: 'duplicate',
        result: { accepted: winner.accepted, bounded: winner.bounded, duplicate: true, byEvent: {} },
        extraMarkers: visible.filter((m) => m !== winner).map((m) => m.writeId),
      };
    }
    const periodDay = periodDays[index]!;
    const orphans = new Set<bigint>();
    const planned: PlannedRow[] = [];
    const byEvent: Record<string, EventTally> = {};
    let accepted = 0;
    let bounded = 0;
    batch.events.forEach((e, seq) => {
      const tally = (byEvent[e.event] ??= { accepted: 0, bounded: 0 }) as { accepted: number; bounded: number };
      const subjectKey = `${batch.pseudonym}|${periodDay}|${e.event}`;
      const stored = held.get(subjectKey) ?? [];
      for (const r of stored) if (r.batchKey === batch.batchKey) orphans.add(r.writeId);
      const previous = stored.filter((r) => r.batchKey !== batch.batchKey).map((r) => r.values);
      const mine = added.get(subjectKey) ?? [];
      if (previous.length + mine.length >= e.maxPerPeriod) {
        bounded++;
        tally.bounded++;
        return;
      }
      const values = positionsOf(e.event).map((f) => e.fields[f] ?? null);
      planned.push({ event: e.event, day: e.day, seq, fields: e.fields, flags: firstFlags(values, [...previous, ...mine]) });
      mine.push(values);
      added.set(subjectKey, mine);
      accepted++;
      tally.accepted++;
    });
    return { kind: 'write', writeId: newWriteId(), periodDay, result: { accepted, bounded, duplicate: false, byEvent }, rows: planned, orphans: [...orphans] };
  });
}
