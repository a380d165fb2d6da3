import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defineCatalog } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { createPrivacyTabHandler, CSRF_HEADER, PrivacyTabConfigError } from '../src/index.js';
import type { PrivacyTabAuthorization, PrivacyTabOptions } from '../src/index.js';
import { builtAssetsDir } from './support/assets.js';
import { batchEntry, createFakeClient } from './support/fake-client.js';
import type { FakeClient } from './support/fake-client.js';
import { cookieFrom, serve } from './support/serve.js';
import type { Served } from './support/serve.js';

let assetsDir: string;
beforeAll(async () => {
  assetsDir = await builtAssetsDir();
});

let served: Served | null = null;
afterEach(async () => {
  await served?.close();
  served = null;
});

async function start(client: FakeClient, extra: Partial<PrivacyTabOptions> = {}, admin: () => PrivacyTabAuthorization = () => ({ id: 'admin-1' })): Promise<string> {
  const tab = createPrivacyTabHandler({ client, authorize: (req) => (req.headers.authorization === 'Bearer admin' ? admin() : false), assetsDir, ...extra });
  served = await serve((req, res) => tab(req, res));
  return served.url;
}

const ADMIN = { authorization: 'Bearer admin' };

async function session(url: string, headers: Record<string, string> = ADMIN): Promise<{ token: string; cookie: string }> {
  const res = await fetch(`${url}/privacy/api/session`, { headers });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { csrfToken: string };
  return { token: body.csrfToken, cookie: cookieFrom(res) };
}

