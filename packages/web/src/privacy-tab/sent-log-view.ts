import type { CatalogSpec } from '@candor/catalog';
import type { DayTotalBody, SentEntryBody, SentListBody } from './api-types.js';
import type { PrivacyTabSentLogEntry } from './privacy-tab-client.js';

/** A sent-log entry with what the tab shows about it, and its exact bytes. */
export interface SentLogItem {
  readonly summary: SentEntryBody;
  readonly bytes: Uint8Array;
}

/** Filter of the sent-log view; days are UTC `YYYY-MM-DD`, both inclusive. */
export interface SentLogFilter {
  readonly category?: string;
  readonly kind?: 'batch' | 'delivery';
  readonly fromDay?: string;
  readonly toDay?: string;
}

/** Turns SDK sent-log entries into items the tab shows, newest first. */
export function toSentLogItems(entries: readonly PrivacyTabSentLogEntry[], catalog: CatalogSpec): SentLogItem[] {
  const categoryOf = eventCategories(catalog);
  const items = entries.map((e): SentLogItem => {
    const bytes = typeof e.bytes === 'string' ? Buffer.from(e.bytes, 'utf8') : e.bytes;
    const kind = e.kind === undefined || e.kind === 'batch' ? 'batch' : 'delivery';
    const parsed = kind === 'batch' ? parseBatch(bytes) : null;
    const categories = e.categories ?? (parsed ? [...new Set(parsed.map((n) => categoryOf.get(n) ?? 'unknown'))].sort() : []);
    return {
      bytes,
      summary: {
        id: String(e.id),
        sentAt: new Date(e.sentAt).toISOString(),
        kind,
        destination: e.destination ?? null,
        categories,
        events: e.events ?? parsed?.length ?? (kind === 'delivery' ? 1 : 0),
        byteLength: bytes.byteLength,
      },
    };
  });
  // Newest first; ties (same millisecond) by id so that the order is stable across requests.
  return items.sort((a, b) => (a.summary.sentAt === b.summary.sentAt ? compareIds(b.summary.id, a.summary.id) : a.summary.sentAt < b.summary.sentAt ? 1 : -1));
}

/** Applies a filter, pages the result, and totals the filtered entries per UTC day. */
export function viewSentLog(items: readonly SentLogItem[], filter: SentLogFilter, limit: number, offset: number): SentListBody {
  const matching = items.filter(({ summary: s }) => {
    const day = s.sentAt.slice(0, 10);
    if (filter.category !== undefined && !s.categories.includes(filter.category)) return false;
    if (filter.kind !== undefined && s.kind !== filter.kind) return false;
    if (filter.fromDay !== undefined && day < filter.fromDay) return false;
    if (filter.toDay !== undefined && day > filter.toDay) return false;
    return true;
  });
  const totals = new Map<string, { entries: number; events: number; bytes: number }>();
  for (const { summary: s } of matching) {
    const day = s.sentAt.slice(0, 10);
    const t = totals.get(day) ?? { entries: 0, events: 0, bytes: 0 };
    t.entries += 1;
    t.events += s.events;
    t.bytes += s.byteLength;
    totals.set(day, t);
  }
  const totalsPerDay: DayTotalBody[] = [...totals].map(([day, t]) => ({ day, ...t }));
  return { entries: matching.slice(offset, offset + limit).map((i) => i.summary), total: matching.length, totalsPerDay };
}

function compareIds(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

// Events of every catalog version the client still knows, so that an entry sent under an older
// version is still attributed to its category.
function eventCategories(catalog: CatalogSpec): Map<string, string> {
  const map = new Map<string, string>();
  for (const spec of [...(catalog.previous ?? []), catalog]) for (const [name, e] of Object.entries(spec.events)) map.set(name, e.category);
  return map;
}

function parseBatch(bytes: Uint8Array): string[] | null {
  try {
    const batch: unknown = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    if (typeof batch !== 'object' || batch === null || !Array.isArray((batch as { events?: unknown }).events)) return null;
    return ((batch as { events: unknown[] }).events).map((e) => (typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string' ? (e as { name: string }).name : 'unknown'));
  } catch {
    return null;
  }
}
