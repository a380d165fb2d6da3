import { buildDataDictionary } from '@candor/catalog';
import { DROP_REASONS, dayOf } from '@candor/protocol';
import type { CatalogBody, ConsentBody, DeleteBody, DroppedBody, ExportBody, IntegrationsBody, SentListBody } from './api-types.js';
import { PrivacyTabApiError } from './errors.js';
import type { PrivacyTabIntegration, PrivacyTabIntegrationHandle, PrivacyTabSentLogQuery } from './privacy-tab-client.js';
import type { ResolvedPrivacyTabOptions } from './resolve-options.js';
import { isSentKind, toSentLogItems, viewSentLog } from './sent-log-view.js';
import type { SentLogFilter, SentLogItem } from './sent-log-view.js';

/** The privacy tab's operations, independent of HTTP. */
export interface PrivacyTabApi {
  catalog(): Promise<CatalogBody>;
  consent(): Promise<ConsentBody>;
  setConsent(category: unknown, on: unknown): Promise<ConsentBody>;
  sent(query: URLSearchParams): Promise<SentListBody>;
  sentBytes(id: string): Promise<Uint8Array>;
  dropped(): Promise<DroppedBody>;
  integrations(): Promise<IntegrationsBody>;
  setIntegration(id: unknown, on: unknown): Promise<IntegrationsBody>;
  exportAll(): Promise<ExportBody>;
  deleteAll(): Promise<DeleteBody>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Builds the operations over the host's SDK client. */
export function createPrivacyTabApi(options: ResolvedPrivacyTabOptions): PrivacyTabApi {
  const { client } = options;
  const catalog = client.catalog;
  const dictionary = buildDataDictionary(catalog);

  const call = async <T>(what: string, fn: () => T | Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw new PrivacyTabApiError('CLIENT_FAILED', `The telemetry client could not ${what}: ${reason(err)}`);
    }
  };

  const consentBody = async (): Promise<ConsentBody> => {
    const state = await call('read consent', () => client.consent.get());
    return {
      categories: Object.entries(catalog.categories).map(([id, c]) => {
        const entry = state[id];
        return { id, title: c.title, required: c.required, on: entry?.granted ?? (c.required || c.defaultOn), source: entry?.source ?? 'default', decidedAt: isoOrNull(entry?.decidedAt) };
      }),
    };
  };

  const integrationEntries = async (): Promise<{ disclosure: PrivacyTabIntegration; handle: PrivacyTabIntegrationHandle | null }[]> =>
    call('list its integrations', () =>
      options.integrations().map((i) => (isHandle(i) ? { disclosure: i.disclosure(), handle: i } : { disclosure: i, handle: null })),
    );

  async function integrationsBody(): Promise<IntegrationsBody> {
    const entries = await integrationEntries();
    const consent = Object.hasOwn(catalog.categories, 'integrations') ? (await consentBody()).categories.find((c) => c.id === 'integrations') : undefined;
    return {
      categoryOn: consent ? consent.on : null,
      integrations: entries.map(({ disclosure: i, handle }) => ({
        id: i.id,
        kind: i.kind,
        kindLabel: i.kindLabel ?? i.kind,
        title: i.title,
        purpose: i.purpose,
        destination: i.destination,
        granted: i.granted ?? null,
        active: i.active ?? null,
        switchable: handle !== null,
        signing: i.signing ?? null,
        summary: i.summary ?? null,
        fields: i.fields.map((f) => ({ name: f.name, why: f.why, sends: f.sends })),
      })),
    };
  }

  // The SDK keeps 30 days of entries, bounded in bytes; 10,000 is its largest page.
  const items = async (query: PrivacyTabSentLogQuery = {}): Promise<SentLogItem[]> => toSentLogItems(await call('read the sent log', () => client.sentLog.list({ ...query, limit: 10_000 })));

  return {
    async catalog() {
      const p = await call('read its policy', () => client.policy());
      return {
        dictionary,
        policy: { id: p.catalogId, inEffect: p.inEffect, shipped: p.shipped, linkagePeriod: catalog.linkagePeriod },
        pending: p.pending && { version: p.pending.version, effectiveDate: p.pending.effectiveDate, changes: p.pending.diff.changes.map((c) => ({ kind: c.kind, category: c.category, sentence: c.sentence })) },
        notYetEffective: [...p.notYetEffective],
      };
    },

    consent: consentBody,

    async setConsent(category, on) {
      if (typeof category !== 'string' || category === '') throw new PrivacyTabApiError('INVALID_REQUEST', 'Field `category` must name a category.');
      if (typeof on !== 'boolean') throw new PrivacyTabApiError('INVALID_REQUEST', 'Field `on` must be true or false.');
      const spec = Object.hasOwn(catalog.categories, category) ? catalog.categories[category] : undefined;
      if (!spec) throw new PrivacyTabApiError('UNKNOWN_CATEGORY', `There is no category "${category}" in catalog ${catalog.id} ${catalog.version}.`);
      if (spec.required && !on) throw new PrivacyTabApiError('CATEGORY_REQUIRED', `"${spec.title}" is required; only the server-wide switch CANDOR_TELEMETRY=off turns it off.`);
      await call('change consent', () => client.consent.set(category, on));
      return consentBody();
    },

    async sent(query) {
      const filter = parseFilter(query);
      const limit = intParam(query, 'limit', 100, 1, 1000);
      const offset = intParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
      const since = filter.fromDay === undefined ? undefined : Date.parse(`${filter.fromDay}T00:00:00Z`);
      const until = filter.toDay === undefined ? undefined : Date.parse(`${filter.toDay}T00:00:00Z`) + 86_400_000;
      const all = await items({ ...(filter.category === undefined ? {} : { category: filter.category }), ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) });
      return viewSentLog(all, filter, limit, offset);
    },

