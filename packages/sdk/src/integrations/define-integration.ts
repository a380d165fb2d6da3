import { randomUUID } from 'node:crypto';
import type { CatalogSpec } from '@candor/catalog';
import type { DropReason } from '@candor/protocol';
import type { SentLogStatus, Telemetry } from '../client/types.js';
import { ConfigError } from '../errors.js';
import { setTimer } from '../util/timers.js';
import { deliverWithRetry, type DeliveryOutcome, type DeliverySend } from './deliver-with-retry.js';
import { createHttpDeliverySend } from './http-delivery-send.js';
import { createIntegrationConsentStore, type IntegrationConsentStore } from './integration-consent-store.js';
import { describeIntegration, INTEGRATION_KINDS, type IntegrationKind } from './integration-disclosure.js';
import { registryOf } from './integration-registry.js';
import type { Integration } from './integration-types.js';
import { reportIntegrationsDaily } from './report-integrations-daily.js';
import { shapeDelivery, type FieldChoice, type IntegrationField } from './shape-delivery.js';
import { SIGNATURE_HEADER, signDelivery, type SigningSecret } from './sign-delivery.js';

/** The declaration of a third-party integration. */
export interface IntegrationSpec {
  /** Stable id: lower case letters, digits and dashes (`home-assistant-webhook`). */
  readonly id: string;
  readonly kind: IntegrationKind;
  /** What the owner calls it ("Home Assistant webhook"). */
  readonly title: string;
  /** What it is for, in plain words. */
  readonly purpose: string;
  /** Where deliveries go: the URL the owner configured. */
  readonly destination: string;
  /** Every field it receives, and why. Nothing else of an event leaves. */
  readonly fields: readonly IntegrationField[];
  /** The key deliveries are signed with, shared with the receiver; required unless `send` is given. At least 16 bytes. */
  readonly secret?: SigningSecret;
  /** Delivers one attempt (speakers, voice assistants and scrobblers speak their own protocols). @default an HTTP POST to `destination` */
  readonly send?: DeliverySend;
  /** Attempts per delivery. @default 5 */
  readonly maxAttempts?: number;
  /** Backoff base between attempts (full jitter). @default 1000 */
  readonly initialBackoffMs?: number;
  /** Longest wait between attempts. @default 60000 */
  readonly maxBackoffMs?: number;
  /** Longest `Retry-After` honoured. @default 600000 */
  readonly maxRetryAfterMs?: number;
  /** Deadline of one HTTP attempt (default `send` only). @default 10000 */
  readonly timeoutMs?: number;
  /** Most deliveries waiting; beyond, the oldest is dropped as `queue_full`. @default 100 */
  readonly maxQueued?: number;
  /** The catalog category that governs every integration. @default 'integrations' */
  readonly category?: string;
}

/** How long after the first integration is declared the day's `integrations.daily` is recorded. */
const DAILY_FIRST_MS = 60_000;
const DAY_MS = 86_400_000;
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const FIELD_NAME = /^[A-Za-z_$][\w$]{0,63}(?:\.[A-Za-z_$][\w$]{0,63}){0,7}$/;
const KNOWN = new Set(['id', 'kind', 'title', 'purpose', 'destination', 'fields', 'secret', 'send', 'maxAttempts', 'initialBackoffMs', 'maxBackoffMs', 'maxRetryAfterMs', 'timeoutMs', 'maxQueued', 'category']);

interface ResolvedSpec {
  readonly id: string;
  readonly kind: IntegrationKind;
  readonly title: string;
  readonly purpose: string;
  readonly destination: string;
  readonly fields: readonly IntegrationField[];
  readonly secret: SigningSecret | null;
  readonly send: DeliverySend;
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxRetryAfterMs: number;
  readonly maxQueued: number;
  readonly category: string;
}

const bad = (id: unknown, message: string): ConfigError => new ConfigError('CONFIG_INVALID_OPTION', `defineIntegration(${typeof id === 'string' ? JSON.stringify(id) : '?'}): ${message}`);

function integer(id: unknown, name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw bad(id, `${name} must be an integer from ${min} to ${max}`);
  return value;
}

