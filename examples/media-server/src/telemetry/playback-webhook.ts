import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MediaServerCatalog } from '@candor/catalog/media-server';
import { definePlexStyleWebhook, type FieldChoice, type IntegrationDisclosure, type PlaybackWebhook, type PlaybackWebhookEvent, type Telemetry } from '@candor/sdk';
import type { LibraryItem } from '../library/create-library.js';
import type { Playback } from '../playback/playback-tracker.js';
import type { SettingsStore, WebhookSettings } from '../settings/settings-store.js';

/** What the settings page shows about the webhook. */
export interface WebhookStatus {
  readonly url: string;
  /** Whether the owner turned it on (the integration's own consent). */
  readonly enabled: boolean;
  /** Whether the third-party integrations category is on (in the privacy tab). */
  readonly categoryOn: boolean;
  /** Whether deliveries leave now. */
  readonly active: boolean;
  /** The signing secret the receiver checks `X-Candor-Signature` with. */
  readonly secret: string;
  /** Each field, what the owner chose, and the choices. */
  readonly fields: IntegrationDisclosure['fields'];
}

/** The owner's playback webhook. */
export interface PlaybackWebhookManager {
  /** Applies the owner's webhook settings: (re)declares the integration for the URL and sets its consent. */
  apply(settings: WebhookSettings): void;
  /** Sends a play or stop event with the item's full metadata, when the owner allowed it. */
  deliver(event: 'play' | 'stop', playback: Playback): void;
  /** Sets what is sent for one field; false for an unknown field or choice. */
  setFieldChoice(name: string, choice: string): boolean;
  /** The integration, for the privacy tab (which can switch it); empty without a URL. */
  integrations(): readonly PlaybackWebhook[];
  status(): WebhookStatus;
  /** Whether an integration was ever declared in this process (the SDK then reports integrations.daily itself). */
  declared(): boolean;
  /** Waits for deliveries in flight, then stops. */
  close(): Promise<void>;
}

/** Options of {@link createPlaybackWebhook}. */
export interface PlaybackWebhookOptions {
  readonly telemetry: Telemetry<MediaServerCatalog>;
  /**
   * The client the integration is declared on. The demo passes one whose clock is the real one
   * ({@link withRealClock}): receivers check signature timestamps against their wall clock.
   * @default telemetry
   */
  readonly integrationClient?: Telemetry<MediaServerCatalog>;
  /** The settings, kept in step when the owner switches the webhook in the privacy tab. */
  readonly settings: SettingsStore;
  /** Where the signing secret is kept (created on first use, owner-only). */
  readonly secretFile: string;
}

const CHOICES = new Set<FieldChoice>(['exact', 'generalized', 'omitted']);

/**
 * The webhook the owner configures on the settings page: the SDK's Plex-style playback webhook
 * (declared fields, signed, retried, in the sent log, disclosed in the privacy tab), pointed at
 * the owner's URL. Deliveries need both the owner's switch and the third-party integrations
 * category.
 */
export function createPlaybackWebhook(options: PlaybackWebhookOptions): PlaybackWebhookManager {
  const { telemetry, settings } = options;
  const secret = readOrCreateSecret(options.secretFile);
  const server = { title: hostname().slice(0, 64), uuid: createHash('sha256').update(`server:${secret}`).digest('hex').slice(0, 40) };
  let hook: PlaybackWebhook | null = null;
  let everDeclared = false;

  const apply = (webhook: WebhookSettings): void => {
    if (hook !== null && hook.destination !== webhook.url) {
      hook.close();
      hook = null;
    }
    if (hook === null && webhook.url !== '') {
      hook = definePlexStyleWebhook(options.integrationClient ?? telemetry, { destination: webhook.url, secret, title: 'Playback webhook', purpose: 'Tells the URL you configured when playback starts and stops, and what is playing, in the shape Plex webhook receivers already parse.' });
      everDeclared = true;
    }
    if (hook !== null && hook.consent.granted() !== webhook.enabled) hook.consent.set(webhook.enabled);
  };
  apply(settings.get().webhook);

  // The privacy tab switches the integration through this handle, so the settings follow.
  const switchable = (h: PlaybackWebhook): PlaybackWebhook =>
    Object.assign(Object.create(h) as PlaybackWebhook, {
      consent: {
        granted: () => h.consent.granted(),
        set(granted: boolean) {
          h.consent.set(granted);
          settings.update({ webhook: { enabled: granted } });
        },
      },
    });

  return {
    apply,
    deliver(event, playback) {
      hook?.deliverPlayback(webhookEvent(event, playback, server));
    },
    setFieldChoice(name, choice) {
      return hook !== null && CHOICES.has(choice as FieldChoice) && hook.setFieldChoice(name, choice as FieldChoice);
    },
    integrations: () => (hook === null ? [] : [switchable(hook)]),
    status() {
      const d = hook?.disclosure();
      return {
        url: settings.get().webhook.url,
        enabled: d?.granted ?? false,
        categoryOn: telemetry.consent.isGranted('integrations'),
        active: d?.active ?? false,
        secret,
        fields: d?.fields ?? [],
      };
    },
    declared: () => everDeclared,
    async close() {
      if (hook === null) return;
      await hook.flush();
      hook.close();
    },
  };
}

