import { buckets, enumeration, round, type CatalogSpec } from '@candor/catalog';
import type { Telemetry } from '../client/types.js';
import { defineIntegration, type IntegrationSpec } from './define-integration.js';
import type { DeliverResult, Integration } from './integration-types.js';
import type { IntegrationField } from './shape-delivery.js';

/** A playback event as a media server knows it: who, where, on what, playing what. */
export interface PlaybackWebhookEvent {
  readonly event: 'play' | 'pause' | 'resume' | 'stop';
  readonly account: { readonly id?: number; readonly title: string; readonly thumb?: string; readonly owner?: boolean };
  readonly server: { readonly title: string; readonly uuid: string };
  readonly player: { readonly title: string; readonly uuid: string; readonly local: boolean; readonly publicAddress?: string };
  readonly metadata: {
    readonly type: 'movie' | 'episode' | 'track' | 'clip' | 'photo';
    readonly title: string;
    readonly librarySectionType?: 'movie' | 'show' | 'artist' | 'photo';
    readonly librarySectionTitle?: string;
    /** The show, or the artist. */
    readonly grandparentTitle?: string;
    /** The season, or the album. */
    readonly parentTitle?: string;
    /** The episode or track number. */
    readonly index?: number;
    /** The season or disc number. */
    readonly parentIndex?: number;
    readonly year?: number;
    readonly summary?: string;
    readonly ratingKey?: string;
    readonly guid?: string;
    readonly thumb?: string;
    readonly durationMs?: number;
    readonly viewOffsetMs?: number;
  };
}

/** The JSON body of a delivery, shaped as Plex webhooks are (`event`, `Account`, `Server`, `Player`, `Metadata`). */
export interface PlexStyleWebhookPayload {
  readonly event: `media.${PlaybackWebhookEvent['event']}`;
  readonly user: boolean;
  readonly owner: boolean;
  readonly Account: { readonly id?: number; readonly thumb?: string; readonly title: string };
  readonly Server: { readonly title: string; readonly uuid: string };
  readonly Player: { readonly local: boolean; readonly publicAddress?: string; readonly title: string; readonly uuid: string };
  readonly Metadata: Record<string, string | number | undefined>;
}

/**
 * Turns a playback event into the payload that Plex webhook receivers (home automations,
 * dashboards, scrobblers) already parse. What actually leaves is then cut down to the
 * declared fields, as the owner chose.
 */
export function plexStyleWebhookPayload(e: PlaybackWebhookEvent): PlexStyleWebhookPayload {
  const m = e.metadata;
  return {
    event: `media.${e.event}`,
    user: true,
    owner: e.account.owner ?? true,
    Account: { id: e.account.id, thumb: e.account.thumb, title: e.account.title },
    Server: { title: e.server.title, uuid: e.server.uuid },
    Player: { local: e.player.local, publicAddress: e.player.publicAddress, title: e.player.title, uuid: e.player.uuid },
    Metadata: {
      librarySectionType: m.librarySectionType,
      ratingKey: m.ratingKey,
      key: m.ratingKey === undefined ? undefined : `/library/metadata/${m.ratingKey}`,
      guid: m.guid,
      librarySectionTitle: m.librarySectionTitle,
      type: m.type,
      title: m.title,
      grandparentTitle: m.grandparentTitle,
      parentTitle: m.parentTitle,
      summary: m.summary,
      index: m.index,
      parentIndex: m.parentIndex,
      year: m.year,
      thumb: m.thumb,
      duration: m.durationMs,
      viewOffset: m.viewOffsetMs,
    },
  };
}

const MIN = 60_000;
// Playback lengths and positions in broad ranges (Plex sends milliseconds).
const lengthRanges = () => buckets({ edges: [5 * MIN, 30 * MIN, 60 * MIN, 120 * MIN], labels: ['under 5 min', '5–30 min', '30–60 min', '1–2 h', 'over 2 h'], max: 7 * 24 * 60 * MIN });

/**
 * The fields of the reference playback webhook, each with why the receiver needs it and,
 * where one fits, the catalog generalizer the owner may choose instead of the exact value.
 * The player's public address is off by default: a home automation rarely needs it, and it
 * locates the viewer.
 */
