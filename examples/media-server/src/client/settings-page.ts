import { announceSession, byId, el, fetchJson } from './dom.js';

interface SettingsAnswer {
  settings: { webhook: { enabled: boolean; url: string } };
  csrfToken: string;
  folders: string[];
  problems: { folder: string; message: string }[];
  counts: Record<string, number>;
}

async function main(): Promise<void> {
  announceSession();
  const status = byId('settings-status');
  let answer: SettingsAnswer;
  try {
    answer = await fetchJson<SettingsAnswer>('/api/settings');
  } catch (error) {
    if ((error as { status?: number }).status === 401) {
      location.assign('/login');
      return;
    }
    status.textContent = `The settings could not be loaded: ${(error as Error).message}`;
    return;
  }
  const csrf = { 'x-csrf-token': answer.csrfToken };
  byId('settings').hidden = false;
  showLibrary(answer);

  byId('rescan').addEventListener('click', () => {
    const out = byId('rescan-status');
    out.textContent = 'Scanning…';
    fetchJson<{ items: number; probed: number }>('/api/library/scan', { method: 'POST', headers: csrf })
      .then((r) => {
        out.textContent = `${r.items} items (${r.probed} new or changed).`;
      })
      .catch((error: unknown) => {
        out.textContent = `The scan failed: ${(error as Error).message}`;
      });
  });

  const url = byId<HTMLInputElement>('webhook-url');
  const enabled = byId<HTMLInputElement>('webhook-enabled');
  url.value = answer.settings.webhook.url;
  enabled.checked = answer.settings.webhook.enabled;
  byId<HTMLFormElement>('webhook-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const out = byId('webhook-status');
    fetchJson('/api/settings', { method: 'PUT', headers: csrf, body: JSON.stringify({ webhook: { url: url.value, enabled: enabled.checked } }) })
      .then(() => {
        out.textContent = 'Saved.';
        out.className = 'muted';
      })
      .catch((error: unknown) => {
        out.textContent = (error as Error).message;
        out.className = 'error';
      });
  });

  byId('logout').addEventListener('click', () => {
    void fetchJson('/api/logout', { method: 'POST', headers: csrf }).finally(() => location.assign('/'));
  });
}

function showLibrary(answer: SettingsAnswer): void {
  byId('folders').append(...answer.folders.map((f) => el('li', {}, el('code', {}, f))), ...answer.problems.map((p) => el('li', { class: 'error' }, `${p.folder}: ${p.message}`)));
  const { movie = 0, episode = 0, track = 0 } = answer.counts;
  byId('library-counts').textContent = `${movie} movies, ${episode} episodes, ${track} tracks.`;
}

void main();
