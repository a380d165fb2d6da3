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
  void showWebhook(csrf);
  byId<HTMLFormElement>('webhook-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const out = byId('webhook-status');
    fetchJson('/api/settings', { method: 'PUT', headers: csrf, body: JSON.stringify({ webhook: { url: url.value, enabled: enabled.checked } }) })
      .then(() => {
        out.textContent = 'Saved.';
        out.className = 'muted';
        void showWebhook(csrf);
      })
      .catch((error: unknown) => {
        out.textContent = (error as Error).message;
        out.className = 'error';
      });
  });

  void mountPrivacyTab();
  void showDemo(csrf);

  byId('logout').addEventListener('click', () => {
    void fetchJson('/api/logout', { method: 'POST', headers: csrf }).finally(() => location.assign('/'));
  });
}

interface WebhookAnswer {
  url: string;
  enabled: boolean;
  categoryOn: boolean;
  active: boolean;
  secret: string;
  fields: { name: string; why: string; choice: string; options: { choice: string; sends: string }[] }[];
}

async function showWebhook(csrf: Record<string, string>): Promise<void> {
  let hook: WebhookAnswer;
  try {
    hook = await fetchJson<WebhookAnswer>('/api/webhook');
  } catch {
    return;
  }
  const state = byId('webhook-state');
  state.textContent =
    hook.url === ''
      ? 'No webhook is set.'
      : hook.active
        ? `Sending play and stop events to ${hook.url}.`
        : !hook.enabled
          ? 'Off: nothing is sent.'
          : 'Not sending yet: turn on "Third-party integrations" in the privacy tab below. Both switches must be on.';
  state.dataset['active'] = String(hook.active);
  byId('webhook-details').hidden = hook.url === '';
  byId('webhook-secret').textContent = hook.secret;
  const rows = hook.fields.map((field) => {
    const select = el('select', { 'aria-label': `What to send for ${field.name}` }, ...field.options.map((o) => el('option', { value: o.choice }, o.sends)));
    select.value = field.choice;
    select.addEventListener('change', () => {
      void fetchJson('/api/webhook/fields', { method: 'PUT', headers: csrf, body: JSON.stringify({ name: field.name, choice: select.value }) });
    });
    return el('tr', {}, el('th', { scope: 'row' }, el('code', {}, field.name)), el('td', {}, field.why), el('td', {}, select));
  });
  byId('webhook-fields').querySelector('tbody')?.replaceChildren(...rows);
}

// The privacy tab is Candor's custom element, served by the tab's own handler at /privacy.
async function mountPrivacyTab(): Promise<void> {
  const status = byId('privacy-status');
  const probe = await fetch('/privacy/api/session', { headers: { accept: 'application/json' } }).catch(() => null);
  if (probe === null || !probe.ok) {
    status.textContent = probe?.status === 404 ? 'Telemetry is not set up on this server, so there is no privacy tab.' : 'The privacy tab could not be loaded.';
    return;
  }
  const tab = document.createElement('candor-privacy-tab');
  tab.setAttribute('api', '/privacy/api');
  byId('privacy-slot').append(tab);
  // A module import, not a <script> element: the page's Trusted Types policy forbids setting script URLs.
  const elementUrl = '/privacy/assets/candor-privacy-tab.js';
  await import(elementUrl);
}

async function showDemo(csrf: Record<string, string>): Promise<void> {
  let demo: { telemetryDay: string; realDay: string; held: number };
  try {
    demo = await fetchJson('/api/demo');
  } catch {
    return;
  }
  const render = (d: { telemetryDay: string; held?: number }) => {
    byId('demo-day').textContent = d.telemetryDay;
    if (d.held !== undefined) byId('demo-held').textContent = String(d.held);
  };
  render(demo);
  byId('demo').hidden = false;
  byId('demo-end-day').addEventListener('click', () => {
    const out = byId('demo-status');
    out.textContent = 'Ending the day and sending…';
    fetchJson<{ ended: string; telemetryDay: string; delivered: number }>('/api/demo/end-day', { method: 'POST', headers: csrf })
      .then((r) => {
        render({ telemetryDay: r.telemetryDay, held: 0 });
        out.textContent = `Day ${r.ended} ended: ${r.delivered} events delivered. Reload the sent log below to see them.`;
        out.dataset['state'] = 'ended';
      })
      .catch((error: unknown) => {
        out.textContent = (error as Error).message;
      });
  });
}

function showLibrary(answer: SettingsAnswer): void {
  byId('folders').append(...answer.folders.map((f) => el('li', {}, el('code', {}, f))), ...answer.problems.map((p) => el('li', { class: 'error' }, `${p.folder}: ${p.message}`)));
  const { movie = 0, episode = 0, track = 0 } = answer.counts;
  byId('library-counts').textContent = `${movie} movies, ${episode} episodes, ${track} tracks.`;
}

void main();
