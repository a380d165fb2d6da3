import { buildDataDictionary, diffCatalogs } from '@candor/catalog';
import type { CatalogSpec } from '@candor/catalog';
import { DROP_REASONS, dayOf } from '@candor/protocol';
import type { CatalogBody, ConsentBody, DeleteBody, DroppedBody, ExportBody, IntegrationsBody, SentListBody } from './api-types.js';
import { PrivacyTabApiError } from './errors.js';
import type { PrivacyTabConsentEntry } from './privacy-tab-client.js';
import type { ResolvedPrivacyTabOptions } from './resolve-options.js';
import { toSentLogItems, viewSentLog } from './sent-log-view.js';
import type { SentLogFilter, SentLogItem } from './sent-log-view.js';

/** The privacy tab's operations, independent of HTTP. */
export interface PrivacyTabApi {
  catalog(): CatalogBody;
  consent(): Promise<ConsentBody>;
  setConsent(category: unknown, on: unknown): Promise<ConsentBody>;
  sent(query: URLSearchParams): Promise<SentListBody>;
  sentBytes(id: string): Promise<Uint8Array>;
  dropped(): Promise<DroppedBody>;
  integrations(): Promise<IntegrationsBody>;
  exportAll(): Promise<ExportBody>;
  deleteAll(): Promise<DeleteBody>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Builds the operations over the host's SDK client. */
export function createPrivacyTabApi(options: ResolvedPrivacyTabOptions): PrivacyTabApi {
  const { client } = options;
  const catalog = client.catalog;

  const policy = (): { inEffect: CatalogSpec; pending: CatalogSpec | null } => {
    const today = dayOf(options.now());
    if (options.pendingCatalog && options.pendingCatalog.effectiveDate > today) return { inEffect: catalog, pending: options.pendingCatalog };
    const previous = catalog.previous?.at(-1);
    // The client already carries a newer catalog whose date has not come: what is in effect
    // is the previous version, and the owner sees the difference before it applies.
    if (catalog.effectiveDate > today && previous) return { inEffect: previous, pending: catalog };
    return { inEffect: catalog, pending: null };
  };

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
        const entry = normalizeConsent(state[id], c.required || c.defaultOn);
        return { id, title: c.title, required: c.required, on: entry.granted, source: entry.source ?? (state[id] === undefined ? 'default' : 'owner'), decidedAt: isoOrNull(entry.decidedAt) };
      }),
    };
  };

  const items = async (category?: string, fromDay?: string): Promise<SentLogItem[]> => {
    const since = fromDay === undefined ? undefined : Date.parse(`${fromDay}T00:00:00Z`);
    const entries = await call('read the sent log', () => client.sentLog.list({ ...(category === undefined ? {} : { category }), ...(since === undefined ? {} : { since }) }));
    return toSentLogItems(entries, catalog);
  };

  return {
    catalog() {
      const { inEffect, pending } = policy();
      return {
        dictionary: buildDataDictionary(inEffect),
        policy: { id: inEffect.id, version: inEffect.version, effectiveDate: inEffect.effectiveDate, linkagePeriod: inEffect.linkagePeriod },
        pending: pending && { version: pending.version, effectiveDate: pending.effectiveDate, changes: diffCatalogs(inEffect, pending).changes.map((c) => ({ kind: c.kind, category: c.category, sentence: c.sentence })) },
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
      return viewSentLog(await items(filter.category, filter.fromDay), filter, limit, offset);
    },

    async sentBytes(id) {
      const found = (await items()).find((i) => i.summary.id === id);
      if (!found) throw new PrivacyTabApiError('NOT_FOUND', `There is no sent-log entry ${id}; it may have aged out (entries are kept 30 days).`);
      return found.bytes;
    },

    async dropped() {
      const stats = await call('read its counters', () => client.stats());
      const dropped = stats.dropped ?? {};
      const reasons = Object.entries(dropped)
        .filter(([, n]) => n > 0)
        .map(([reason, count]) => ({ reason, count, description: Object.hasOwn(DROP_REASONS, reason) ? DROP_REASONS[reason as keyof typeof DROP_REASONS] : 'an unlisted reason' }))
        .sort((a, b) => b.count - a.count);
      return { total: reasons.reduce((s, r) => s + r.count, 0), reasons };
    },

    async integrations() {
      const list = await call('list its integrations', () => options.integrations());
      const hasCategory = Object.hasOwn(catalog.categories, 'integrations');
      const consent = hasCategory ? (await consentBody()).categories.find((c) => c.id === 'integrations') : undefined;
      return {
        categoryOn: consent ? consent.on : null,
        integrations: list.map((i) => ({
          id: i.id,
          kind: i.kind,
          title: i.title ?? i.id,
          destination: i.destination,
          purpose: i.purpose ?? '',
          enabled: i.enabled ?? null,
          fields: i.fields.map((f) => ({ name: f.name, description: f.description, sentAs: f.sentAs ?? 'the exact value' })),
        })),
      };
    },

    async exportAll() {
      const all = await items();
      return {
        exportedAt: new Date(options.now()).toISOString(),
        catalog: { id: catalog.id, version: catalog.version },
        entries: all.map((i) => {
          const text = utf8OrNull(i.bytes);
          return { ...i.summary, encoding: text === null ? 'base64' : 'utf8', bytes: text ?? Buffer.from(i.bytes).toString('base64') };
        }),
      };
    },

    async deleteAll() {
      try {
        return { acknowledgement: await client.deleteMyData() };
      } catch (err) {
        throw new PrivacyTabApiError('DELETE_FAILED', `The deletion request did not succeed: ${reason(err)}`);
      }
    },
  };
}

function parseFilter(q: URLSearchParams): SentLogFilter {
  const pick = (name: string): string | undefined => {
    const v = q.get(name);
    return v === null || v === '' ? undefined : v;
  };
  const fromDay = pick('from');
  const toDay = pick('to');
  for (const [name, v] of [['from', fromDay], ['to', toDay]] as const) {
    if (v !== undefined && (!DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))) throw new PrivacyTabApiError('INVALID_REQUEST', `Query parameter \`${name}\` must be a date YYYY-MM-DD, not "${v}".`);
  }
  const kind = pick('kind');
  if (kind !== undefined && kind !== 'batch' && kind !== 'delivery') throw new PrivacyTabApiError('INVALID_REQUEST', 'Query parameter `kind` must be batch or delivery.');
  const category = pick('category');
  return { ...(category === undefined ? {} : { category }), ...(kind === undefined ? {} : { kind }), ...(fromDay === undefined ? {} : { fromDay }), ...(toDay === undefined ? {} : { toDay }) };
}

function intParam(q: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const v = q.get(name);
  if (v === null || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new PrivacyTabApiError('INVALID_REQUEST', `Query parameter \`${name}\` must be an integer from ${min} to ${max}.`);
  return n;
}

function normalizeConsent(value: PrivacyTabConsentEntry | boolean | undefined, fallback: boolean): PrivacyTabConsentEntry {
  if (typeof value === 'boolean') return { granted: value };
  return value ?? { granted: fallback, source: 'default' };
}

function isoOrNull(t: number | string | null | undefined): string | null {
  if (t === null || t === undefined) return null;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function reason(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
  }
  return String(err);
}