export const PLEX_STYLE_WEBHOOK_FIELDS: readonly IntegrationField[] = [
  { name: 'event', why: 'to tell play, pause, resume and stop apart' },
  { name: 'user', why: 'receivers written for Plex expect it' },
  { name: 'owner', why: 'to tell the server owner from other accounts' },
  { name: 'Account.id', why: 'to tell accounts apart' },
  { name: 'Account.title', why: 'to show or react to who is watching' },
  { name: 'Account.thumb', why: "to show the account's picture" },
  { name: 'Server.title', why: 'to tell servers apart when several send to the same receiver' },
  { name: 'Server.uuid', why: 'to tell servers apart reliably' },
  { name: 'Player.local', why: 'to react only to players at home (dim the lights, say)' },
  { name: 'Player.publicAddress', why: 'to tell where a remote player is', default: 'omitted' },
  { name: 'Player.title', why: 'to react to one device (the living-room TV, say)' },
  { name: 'Player.uuid', why: 'to tell devices apart reliably' },
  { name: 'Metadata.type', why: 'to react differently to films, episodes and music', generalize: enumeration({ values: ['movie', 'episode', 'track', 'clip', 'photo'] }) },
  { name: 'Metadata.librarySectionType', why: 'to know which kind of library it came from' },
  { name: 'Metadata.librarySectionTitle', why: 'to know which library it came from' },
  { name: 'Metadata.title', why: 'to show or log what is playing' },
  { name: 'Metadata.grandparentTitle', why: 'to show the show or the artist' },
  { name: 'Metadata.parentTitle', why: 'to show the season or the album' },
  { name: 'Metadata.index', why: 'to show the episode or track number' },
  { name: 'Metadata.parentIndex', why: 'to show the season or disc number' },
  { name: 'Metadata.year', why: 'to show when it was released', generalize: round({ step: 10, min: 1800, max: 2200 }) },
  { name: 'Metadata.summary', why: 'to show a description of it' },
  { name: 'Metadata.ratingKey', why: "to look it up on the server's own API" },
  { name: 'Metadata.key', why: "to look it up on the server's own API" },
  { name: 'Metadata.guid', why: 'to match it against online databases (what a scrobbler does)' },
  { name: 'Metadata.thumb', why: 'to show its poster' },
  { name: 'Metadata.duration', why: 'to know how long it is', generalize: lengthRanges() },
  { name: 'Metadata.viewOffset', why: 'to know where playback is', generalize: lengthRanges() },
];

/** Options of {@link definePlexStyleWebhook}. */
export type PlexStyleWebhookOptions = Partial<Omit<IntegrationSpec, 'kind' | 'fields' | 'destination' | 'secret'>> & Pick<IntegrationSpec, 'destination' | 'secret'>;

/** The reference playback webhook. */
export interface PlaybackWebhook extends Integration {
  /** Shapes a playback event as Plex does and delivers it (see {@link Integration.deliver}). */
  deliverPlayback(event: PlaybackWebhookEvent): DeliverResult;
}

/**
 * The reference integration: a webhook that sends play, pause, resume and stop events with
 * full metadata to a URL the owner configured, shaped like Plex's webhook payloads, as JSON,
 * signed. Every field is declared with why; the owner can choose, per field, to send it
 * exact, generalized (year, length, position) or not at all.
 * @example
 * const hook = definePlexStyleWebhook(telemetry, { destination: 'https://ha.example.org/api/webhook/plex', secret });
 * hook.consent.set(true); // after the owner turned it on
 * hook.deliverPlayback({ event: 'play', account: { title: 'alice' }, server, player, metadata });
 */
export function definePlexStyleWebhook<S extends CatalogSpec>(client: Telemetry<S>, options: PlexStyleWebhookOptions): PlaybackWebhook {
  const integration = defineIntegration(client, {
    id: 'playback-webhook',
    title: 'Playback webhook',
    purpose: 'Tells a receiver you chose when playback starts, pauses, resumes or stops, and what is playing, in the shape Plex webhook receivers already parse.',
    ...options,
    kind: 'webhook',
    fields: PLEX_STYLE_WEBHOOK_FIELDS,
  });
  return Object.assign(integration, { deliverPlayback: (event: PlaybackWebhookEvent) => integration.deliver(plexStyleWebhookPayload(event)) });
}
