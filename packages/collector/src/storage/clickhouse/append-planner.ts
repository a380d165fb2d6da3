import type { WireValue } from '@candor/protocol';
import type { AppendBatch, AppendResult, EventTally } from '../contract.js';

/** A committed attempt of a batch key that no hide covers (from the shard's batches table). */
export interface VisibleMarker {
  readonly batchKey: string;
  readonly writeId: bigint;
  readonly accepted: number;
  readonly bounded: number;
}

/** Visible rows of one attempt for one pseudonym, period and event (from the shard's event tables). */
export interface VisibleRows {
  readonly batchKey: string;
  readonly writeId: bigint;
  readonly pseudonym: string;
  readonly periodDay: string;
  readonly event: string;
  readonly count: number;
}

/** One row to write. */
export interface PlannedRow {
  readonly event: string;
  readonly day: string;
  readonly seq: number;
  readonly fields: Readonly<Record<string, WireValue>>;
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
 * order while the pseudonym's visible count for the period and event is under the bound.
 * Rows of an earlier uncommitted attempt of the same key are not counted: they are hidden.
 */
export function planAppends(
  batches: readonly AppendBatch[],
  periodDays: readonly string[],
  markers: readonly VisibleMarker[],
  rows: readonly VisibleRows[],
  newWriteId: () => bigint,
): PlannedAppend[] {
  const markersByKey = new Map<string, VisibleMarker[]>();
  for (const m of markers) {
    const list = markersByKey.get(m.batchKey) ?? [];
    list.push(m);
    markersByKey.set(m.batchKey, list);
  }
  // Per pseudonym and period: rows per event, split by batch key so that a key's own orphans can be left out.
  const held = new Map<string, VisibleRows[]>();
  for (const r of rows) {
    const key = `${r.pseudonym}|${r.periodDay}`;
    const list = held.get(key) ?? [];
    list.push(r);
    held.set(key, list);
  }
  const added = new Map<string, number>();
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
    const subjectKey = `${batch.pseudonym}|${periodDay}`;
    const mine = held.get(subjectKey) ?? [];
    const orphans = [...new Set(mine.filter((r) => r.batchKey === batch.batchKey).map((r) => r.writeId))];
    const counts = new Map<string, number>();
    for (const r of mine) if (r.batchKey !== batch.batchKey) counts.set(r.event, (counts.get(r.event) ?? 0) + r.count);
    const planned: PlannedRow[] = [];
    const byEvent: Record<string, EventTally> = {};
    let accepted = 0;
    let bounded = 0;
    batch.events.forEach((e, seq) => {
      const tally = (byEvent[e.event] ??= { accepted: 0, bounded: 0 }) as { accepted: number; bounded: number };
      const addedKey = `${subjectKey}|${e.event}`;
      const have = (counts.get(e.event) ?? 0) + (added.get(addedKey) ?? 0);
      if (have >= e.maxPerPeriod) {
        bounded++;
        tally.bounded++;
        return;
      }
      added.set(addedKey, (added.get(addedKey) ?? 0) + 1);
      planned.push({ event: e.event, day: e.day, seq, fields: e.fields });
      accepted++;
      tally.accepted++;
    });
    return { kind: 'write', writeId: newWriteId(), periodDay, result: { accepted, bounded, duplicate: false, byEvent }, rows: planned, orphans };
  });
}
