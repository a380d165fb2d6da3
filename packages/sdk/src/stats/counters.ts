import { DROP_REASONS, type DropReason } from '@candor/protocol';

/** The client's counters; plain fields so that the `record()` path increments them cheaply. */
export interface Counters {
  recorded: number;
  generated: number;
  accepted: number;
  stored: number;
  delivered: number;
  duplicates: number;
  printed: number;
  batchesDelivered: number;
  bytesSent: number;
  readonly dropped: Record<DropReason, number>;
  readonly rejectedByCode: Map<string, number>;
}

const SCALARS = ['recorded', 'generated', 'accepted', 'stored', 'delivered', 'duplicates', 'printed', 'batchesDelivered', 'bytesSent'] as const;

/** Zeroed counters, or counters restored from their saved form. */
export function createCounters(saved?: ReadonlyMap<string, number>): Counters {
  const dropped = Object.fromEntries(Object.keys(DROP_REASONS).map((r) => [r, 0])) as Record<DropReason, number>;
  const c: Counters = { recorded: 0, generated: 0, accepted: 0, stored: 0, delivered: 0, duplicates: 0, printed: 0, batchesDelivered: 0, bytesSent: 0, dropped, rejectedByCode: new Map() };
  if (saved) {
    for (const name of SCALARS) c[name] = saved.get(name) ?? 0;
    for (const [name, value] of saved) {
      if (name.startsWith('dropped.')) {
        const reason = name.slice(8);
        if (Object.hasOwn(DROP_REASONS, reason)) dropped[reason as DropReason] = value;
      } else if (name.startsWith('rejected.')) c.rejectedByCode.set(name.slice(9), value);
    }
  }
  return c;
}

/** The counters as name/value pairs for storage. */
export function saveableCounters(c: Counters): Map<string, number> {
  const out = new Map<string, number>();
  for (const name of SCALARS) out.set(name, c[name]);
  for (const [reason, n] of Object.entries(c.dropped)) out.set(`dropped.${reason}`, n);
  for (const [code, n] of c.rejectedByCode) out.set(`rejected.${code}`, n);
  return out;
}

/** Adds `other` into `into` (restoring counters saved by an earlier run under the ones of this run). */
export function addCounters(into: Counters, other: Counters): void {
  for (const name of SCALARS) into[name] += other[name];
  for (const reason of Object.keys(into.dropped) as DropReason[]) into.dropped[reason] += other.dropped[reason];
  for (const [code, n] of other.rejectedByCode) into.rejectedByCode.set(code, (into.rejectedByCode.get(code) ?? 0) + n);
}