    async sentBytes(id) {
      const found = (await items()).find((i) => i.summary.id === id);
      if (!found) throw new PrivacyTabApiError('NOT_FOUND', `There is no sent-log entry ${id}; it may have aged out (entries are kept 30 days).`);
      return found.bytes;
    },

    async dropped() {
      const stats = await call('read its counters', () => client.stats());
      const reasons = Object.entries(stats.dropped)
        .filter(([, n]) => n > 0)
        .map(([reason, count]) => ({ reason, count, description: Object.hasOwn(DROP_REASONS, reason) ? DROP_REASONS[reason as keyof typeof DROP_REASONS] : 'an unlisted reason' }))
        .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
      return { total: reasons.reduce((s, r) => s + r.count, 0), reasons };
    },

    integrations: integrationsBody,

    async setIntegration(id, on) {
      if (typeof id !== 'string' || id === '') throw new PrivacyTabApiError('INVALID_REQUEST', 'Field `id` must name an integration.');
      if (typeof on !== 'boolean') throw new PrivacyTabApiError('INVALID_REQUEST', 'Field `on` must be true or false.');
      const found = (await integrationEntries()).find((e) => e.disclosure.id === id);
      if (!found) throw new PrivacyTabApiError('UNKNOWN_INTEGRATION', `There is no integration "${id}" on this server.`);
      if (!found.handle) throw new PrivacyTabApiError('UNKNOWN_INTEGRATION', `Integration "${id}" cannot be switched from here.`);
      const handle = found.handle;
      await call('change the integration', () => handle.consent.set(on));
      return integrationsBody();
    },

    async exportAll() {
      const all = await items();
      return {
        exportedAt: new Date(options.now()).toISOString(),
        catalog: { id: catalog.id, version: catalog.version },
        // The sent log holds the uncompressed JSON text, so the exact bytes are always UTF-8.
        entries: all.map((i) => ({ ...i.summary, bytes: i.bytes.toString('utf8') })),
      };
    },

    async deleteAll() {
      let result;
      try {
        result = await client.deleteMyData();
      } catch (err) {
        throw new PrivacyTabApiError('DELETE_FAILED', `The deletion request could not be made: ${reason(err)}`);
      }
      if (result.status === 'ok') return { acknowledgement: result.response };
      const why = `${result.error.message} (${result.error.code})`;
      throw new PrivacyTabApiError(
        'DELETE_FAILED',
        result.status === 'pending'
          ? `The collector has not acknowledged the deletion yet: ${why}. The request is kept and retried automatically; you can also retry now.`
          : `The collector refused the deletion: ${why}.`,
      );
    },
  };
}

function isHandle(i: PrivacyTabIntegration | PrivacyTabIntegrationHandle): i is PrivacyTabIntegrationHandle {
  return typeof (i as Partial<PrivacyTabIntegrationHandle>).disclosure === 'function';
}

function parseFilter(q: URLSearchParams): SentLogFilter {
  const pick = (name: string): string | undefined => {
    const v = q.get(name);
    return v === null || v === '' ? undefined : v;
  };
  const fromDay = pick('from');
  const toDay = pick('to');
  for (const [name, v] of [['from', fromDay], ['to', toDay]] as const) {
    if (v !== undefined && !isCalendarDay(v)) throw new PrivacyTabApiError('INVALID_REQUEST', `Query parameter \`${name}\` must be a date YYYY-MM-DD, not "${v}".`);
  }
  const kind = pick('kind');
  const kinds = kind?.split(',');
  if (kinds && !kinds.every(isSentKind)) throw new PrivacyTabApiError('INVALID_REQUEST', `Query parameter \`kind\` must list batch, deletion, export or delivery, not "${kind}".`);
  if (fromDay !== undefined && toDay !== undefined && fromDay > toDay) throw new PrivacyTabApiError('INVALID_REQUEST', `The date range is empty: ${fromDay} is after ${toDay}.`);
  const category = pick('category');
  return { ...(category === undefined ? {} : { category }), ...(kinds === undefined ? {} : { kinds }), ...(fromDay === undefined ? {} : { fromDay }), ...(toDay === undefined ? {} : { toDay }) };
}

// A real calendar day: 2026-02-30 matches the pattern but is not one.
function isCalendarDay(v: string): boolean {
  if (!DAY.test(v)) return false;
  const ms = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(ms) && dayOf(ms) === v;
}

function intParam(q: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const v = q.get(name);
  if (v === null || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new PrivacyTabApiError('INVALID_REQUEST', `Query parameter \`${name}\` must be an integer from ${min} to ${max}.`);
  return n;
}

function isoOrNull(t: number | string | null | undefined): string | null {
  if (t === null || t === undefined) return null;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function reason(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}
