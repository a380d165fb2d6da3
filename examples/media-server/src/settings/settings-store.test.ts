import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MediaServerError } from '../media-server-error.js';
import { createSettingsStore } from './settings-store.js';

const file = () => join(mkdtempSync(join(tmpdir(), 'media-settings-')), 'settings.json');

describe('createSettingsStore', () => {
  it('starts from the defaults, saves changes, and reads them back after a restart', () => {
    const path = file();
    const store = createSettingsStore(path);
    expect(store.get()).toEqual({ webhook: { enabled: false, url: '' } });
    expect(store.update({ webhook: { url: ' https://hub.local/hook ', enabled: true } })).toEqual({ ok: true, settings: { webhook: { url: 'https://hub.local/hook', enabled: true } } });
    expect(createSettingsStore(path).get()).toEqual({ webhook: { url: 'https://hub.local/hook', enabled: true } });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ webhook: { url: 'https://hub.local/hook', enabled: true } });
  });

  it.each([
    [null, 'settings must be a JSON object'],
    [{ colour: 'red' }, 'unknown setting "colour"'],
    [{ webhook: { url: 'ftp://x' } }, 'webhook.url must start with http:// or https://'],
    [{ webhook: { url: 'not a url' } }, 'webhook.url "not a url" is not a URL'],
    [{ webhook: { url: 'https://user:pw@x.example' } }, 'webhook.url must not carry a user name or password'],
    [{ webhook: { enabled: 'yes' } }, 'webhook.enabled must be true or false'],
    [{ webhook: { enabled: true } }, 'set webhook.url before enabling the webhook'],
    [{ webhook: { secret: 'x' } }, 'unknown webhook setting "secret"'],
  ])('refuses %j with a message naming the problem', (patch, message) => {
    const store = createSettingsStore(file());
    expect(store.update(patch)).toEqual({ ok: false, message });
    expect(store.get().webhook.enabled).toBe(false);
  });

  it('refuses to start on a corrupt settings file with a typed error', () => {
    const path = file();
    writeFileSync(path, '{ nope');
    expect(() => createSettingsStore(path)).toThrow(MediaServerError);
  });
});