function resolveSpec(spec: IntegrationSpec, categories: ReadonlyMap<string, unknown>, now: () => number): ResolvedSpec {
  if (typeof spec !== 'object' || spec === null) throw new ConfigError('CONFIG_INVALID_OPTIONS', 'defineIntegration: the declaration must be an object');
  const { id } = spec;
  for (const key of Object.keys(spec)) if (!KNOWN.has(key)) throw new ConfigError('CONFIG_UNKNOWN_OPTION', `defineIntegration(${JSON.stringify(id)}): unknown option "${key}"`);
  if (typeof id !== 'string' || !ID.test(id)) throw bad(id, 'id must be lower case letters, digits and dashes (at most 64)');
  if (!Object.hasOwn(INTEGRATION_KINDS, spec.kind)) throw bad(id, `kind must be one of ${Object.keys(INTEGRATION_KINDS).join(', ')}`);
  for (const key of ['title', 'purpose'] as const) {
    if (typeof spec[key] !== 'string' || spec[key].trim().length === 0) throw bad(id, `${key} must be a non-empty string: the owner reads it`);
  }
  let url: URL;
  try {
    url = new URL(spec.destination);
  } catch {
    throw bad(id, 'destination must be a URL');
  }
  // Credentials in the URL would be shown in the privacy tab and kept in the sent log.
  if (url.username !== '' || url.password !== '') throw bad(id, 'destination must not carry credentials; use the signing secret');
  if (spec.send !== undefined && typeof spec.send !== 'function') throw bad(id, 'send must be a function');
  if (spec.send === undefined && url.protocol !== 'https:' && url.protocol !== 'http:') throw bad(id, 'destination must be an http(s) URL, or a send function must be given');
  const secret = spec.secret ?? null;
  if (secret === null && spec.send === undefined) throw bad(id, 'a webhook needs a signing secret, so that the receiver can check deliveries');
  if (secret !== null && !(typeof secret === 'string' || secret instanceof Uint8Array)) throw bad(id, 'secret must be a string or bytes');
  if (secret !== null && (typeof secret === 'string' ? Buffer.byteLength(secret) : secret.byteLength) < 16) throw bad(id, 'secret must be at least 16 bytes');
  if (!Array.isArray(spec.fields) || spec.fields.length === 0) throw bad(id, 'fields must list what the integration receives');
  const names = new Set<string>();
  for (const f of spec.fields) {
    if (typeof f?.name !== 'string' || !FIELD_NAME.test(f.name)) throw bad(id, `field name ${JSON.stringify(f?.name)} must be a dotted path of identifiers`);
    if (names.has(f.name)) throw bad(id, `field "${f.name}" is declared twice`);
    names.add(f.name);
    if (typeof f.why !== 'string' || f.why.trim().length === 0) throw bad(id, `field "${f.name}" needs a why: the owner reads it`);
    if (f.generalize !== undefined && (typeof f.generalize?.apply !== 'function' || f.generalize.problems.length > 0)) throw bad(id, `field "${f.name}" has an invalid generalizer`);
    if (f.default !== undefined && !['exact', 'generalized', 'omitted'].includes(f.default)) throw bad(id, `field "${f.name}": default must be exact, generalized or omitted`);
    if (f.default === 'generalized' && f.generalize === undefined) throw bad(id, `field "${f.name}" defaults to generalized but declares no generalizer`);
  }
  for (const n of names) {
    for (const m of names) if (m !== n && m.startsWith(`${n}.`)) throw bad(id, `field "${n}" contains field "${m}": declare one or the other`);
  }
  const category = spec.category ?? 'integrations';
  if (!categories.has(category)) throw new ConfigError('CONFIG_INVALID_CATALOG', `defineIntegration(${JSON.stringify(id)}): the catalog has no "${category}" category to govern integrations`);
  return {
    id,
    kind: spec.kind,
    title: spec.title,
    purpose: spec.purpose,
    destination: spec.destination,
    fields: spec.fields.map((f) => ({ ...f })),
    secret,
    send: spec.send ?? createHttpDeliverySend({ timeoutMs: integer(id, 'timeoutMs', spec.timeoutMs, 10_000, 100, 120_000), now }),
    maxAttempts: integer(id, 'maxAttempts', spec.maxAttempts, 5, 1, 20),
    initialBackoffMs: integer(id, 'initialBackoffMs', spec.initialBackoffMs, 1000, 0, 3_600_000),
    maxBackoffMs: integer(id, 'maxBackoffMs', spec.maxBackoffMs, 60_000, 0, 86_400_000),
    maxRetryAfterMs: integer(id, 'maxRetryAfterMs', spec.maxRetryAfterMs, 600_000, 0, 86_400_000),
    maxQueued: integer(id, 'maxQueued', spec.maxQueued, 100, 1, 100_000),
    category,
  };
}

