import type { DayTotalBody, SentEntryBody, SentKind, SentListBody } from './api-types.js';
import type { PrivacyTabSentLogEntry } from './privacy-tab-client.js';

/** A sent-log entry as the tab shows it, with its exact bytes. */
export interface SentLogItem {
  readonly summary: SentEntryBody;
  readonly bytes: Buffer;
}

/** Filter of the sent-log view; days are UTC `YYYY-MM-DD`, both inclusive. */
export interface SentLogFilter {
  readonly category?: string;
  readonly kinds?: readonly SentKind[];
  readonly fromDay?: string;
  readonly toDay?: string;
}

const KINDS: readonly SentKind[] = ['batch', 'deletion', 'export', 'delivery'];

/** Whether a string is a sent-log kind the tab knows. */
export function isSentKind(kind: string): kind is SentKind {
  return (KINDS as readonly string[]).includes(kind);
}

/** Turns SDK sent-log entries into items the tab shows, newest first. */
export function toSentLogItems(entries: readonly PrivacyTabSentLogEntry[]): SentLogItem[] {
  const items = entries.map((e): SentLogItem => {
    const bytes = Buffer.from(e.body, 'utf8');
    return {
      bytes,
      summary: {
        id: String(e.id),
        sentAt: new Date(e.sentAt).toISOString(),
        kind: isSentKind(e.kind) ? e.kind : 'delivery',
        status: e.status ?? 'sent',
        detail: e.detail ?? null,
        destination: e.destination ?? null,
        categories: [...e.categories],
        events: e.eventCount,
        byteLength: bytes.byteLength,
      },
    };
  });
  // Newest first; entries of the same millisecond by id, so that the order is stable.
  return items.sort((a, b) => (a.summary.sentAt === b.summary.sentAt ? compareIds(b.summary.id, a.summary.id) : a.summary.sentAt < b.summary.sentAt ? 1 : -1));
}

/** Applies a filter, pages the result, and totals the filtered entries per UTC day. */
export function viewSentLog(items: readonly SentLogItem[], filter: SentLogFilter, limit: number, offset: number): SentListBody {
  const matching = items.filter(({ summary: s }) => {
    const day = s.sentAt.slice(0, 10);
    if (filter.category !== undefined && !s.categories.includes(filter.category)) return false;
    if (filter.kinds !== undefined && !filter.kinds.includes(s.kind)) return false;
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
