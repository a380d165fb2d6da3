// An in-process stand-in for the SDK client, for tests of the handler's HTTP behaviour (the
// edge those tests are not about): it lets a test pick exact sent-log contents, drop counts and
// deletion failures. The browser tests use the real SDK.
import { mediaServerCatalog } from '@candor/catalog/media-server';
import type { CatalogSpec } from '@candor/catalog';
import { dayOf } from '@candor/protocol';
import { resolvePolicy } from '@candor/sdk';
import type { PrivacyTabClient, PrivacyTabConsentEntry, PrivacyTabSentLogEntry, PrivacyTabSubjectResult } from '../../src/index.js';

/** A fake client plus the calls it received. */
export interface FakeClient extends PrivacyTabClient {
  readonly calls: { consentSet: [string, boolean][]; deletes: number };
  entries: PrivacyTabSentLogEntry[];
  dropped: Record<string, number>;
  deleteResult: () => Promise<PrivacyTabSubjectResult>;
  nowMs: number;
}

/** A batch body as the SDK would send it. */
export function batchBody(events: { name: string; time: string; fields?: Record<string, unknown> }[], batchKey = 'a'.repeat(32)): string {
  return JSON.stringify({ v: 1, catalog: { id: 'media-server', version: '1.0.0' }, pseudonym: 'f'.repeat(64), period: events[0]?.time ?? '2026-11-01', batchKey, events: events.map((e) => ({ fields: {}, ...e })) });
}

/** A sent-log entry of a batch to the collector. */
export function batchEntry(id: number, sentAt: string, categories: string[], events: { name: string; time: string; fields?: Record<string, unknown> }[]): PrivacyTabSentLogEntry {
  return { id, sentAt, kind: 'batch', categories, eventCount: events.length, status: 'delivered', detail: null, destination: 'http://collector.example/v1/batches', body: batchBody(events) };
}

/** Creates a fake client over the default catalog (or another). */
export function createFakeClient(catalog: CatalogSpec = mediaServerCatalog): FakeClient {
  const decisions = new Map<string, boolean>();
  const client: FakeClient = {
    catalog,
    calls: { consentSet: [], deletes: 0 },
    entries: [],
    dropped: {},
    nowMs: Date.UTC(2026, 10, 29, 12),
    deleteResult: async () => ({ status: 'ok', response: { deleted: 3, effectiveAt: '2026-11-29T10:00:00.000Z' } }),
    consent: {
      get() {
        const out: Record<string, PrivacyTabConsentEntry> = {};
        for (const [id, c] of Object.entries(catalog.categories)) {
          const d = decisions.get(id);
          out[id] = c.required ? { granted: true, source: 'required', decidedAt: null } : d === undefined ? { granted: c.defaultOn, source: 'default', decidedAt: null } : { granted: d, source: 'owner', decidedAt: '2026-11-29T09:00:00.000Z' };
        }
        return out;
      },
      set(category, on) {
        client.calls.consentSet.push([category, on]);
        decisions.set(category, on);
      },
    },
    sentLog: {
      list(query) {
        return client.entries.filter((e) => {
          const t = new Date(e.sentAt).getTime();
          return (query?.since === undefined || t >= query.since) && (query?.until === undefined || t < query.until) && (query?.category === undefined || e.categories.includes(query.category));
        });
      },
    },
    stats: () => ({ dropped: client.dropped }),
    deleteMyData: () => {
      client.calls.deletes += 1;
      return client.deleteResult();
    },
    policy: () => resolvePolicy(catalog, dayOf(client.nowMs)),
  };
  return client;
}