interface Job {
  readonly deliveryId: string;
  readonly body: string;
  readonly fields: string;
}

const SENT_LOG_STATUS: Record<DeliveryOutcome['status'], SentLogStatus> = { delivered: 'delivered', rejected: 'rejected', failed: 'failed', stopped: 'superseded' };

/**
 * Declares a third-party integration (a webhook, a speaker, a voice assistant, a scrobbler):
 * its destination and every field it receives, with why. A delivery leaves only while the
 * integrations category and this integration's own consent are both on; it carries only the
 * declared fields, each exact, generalized with a catalog generalizer, or left out, as the
 * owner chose; it is signed (HMAC-SHA256 over `${timestamp}.${body}` in `Candor-Signature`),
 * retried with backoff, and recorded byte for byte in the sent log. Throws only
 * {@link ConfigError}, for a bad declaration.
 * @example
 * const hook = defineIntegration(telemetry, {
 *   id: 'home-assistant', kind: 'webhook', title: 'Home Assistant', purpose: 'Dim the lights when a film starts.',
 *   destination: 'https://ha.example.org/api/webhook/media', secret: process.env.WEBHOOK_SECRET,
 *   fields: [{ name: 'event', why: 'to know whether playback started or stopped' }],
 * });
 * hook.deliver({ event: 'media.play' });
 */