function post(url: string, path: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(`${url}/privacy/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

describe('configuration', () => {
  it('throws a typed error naming each missing or bad option', () => {
    const client = createFakeClient();
    const code = (fn: () => unknown): string => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(PrivacyTabConfigError);
        return (err as PrivacyTabConfigError).code;
      }
      throw new Error('did not throw');
    };
    expect(code(() => createPrivacyTabHandler({ authorize: () => true, assetsDir } as unknown as PrivacyTabOptions))).toBe('PRIVACY_TAB_MISSING_CLIENT');
    expect(code(() => createPrivacyTabHandler({ client, assetsDir } as unknown as PrivacyTabOptions))).toBe('PRIVACY_TAB_MISSING_AUTHORIZE');
    expect(code(() => createPrivacyTabHandler({ client, authorize: () => true, assetsDir, basePath: 'privacy' }))).toBe('PRIVACY_TAB_INVALID_OPTION');
    expect(code(() => createPrivacyTabHandler({ client, authorize: () => true, assetsDir, basePath: '/a/../b' }))).toBe('PRIVACY_TAB_INVALID_OPTION');
    expect(code(() => createPrivacyTabHandler({ client, authorize: () => true, assetsDir, csrfSecret: 'short' }))).toBe('PRIVACY_TAB_INVALID_OPTION');
  });

  it('refuses to start without the built element', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'candor-web-empty-'));
    expect(() => createPrivacyTabHandler({ client: createFakeClient(), authorize: () => true, assetsDir: empty })).toThrow(/candor-privacy-tab\.js.*npm run build/);
  });
});

describe('page and assets', () => {
  it('serves the page with a strict CSP, no inline script or style, and clickjacking protection', async () => {
    const url = await start(createFakeClient());
    const res = await fetch(`${url}/privacy/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).toContain('<candor-privacy-tab api="/privacy/api"');
    for (const script of html.match(/<script[^>]*>/g) ?? []) expect(script).toMatch(/src="\/privacy\/assets\//);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it('passes a light or dark theme from the query to the page, and nothing else', async () => {
    const url = await start(createFakeClient());
    expect(await (await fetch(`${url}/privacy/?theme=dark`)).text()).toMatch(/<html lang="en" data-theme="dark">[\s\S]*theme="dark"/);
    const odd = await (await fetch(`${url}/privacy/?theme=%22%3E%3Cscript%3E`)).text();
    expect(odd).not.toContain('data-theme');
    expect(odd).not.toContain('"><script>');
  });

  it('serves the element with an ETag and answers 304 to a matching If-None-Match', async () => {
    const url = await start(createFakeClient());
    const res = await fetch(`${url}/privacy/assets/candor-privacy-tab.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await res.text()).toContain('candor-privacy-tab');
    const again = await fetch(`${url}/privacy/assets/candor-privacy-tab.js`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('answers 404 and 405 in the API error shape', async () => {
    const url = await start(createFakeClient());
    const missing = await fetch(`${url}/privacy/api/nope`, { headers: ADMIN });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    const wrong = await fetch(`${url}/privacy/api/delete`, { headers: ADMIN });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect((await fetch(`${url}/elsewhere`)).status).toBe(404);
  });
});

describe('admin and CSRF', () => {
  it('refuses every API request without the admin session, and fails closed when the check throws', async () => {
    const client = createFakeClient();
    const url = await start(client);
    for (const path of ['catalog', 'consent', 'sent', 'export', 'dropped', 'integrations', 'session']) {
      const res = await fetch(`${url}/privacy/api/${path}`);
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    }
    const { token, cookie } = await session(url);
    const res = await post(url, 'consent', { category: 'playback', on: false }, { cookie, [CSRF_HEADER]: token });
    expect(res.status).toBe(401);
    await served!.close();
    served = null;
    const throwing = await start(client, {}, () => {
      throw new Error('session store down');
    });
    expect((await fetch(`${throwing}/privacy/api/catalog`, { headers: ADMIN })).status).toBe(401);
    expect(client.calls.consentSet).toEqual([]);
  });

  it('refuses a change without the token, with a mismatched or foreign token, or from another origin', async () => {
    const client = createFakeClient();
    const url = await start(client);
    const { token, cookie } = await session(url);
    const change = { category: 'playback', on: false };
    const refused = async (headers: Record<string, string>, why: RegExp): Promise<void> => {
      const res = await post(url, 'consent', change, { ...ADMIN, ...headers });
      expect(res.status).toBe(403);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('CSRF_REJECTED');
      expect(body.error.message).toMatch(why);
    };
    await refused({ cookie }, /header is missing/);
    await refused({ [CSRF_HEADER]: token }, /cookie is missing/);
    await refused({ cookie, [CSRF_HEADER]: `${token}x` }, /does not match/);
    // A cookie planted by someone who cannot sign: header and cookie agree, the signature does not.
    await refused({ cookie: 'candor_csrf=planted.sig', [CSRF_HEADER]: 'planted.sig' }, /not valid/);
    await refused({ cookie, [CSRF_HEADER]: token, origin: 'https://evil.example' }, /another origin/);
    await refused({ cookie, [CSRF_HEADER]: token, 'sec-fetch-site': 'cross-site' }, /cross-site/);
    expect(client.calls.consentSet).toEqual([]);
    const ok = await post(url, 'consent', change, { ...ADMIN, cookie, [CSRF_HEADER]: token, origin: url, 'sec-fetch-site': 'same-origin' });
    expect(ok.status).toBe(200);
    expect(client.calls.consentSet).toEqual([['playback', false]]);
  });

  it("binds the token to the admin: another admin's session cannot reuse it", async () => {
    const client = createFakeClient();
    let who = 'alice';
    const url = await start(client, {}, () => ({ id: who }));
    const alice = await session(url);
    who = 'bob';
    const res = await post(url, 'consent', { category: 'playback', on: false }, { ...ADMIN, cookie: alice.cookie, [CSRF_HEADER]: alice.token });
    expect(res.status).toBe(403);
    // Bob's session call replaces the cookie because Alice's token is not valid for him.
    const bob = await session(url, { ...ADMIN, cookie: alice.cookie });
    expect(bob.token).not.toBe(alice.token);
    expect(bob.cookie).toMatch(/^candor_csrf=/);
  });

  it('sets the CSRF cookie HttpOnly and SameSite=Strict on the tab path, and reuses a valid one', async () => {
    const url = await start(createFakeClient());
    const res = await fetch(`${url}/privacy/api/session`, { headers: ADMIN });
    const set = res.headers.getSetCookie()[0]!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Path=\/privacy/);
    expect(set).not.toMatch(/Secure/);
    const again = await fetch(`${url}/privacy/api/session`, { headers: { ...ADMIN, cookie: cookieFrom(res) } });
    expect(again.headers.getSetCookie()).toEqual([]);
  });

  it('needs application/json and a bounded body for changes', async () => {
    const url = await start(createFakeClient());
    const { token, cookie } = await session(url);
    const h = { ...ADMIN, cookie, [CSRF_HEADER]: token };
    const text = await fetch(`${url}/privacy/api/consent`, { method: 'POST', headers: { ...h, 'content-type': 'text/plain' }, body: '{"category":"playback","on":false}' });
    expect(text.status).toBe(415);
    const big = await post(url, 'consent', JSON.stringify({ category: 'playback', on: false, pad: 'x'.repeat(20_000) }), h);
    expect(big.status).toBe(413);
    const broken = await post(url, 'consent', '{"category":', h);
    expect(broken.status).toBe(400);
  });
});

describe('consent', () => {
  it('lists every category with its state, changes an optional one, and refuses to turn off a required one', async () => {
    const client = createFakeClient();
    const url = await start(client);
    const { token, cookie } = await session(url);
    const h = { ...ADMIN, cookie, [CSRF_HEADER]: token };
    const before = (await (await fetch(`${url}/privacy/api/consent`, { headers: ADMIN })).json()) as { categories: { id: string; on: boolean; required: boolean; source: string }[] };
    expect(before.categories.map((c) => c.id)).toEqual(Object.keys(mediaServerCatalog.categories));
    expect(before.categories.find((c) => c.id === 'usage')).toMatchObject({ required: true, on: true });
    expect(before.categories.find((c) => c.id === 'marketing')).toMatchObject({ on: false, source: 'default' });
    const after = (await (await post(url, 'consent', { category: 'marketing', on: true }, h)).json()) as typeof before;
    expect(after.categories.find((c) => c.id === 'marketing')).toMatchObject({ on: true, source: 'owner' });
    const required = await post(url, 'consent', { category: 'usage', on: false }, h);
    expect(required.status).toBe(409);
    expect(((await required.json()) as { error: { message: string } }).error.message).toContain('CANDOR_TELEMETRY=off');
    expect((await post(url, 'consent', { category: 'films', on: false }, h)).status).toBe(404);
    expect((await post(url, 'consent', { category: 'playback', on: 'no' }, h)).status).toBe(400);
    expect(client.calls.consentSet).toEqual([['marketing', true]]);
  });
});

describe('what was sent', () => {
  function seed(client: FakeClient): void {
    client.entries = [
      batchEntry(1, '2026-11-27T08:00:00.000Z', ['usage'], [{ name: 'server.daily', time: '2026-11-27' }]),
      batchEntry(2, '2026-11-28T09:00:00.000Z', ['playback', 'usage'], [{ name: 'playback.session', time: '2026-11-28' }, { name: 'playback.daily', time: '2026-11-28' }, { name: 'client.session', time: '2026-11-28' }]),
      batchEntry(3, '2026-11-28T21:00:00.000Z', ['usage'], [{ name: 'client.session', time: '2026-11-28' }]),
      { id: 4, sentAt: '2026-11-29T07:00:00.000Z', kind: 'delivery', categories: ['integrations'], eventCount: 1, status: 'delivered', destination: 'https://hooks.example/plex', body: '{"event":"media.play"}' },
      { id: 5, sentAt: '2026-11-29T07:30:00.000Z', kind: 'deletion', categories: ['playback'], eventCount: 0, status: 'delivered', detail: 'deleted 3', destination: 'http://collector.example/v1/subjects/delete', body: '{"catalogId":"media-server","pseudonyms":[],"categories":["playback"]}' },
    ];
  }

  it('lists entries newest first with categories, event counts and totals per day', async () => {
    const client = createFakeClient();
    seed(client);
    const url = await start(client);
    const body = (await (await fetch(`${url}/privacy/api/sent`, { headers: ADMIN })).json()) as { entries: { id: string; categories: string[]; events: number; kind: string; byteLength: number }[]; total: number; totalsPerDay: { day: string; entries: number; events: number; bytes: number }[] };
    expect(body.entries.map((e) => e.id)).toEqual(['5', '4', '3', '2', '1']);
    expect(body.entries[3]).toMatchObject({ categories: ['playback', 'usage'], events: 3, kind: 'batch', status: 'delivered', byteLength: Buffer.byteLength(client.entries[1]!.body) });
    expect(body.entries[1]).toMatchObject({ kind: 'delivery', events: 1, destination: 'https://hooks.example/plex' });
    expect(body.entries[0]).toMatchObject({ kind: 'deletion', detail: 'deleted 3' });
    const nov28 = body.totalsPerDay.find((t) => t.day === '2026-11-28')!;
    expect(nov28).toEqual({ day: '2026-11-28', entries: 2, events: 4, bytes: Buffer.byteLength(client.entries[1]!.body) + Buffer.byteLength(client.entries[2]!.body) });
  });

  it('filters by category, kind and date, and pages', async () => {
    const client = createFakeClient();
    seed(client);
    const url = await start(client);
    const ids = async (q: string): Promise<{ ids: string[]; total: number }> => {
      const b = (await (await fetch(`${url}/privacy/api/sent?${q}`, { headers: ADMIN })).json()) as { entries: { id: string }[]; total: number };
      return { ids: b.entries.map((e) => e.id), total: b.total };
    };
    expect(await ids('category=playback')).toEqual({ ids: ['5', '2'], total: 2 });
    expect(await ids('category=playback&kind=batch')).toEqual({ ids: ['2'], total: 1 });
    expect(await ids('category=usage&kind=batch')).toEqual({ ids: ['3', '2', '1'], total: 3 });
    expect(await ids('kind=delivery')).toEqual({ ids: ['4'], total: 1 });
    expect(await ids('kind=batch,deletion,export')).toEqual({ ids: ['5', '3', '2', '1'], total: 4 });
    expect(await ids('from=2026-11-28&to=2026-11-28')).toEqual({ ids: ['3', '2'], total: 2 });
    expect(await ids('from=2026-11-29')).toEqual({ ids: ['5', '4'], total: 2 });
    expect(await ids('limit=2&offset=1')).toEqual({ ids: ['4', '3'], total: 5 });
    for (const [q, word] of [['from=yesterday', 'from'], ['to=2026-02-30', 'to'], ['from=2026-11-29&to=2026-11-28', 'empty'], ['kind=batch,films', 'kind'], ['limit=0', 'limit']]) {
      const bad = await fetch(`${url}/privacy/api/sent?${q}`, { headers: ADMIN });
      expect(bad.status, q).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toContain(word);
    }
  });

  it('serves each entry as its exact bytes, inert, and exports everything as a download', async () => {
    const client = createFakeClient();
    seed(client);
    client.entries.push(batchEntry(6, '2026-11-29T08:00:00.000Z', ['crash'], [{ name: 'crash.report', time: '2026-11-29', fields: { message: '<img src=x onerror=alert(1)> “ünïcode”' } }]));
    const url = await start(client);
    const res = await fetch(`${url}/privacy/api/sent/6`, { headers: ADMIN });
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(client.entries[5]!.body, 'utf8'))).toBe(true);
    expect((await fetch(`${url}/privacy/api/sent/99`, { headers: ADMIN })).status).toBe(404);
    const exp = await fetch(`${url}/privacy/api/export`, { headers: ADMIN });
    expect(exp.headers.get('content-disposition')).toMatch(/^attachment; filename="candor-sent-log-\d{4}-\d{2}-\d{2}\.json"$/);
    const body = (await exp.json()) as { entries: { id: string; bytes: string }[] };
    expect(body.entries.map((e) => e.id)).toEqual(['6', '5', '4', '3', '2', '1']);
    for (const e of body.entries) expect(e.bytes).toBe(client.entries.find((x) => String(x.id) === e.id)!.body);
  });
});

describe('delete, drops, integrations and policy', () => {
  it("returns the collector's acknowledgement, or a clear error that can be retried", async () => {
    const client = createFakeClient();
    const url = await start(client);
    const { token, cookie } = await session(url);
    const h = { ...ADMIN, cookie, [CSRF_HEADER]: token };
    const failure = async (): Promise<string> => {
      const res = await post(url, 'delete', {}, h);
      expect(res.status).toBe(502);
      const err = (await res.json()) as { error: { code: string; message: string } };
      expect(err.error.code).toBe('DELETE_FAILED');
      return err.error.message;
    };
    client.deleteResult = async () => ({ status: 'pending', error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' } });
    expect(await failure()).toMatch(/not acknowledged.*ECONNREFUSED.*retried automatically/);
    client.deleteResult = async () => ({ status: 'failed', error: { code: 'INVALID_SUBJECT_REQUEST', message: 'too many pseudonyms', httpStatus: 400 } });
    expect(await failure()).toMatch(/refused the deletion: too many pseudonyms \(INVALID_SUBJECT_REQUEST\)/);
    client.deleteResult = () => Promise.reject(new Error('client closed'));
    expect(await failure()).toMatch(/could not be made: client closed/);
    client.deleteResult = async () => ({ status: 'ok', response: { deleted: 7, effectiveAt: '2026-11-29T10:00:00.000Z' } });
    const ok = await post(url, 'delete', {}, h);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ acknowledgement: { deleted: 7, effectiveAt: '2026-11-29T10:00:00.000Z' } });
    expect(client.calls.deletes).toBe(4);
  });

  it('answers CLIENT_FAILED with the reason when the SDK client throws', async () => {
    const client = createFakeClient();
    client.stats = () => {
      throw new Error('database is locked');
    };
    const url = await start(client);
    const res = await fetch(`${url}/privacy/api/dropped`, { headers: ADMIN });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'CLIENT_FAILED', message: 'The telemetry client could not read its counters: database is locked' } });
  });

  it('lists drops by reason with their meaning, most first', async () => {
    const client = createFakeClient();
    client.dropped = { consent_denied: 4, invalid_event: 9, queue_full: 0 };
    const url = await start(client);
    const body = await (await fetch(`${url}/privacy/api/dropped`, { headers: ADMIN })).json();
    expect(body).toEqual({
      total: 13,
      reasons: [
        { reason: 'invalid_event', count: 9, description: 'the host passed a value the catalog cannot generalize' },
        { reason: 'consent_denied', count: 4, description: 'its category is turned off' },
      ],
    });
  });

  it('discloses integrations with their destinations and fields, and switches those the SDK can', async () => {
    const client = createFakeClient();
    let granted = false;
    const webhook = {
      consent: { set: (on: boolean) => void (granted = on) },
      disclosure: () => ({
        id: 'home-webhook',
        kind: 'webhook',
        kindLabel: 'Webhook',
        title: 'Home automation',
        purpose: 'Tell the home automation what plays.',
        destination: 'https://hooks.example/plex',
        granted,
        active: false,
        fields: [
          { name: 'Metadata.title', why: 'To show what plays.', sends: 'the exact value' },
          { name: 'Player.publicAddress', why: 'To find the player.', sends: 'nothing: this field is not sent' },
        ],
      }),
    };
    const scrobbler = { id: 'scrobbler', kind: 'scrobbler', title: 'Scrobbler', purpose: '', destination: 'https://scrobble.example', fields: [] };
    const url = await start(client, { integrations: () => [webhook, scrobbler] });
    type Body = { categoryOn: boolean; integrations: { id: string; destination: string; granted: boolean | null; switchable: boolean; fields: { sends: string }[] }[] };
    const body = (await (await fetch(`${url}/privacy/api/integrations`, { headers: ADMIN })).json()) as Body;
    expect(body.categoryOn).toBe(false);
    expect(body.integrations.map((i) => [i.id, i.destination, i.switchable, i.granted])).toEqual([
      ['home-webhook', 'https://hooks.example/plex', true, false],
      ['scrobbler', 'https://scrobble.example', false, null],
    ]);
    expect(body.integrations[0]!.fields.map((f) => f.sends)).toEqual(['the exact value', 'nothing: this field is not sent']);
    const { token, cookie } = await session(url);
    const h = { ...ADMIN, cookie, [CSRF_HEADER]: token };
    expect((await post(url, 'integrations', { id: 'home-webhook', on: true }, { ...ADMIN, cookie })).status).toBe(403);
    const on = (await (await post(url, 'integrations', { id: 'home-webhook', on: true }, h)).json()) as Body;
    expect(granted).toBe(true);
    expect(on.integrations[0]!.granted).toBe(true);
    expect((await post(url, 'integrations', { id: 'scrobbler', on: true }, h)).status).toBe(404);
    expect((await post(url, 'integrations', { id: 'nope', on: true }, h)).status).toBe(404);
    expect((await post(url, 'integrations', { id: 'home-webhook', on: 1 }, h)).status).toBe(400);
  });

  it('shows the policy in effect and what a pending version changes before its date', async () => {
    const next = defineCatalog({
      ...mediaServerCatalog,
      version: '1.1.0',
      effectiveDate: '2027-03-01',
      previous: [mediaServerCatalog],
      events: { ...mediaServerCatalog.events, 'playback.subtitle': { category: 'playback', description: 'Whether subtitles were on.', purpose: 'Prioritise subtitle work.', retentionDays: 400, maxPerPeriod: 3, fields: {} } },
    });
    const client = createFakeClient(next);
    client.nowMs = Date.parse('2026-12-01T00:00:00Z');
    const url = await start(client);
    type Body = { policy: { inEffect: { version: string } | null; shipped: { version: string } }; pending: { version: string; effectiveDate: string; changes: { sentence: string }[] } | null; notYetEffective: string[]; dictionary: { categories: { events: { name: string }[] }[] } };
    const body = (await (await fetch(`${url}/privacy/api/catalog`, { headers: ADMIN })).json()) as Body;
    expect(body.policy.inEffect!.version).toBe('1.0.0');
    expect(body.policy.shipped.version).toBe('1.1.0');
    expect(body.pending).toMatchObject({ version: '1.1.0', effectiveDate: '2027-03-01' });
    expect(body.pending!.changes.map((c) => c.sentence).join('\n')).toContain('new event playback.subtitle');
    expect(body.notYetEffective).toEqual(['playback.subtitle']);
    expect(body.dictionary.categories.flatMap((c) => c.events.map((e) => e.name))).toContain('playback.subtitle');
    client.nowMs = Date.parse('2027-03-02T00:00:00Z');
    const later = (await (await fetch(`${url}/privacy/api/catalog`, { headers: ADMIN })).json()) as Body;
    expect(later.policy.inEffect!.version).toBe('1.1.0');
    expect(later.pending).toBeNull();
    expect(later.notYetEffective).toEqual([]);
  });
});