/**
 * The same client with the real clock for its extensions. The demo's telemetry clock runs a day
 * behind (see DemoClock); a webhook signed with that time would be refused by any receiver as
 * stale, and its sent-log entries would be dated a day early.
 */
export function withRealClock(client: Telemetry<MediaServerCatalog>): Telemetry<MediaServerCatalog> {
  const base = client.extensions;
  const extensions: typeof base = { ...base, now: () => Date.now(), appendSentLog: (entry) => base.appendSentLog({ sentAtMs: Date.now(), ...entry }) };
  return Object.assign(Object.create(client) as Telemetry<MediaServerCatalog>, { extensions });
}

const YEAR = /\((\d{4})\)/;
const EPISODE = /^(.*?)[\s._-]*S(\d{1,3})E(\d{1,4})\b/i;

/** A playback as the Plex-style webhook describes it: everything the server knows, for the owner's own receiver. */
export function webhookEvent(event: 'play' | 'stop', playback: Playback, server: { title: string; uuid: string }): PlaybackWebhookEvent {
  const { item, client } = playback;
  return {
    event,
    // This server has no user accounts: whoever uses its web UI is the owner's household.
    account: { id: 1, title: 'owner', owner: true },
    server,
    player: { title: `Web browser (${client.deviceType})`, uuid: createHash('sha256').update(`${server.uuid}:${client.deviceType}`).digest('hex').slice(0, 24), local: client.local ?? true },
    metadata: { ...describeItem(item), ratingKey: item.id, ...(item.info?.durationSeconds != null && { durationMs: Math.round(item.info.durationSeconds * 1000) }), viewOffsetMs: Math.round(playback.positionSeconds * 1000) },
  };
}

function describeItem(item: LibraryItem): PlaybackWebhookEvent['metadata'] {
  const section = item.relativePath.split('/')[0] ?? '';
  const tags = item.info?.tags ?? {};
  if (item.mediaType === 'track') {
    return { type: 'track', title: item.title, librarySectionType: 'artist', librarySectionTitle: section, ...(tags.artist !== undefined && { grandparentTitle: tags.artist }), ...(tags.album !== undefined && { parentTitle: tags.album }), ...(tags.track !== undefined && { index: tags.track }) };
  }
  const year = YEAR.exec(item.title)?.[1];
  if (item.mediaType === 'episode') {
    const m = EPISODE.exec(item.title);
    return { type: 'episode', title: item.title, librarySectionType: 'show', librarySectionTitle: section, ...(m !== null && { grandparentTitle: m[1]!.trim(), parentIndex: Number(m[2]), index: Number(m[3]) }) };
  }
  return { type: 'movie', title: item.title.replace(YEAR, '').trim(), librarySectionType: 'movie', librarySectionTitle: section, ...(year !== undefined && { year: Number(year) }) };
}

function readOrCreateSecret(file: string): string {
  try {
    const s = readFileSync(file, 'utf8').trim();
    if (s.length >= 32) return s;
  } catch {
    // Created below on first use.
  }
  const s = randomBytes(24).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${s}\n`, { mode: 0o600 });
  return s;
}
