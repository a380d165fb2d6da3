import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { MediaServerError } from '../media-server-error.js';

/** The owner's settings of the media server. */
export interface MediaServerSettings {
  /** The webhook the owner configured: play and stop events with their full metadata go to this URL. */
  readonly webhook: WebhookSettings;
}

/** The webhook integration's settings. */
export interface WebhookSettings {
  /** Whether deliveries are made. */
  readonly enabled: boolean;
  /** The destination (http or https), or '' when none is set. */
  readonly url: string;
}

/** The stored settings with a validating update. */
export interface SettingsStore {
  /** The current settings. */
  get(): MediaServerSettings;
  /** Validates and applies a partial change, writes it to disk, and returns the result or the problem. */
  update(patch: unknown): { ok: true; settings: MediaServerSettings } | { ok: false; message: string };
}

const DEFAULTS: MediaServerSettings = { webhook: { enabled: false, url: '' } };

/**
 * Keeps the settings in a JSON file, written atomically (temporary file, then rename) so that a
 * crash mid-write never leaves half a file. A missing file means the defaults.
 */
export function createSettingsStore(file: string): SettingsStore {
  let current = read(file);
  return {
    get: () => current,
    update(patch) {
      const next = applyPatch(current, patch);
      if (typeof next === 'string') return { ok: false, message: next };
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
      renameSync(`${file}.tmp`, file);
      current = next;
      return { ok: true, settings: next };
    },
  };
}

function read(file: string): MediaServerSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return DEFAULTS;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new MediaServerError('settings_unreadable', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const settings = applyPatch(DEFAULTS, parsed);
  if (typeof settings === 'string') throw new MediaServerError('settings_unreadable', `${file}: ${settings}`);
  return settings;
}

/** Applies a patch; a string names the first problem. */
function applyPatch(base: MediaServerSettings, patch: unknown): MediaServerSettings | string {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return 'settings must be a JSON object';
  const { webhook, ...rest } = patch as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) return `unknown setting "${unknown[0]}"`;
  if (webhook === undefined) return base;
  if (typeof webhook !== 'object' || webhook === null) return 'webhook must be an object';
  const { enabled = base.webhook.enabled, url = base.webhook.url, ...extra } = webhook as Record<string, unknown>;
  if (Object.keys(extra).length > 0) return `unknown webhook setting "${Object.keys(extra)[0]}"`;
  if (typeof enabled !== 'boolean') return 'webhook.enabled must be true or false';
  if (typeof url !== 'string') return 'webhook.url must be a string';
  const trimmed = url.trim();
  if (trimmed !== '') {
    if (trimmed.length > 2048) return 'webhook.url is longer than 2048 characters';
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      return `webhook.url "${trimmed.slice(0, 80)}" is not a URL`;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'webhook.url must start with http:// or https://';
    if (parsed.username !== '' || parsed.password !== '') return 'webhook.url must not carry a user name or password';
  }
  if (enabled && trimmed === '') return 'set webhook.url before enabling the webhook';
  return { webhook: { enabled, url: trimmed } };
}
