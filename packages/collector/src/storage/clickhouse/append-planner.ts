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
      /**
       * Event tables where the earliest of those attempts wrote its rows already: they are copied
       * verbatim under the new write id (same rows, same first flags) rather than planned again,
       * since later batches of the pseudonym were bounded and flagged against them.
       */
      readonly copies: readonly { readonly event: string; readonly writeId: bigint }[];
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
 * distinct pseudonyms per cell). An earlier uncommitted attempt of the same key is hidden;
 * the tables it had written are copied (see {@link PlannedAppend}), the others planned afresh.
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
    // An earlier attempt of this key that wrote some tables and no marker: its rows were visible,
    // so later batches of the pseudonym counted them and set their flags against them. The
    // earliest such attempt's tables are copied as they are; the others are hidden.
    const orphanRows = rows.filter((r) => r.batchKey === batch.batchKey && r.pseudonym === batch.pseudonym && r.periodDay === periodDay);
    const orphans = [...new Set(orphanRows.map((r) => r.writeId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const adopted = orphans[0];
    const copied = new Map<string, number>();
    for (const r of orphanRows) if (r.writeId === adopted) copied.set(r.event, (copied.get(r.event) ?? 0) + 1);
    const planned: PlannedRow[] = [];
    const byEvent: Record<string, EventTally> = {};
    let accepted = 0;
    let bounded = 0;
    batch.events.forEach((e, seq) => {
      const tally = (byEvent[e.event] ??= { accepted: 0, bounded: 0 }) as { accepted: number; bounded: number };
      const subjectKey = `${batch.pseudonym}|${periodDay}|${e.event}`;
      const copies = copied.get(e.event);
      if (copies !== undefined) {
        // The copied rows are this kind's first `copies` events; the rest were bounded then.
        if (tally.accepted < copies) {
          accepted++;
          tally.accepted++;
        } else {
          bounded++;
          tally.bounded++;
        }
        return;
      }
      const stored = held.get(subjectKey) ?? [];
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
    const copies = adopted === undefined ? [] : [...copied.keys()].map((event) => ({ event, writeId: adopted }));
    return { kind: 'write', writeId: newWriteId(), periodDay, result: { accepted, bounded, duplicate: false, byEvent }, rows: planned, orphans, copies };
  });
}