export function defineIntegration<S extends CatalogSpec>(client: Telemetry<S>, spec: IntegrationSpec): Integration {
  const ext = client.extensions;
  const o = resolveSpec(spec, ext.catalog.categories, () => ext.now());
  const registry = registryOf(client);
  if (registry.integrations.has(o.id)) throw bad(o.id, 'an integration with this id is already declared on this client');
  const store: IntegrationConsentStore = getStore(client);
  const fieldsByName = new Map(o.fields.map((f) => [f.name, f]));

  const queue: Job[] = [];
  const dropped: Partial<Record<DropReason, number>> = {};
  const drop = (reason: DropReason, n = 1): void => {
    dropped[reason] = (dropped[reason] ?? 0) + n;
  };
  let delivered = 0;
  let rejected = 0;
  let failed = 0;
  let attempts = 0;
  let refusedFields = 0;
  let inFlight = false;
  let closed = false;
  let controller = new AbortController();
  let idle: (() => void)[] = [];

  const granted = (): boolean => store.get(o.id).granted;
  const isActive = (): boolean => !closed && ext.isConsented(o.category) && granted();
  const choiceOf = (name: string): FieldChoice => {
    const field = fieldsByName.get(name);
    const chosen = store.get(o.id).fields[name];
    if (chosen === 'generalized' && field?.generalize === undefined) return 'exact';
    return chosen ?? field?.default ?? 'exact';
  };

  /** Stops whatever waits or is in flight, and empties the queue. */
  function purge(reason: DropReason): void {
    if (queue.length > 0) drop(reason, queue.length);
    queue.length = 0;
    controller.abort();
    controller = new AbortController();
  }

  const headersFor = (job: Job): Record<string, string> => {
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'candor-sdk',
      'candor-delivery': job.deliveryId,
      'candor-integration': o.id,
    };
    // Signed per attempt, with the attempt's time: receivers refuse old timestamps.
    if (o.secret !== null) headers[SIGNATURE_HEADER.toLowerCase()] = signDelivery(o.secret, job.body, Math.floor(ext.now() / 1000));
    return headers;
  };

  async function run(job: Job): Promise<void> {
    let logId: number | null = null;
    const outcome = await deliverWithRetry({
      send: o.send,
      destination: o.destination,
      body: job.body,
      headers: () => headersFor(job),
      maxAttempts: o.maxAttempts,
      initialBackoffMs: o.initialBackoffMs,
      maxBackoffMs: o.maxBackoffMs,
      maxRetryAfterMs: o.maxRetryAfterMs,
      random: ext.random,
      mayContinue: isActive,
      signal: controller.signal,
      onAttempt(attempt) {
        attempts++;
        // The sent log gets the exact bytes once, when they first leave.
        if (attempt === 1) {
          logId = ext.appendSentLog({ kind: 'delivery', categories: [o.category], eventCount: 1, status: 'pending', body: job.body, destination: o.destination, detail: job.fields });
        }
      },
    });
    if (outcome.status === 'delivered') delivered++;
    else if (outcome.status === 'rejected') rejected++;
    else if (outcome.status === 'failed') {
      failed++;
      drop('send_failed');
    } else drop(closed ? 'shutdown' : 'purged');
    if (logId !== null) {
      const answer = outcome.status === 'delivered' ? `HTTP ${outcome.httpStatus}` : outcome.status === 'stopped' ? 'stopped: consent withdrawn' : outcome.error.code;
      ext.updateSentLog(logId, SENT_LOG_STATUS[outcome.status], `${job.fields}; ${outcome.attempts} attempt(s); ${answer}`);
    }
  }

  function pump(): void {
    if (inFlight) return;
    inFlight = true;
    void (async () => {
      try {
        for (let job = queue.shift(); job !== undefined; job = queue.shift()) await run(job);
      } catch (err) {
        ext.warn('INTEGRATION_DELIVERY_ERROR', `integration "${o.id}": ${(err as Error).message}`);
      } finally {
        inFlight = false;
        const waiting = idle;
        idle = [];
        for (const resolve of waiting) resolve();
      }
    })();
  }

  const unsubscribe = ext.onConsentChange((state) => {
    if (state.category === o.category && !state.granted) purge('purged');
  });

  const integration: Integration = {
    id: o.id,
    kind: o.kind,
    title: o.title,
    destination: o.destination,

    deliver(event) {
      try {
        if (!isActive()) {
          drop('consent_denied');
          return 'consent_denied';
        }
        if (typeof event !== 'object' || event === null || Array.isArray(event)) {
          drop('invalid_event');
          return 'invalid_event';
        }
        const shaped = shapeDelivery(o.fields, choiceOf, event);
        refusedFields += shaped.refused.length;
        const fields = `${o.kind} "${o.id}": ${shaped.sent.map((s) => (s.choice === 'exact' ? s.name : `${s.name} (generalized)`)).join(', ') || 'no fields'}`;
        if (queue.length >= o.maxQueued) {
          queue.shift();
          drop('queue_full');
        }
        queue.push({ deliveryId: randomUUID(), body: JSON.stringify(shaped.payload), fields });
        pump();
        return 'queued';
      } catch {
        drop('invalid_event');
        return 'invalid_event';
      }
    },

    isActive,

    consent: {
      granted,
      set(on) {
        store.setGranted(o.id, on === true, ext.now());
        if (on !== true) purge('purged');
      },
    },

    fieldChoice: (name) => (fieldsByName.has(name) ? choiceOf(name) : undefined),

    setFieldChoice(name, choice) {
      const field = fieldsByName.get(name);
      if (field === undefined || !['exact', 'generalized', 'omitted'].includes(choice)) return false;
      if (choice === 'generalized' && field.generalize === undefined) return false;
      store.setField(o.id, name, choice, ext.now());
      return true;
    },

    disclosure: () =>
      describeIntegration({
        id: o.id,
        kind: o.kind,
        title: o.title,
        purpose: o.purpose,
        destination: o.destination,
        fields: o.fields,
        signed: o.secret !== null,
        granted: granted(),
        categoryGranted: ext.isConsented(o.category),
        decidedAt: store.get(o.id).decidedAt,
        choiceOf,
      }),

    flush() {
      if (!inFlight && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },

    stats: () => ({ queued: queue.length + (inFlight ? 1 : 0), delivered, rejected, failed, attempts, dropped: { ...dropped }, refusedFields }),

    close() {
      if (closed) return;
      closed = true;
      purge('shutdown');
      unsubscribe();
      registry.integrations.delete(o.id);
    },
  };

  registry.integrations.set(o.id, integration);
  if (!registry.dailyTimerStarted) {
    registry.dailyTimerStarted = true;
    const daily = (): void => {
      reportIntegrationsDaily(client);
      setTimer(daily, DAY_MS);
    };
    setTimer(daily, DAILY_FIRST_MS);
  }
  return integration;
}

const stores = new WeakMap<object, IntegrationConsentStore>();

/** One consent store per client: every integration of an install shares `integrations.json`. */
function getStore<S extends CatalogSpec>(client: Telemetry<S>): IntegrationConsentStore {
  let store = stores.get(client);
  if (store === undefined) {
    const ext = client.extensions;
    store = createIntegrationConsentStore(ext.dataDir, (code, message) => ext.warn(code, message));
    stores.set(client, store);
  }
  return store;
}
