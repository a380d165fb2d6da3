import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientDescription } from '../../src/clients/describe-user-agent.js';
import { createLibrary, type LibraryItem } from '../../src/library/create-library.js';
import { createMediaServer, type MediaServer } from '../../src/http/create-media-server.js';
import type { Playback } from '../../src/playback/playback-tracker.js';
import { buildClientScripts, makeMediaFolder } from '../helpers/fixtures.js';
import { rawRequest } from '../helpers/raw-request.js';

let media: Awaited<ReturnType<typeof makeMediaFolder>>;
let server: MediaServer;
let base: string;
let video: LibraryItem;
let videoBytes: Buffer;
const events = { clients: [] as ClientDescription[], started: [] as Playback[], stopped: [] as Playback[] };

beforeAll(async () => {
  buildClientScripts();
  media = await makeMediaFolder();
  const library = createLibrary({ folders: [media.dir] });
  await library.scan();
  server = await createMediaServer({
    library,
    dataDir: mkdtempSync(join(tmpdir(), 'media-server-data-')),
    ownerToken: 'owner-token-for-tests-0123456789',
    hooks: {
      clientConnected: (c) => events.clients.push(c),
      playbackStarted: (p) => events.started.push(p),
      playbackStopped: (p) => events.stopped.push({ ...p }),
    },
  });
  base = await server.listen();
  video = library.items().find((i) => i.kind === 'video')!;
  videoBytes = readFileSync(video.path);
});
afterAll(async () => {
  await server.close();
  media.cleanup();
});

describe('library API and pages', () => {
  it('lists the items without their absolute paths', async () => {
    const response = await fetch(`${base}/api/items`);
    const { items } = (await response.json()) as { items: Record<string, unknown>[] };
    expect(items).toHaveLength(3);
    expect(items[0]).toMatchObject({ id: video.id, container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', width: 1280, height: 720 });
    expect(JSON.stringify(items)).not.toContain(media.dir);
  });

  it('serves the pages with a strict Content-Security-Policy and no inline script', async () => {
    for (const path of ['/', '/settings', '/login', `/play/${video.id}`]) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await response.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\son[a-z]+=/);
    }
    const script = await fetch(`${base}/assets/player-page.js`);
    expect(script.headers.get('content-type')).toContain('text/javascript');
  });
});

describe('streaming with HTTP range requests', () => {
  const get = (range?: string, method = 'GET', extra: Record<string, string> = {}) =>
    rawRequest(base, `/media/${video.id}`, { method, headers: { ...(range !== undefined && { range }), ...extra } });

  it('sends the whole file with Accept-Ranges when no range is asked', async () => {
    const answer = await get();
    expect(answer.status).toBe(200);
    expect(answer.headers['accept-ranges']).toBe('bytes');
    expect(answer.headers['content-type']).toBe('video/mp4');
    expect(answer.headers['content-length']).toBe(String(videoBytes.length));
    expect(answer.body.equals(videoBytes)).toBe(true);
  });

  it('sends exact byte slices with 206 and Content-Range', async () => {
    const size = videoBytes.length;
    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=1000-1999', 1000, 1999],
      [`bytes=${size - 10}-`, size - 10, size - 1],
      ['bytes=-256', size - 256, size - 1],
      [`bytes=${size - 5}-${size + 1000}`, size - 5, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const answer = await get(range);
      expect(answer.status, range).toBe(206);
      expect(answer.headers['content-range'], range).toBe(`bytes ${start}-${end}/${size}`);
      expect(answer.headers['content-length'], range).toBe(String(end - start + 1));
      expect(answer.body.equals(videoBytes.subarray(start, end + 1)), range).toBe(true);
    }
  });

  it('answers 416 with the size for a range past the end', async () => {
    for (const range of [`bytes=${videoBytes.length}-`, 'bytes=-0', `bytes=${videoBytes.length + 10}-${videoBytes.length + 20}`]) {
      const answer = await get(range);
      expect(answer.status, range).toBe(416);
      expect(answer.headers['content-range']).toBe(`bytes */${videoBytes.length}`);
    }
  });

  it('ignores malformed, multi-range and stale If-Range requests by sending the whole file', async () => {
    for (const range of ['bytes=abc', 'bytes=0-1,5-6', 'bytes=9-2', 'pages=1-2']) {
      const answer = await get(range);
      expect(answer.status, range).toBe(200);
      expect(answer.body.length).toBe(videoBytes.length);
    }
    const stale = await get('bytes=0-9', 'GET', { 'if-range': '"stale"' });
    expect(stale.status).toBe(200);
    const etag = (await get(undefined, 'HEAD')).headers.etag as string;
    const fresh = await get('bytes=0-9', 'GET', { 'if-range': etag });
    expect(fresh.status).toBe(206);
    expect(fresh.body.equals(videoBytes.subarray(0, 10))).toBe(true);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const whole = await get(undefined, 'HEAD');
    expect(whole.status).toBe(200);
    expect(whole.headers['content-length']).toBe(String(videoBytes.length));
    expect(whole.body.length).toBe(0);
    const part = await get('bytes=10-19', 'HEAD');
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 10-19/${videoBytes.length}`);
    expect(part.body.length).toBe(0);
  });
});

describe('bad input', () => {
  it('refuses path traversal in every spelling without leaking a byte of the file', async () => {
    const secret = readFileSync(join(import.meta.dirname, '..', '..', 'package.json'));
    const paths = [
      '/assets/../package.json',
      '/assets/..%2fpackage.json',
      '/assets/..%2F..%2Fpackage.json',
      '/assets/%2e%2e%2fpackage.json',
      '/assets/%2E%2E/%2E%2E/package.json',
      '/assets/%252e%252e%252fpackage.json',
      '/assets/..%5c..%5cpackage.json',
      '/assets/....//package.json',
      '/media/..%2F..%2Fpackage.json',
      '/media/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/media/../../etc/passwd',
      '/play/..%2f..%2fpackage.json',
      '/api/items/..%2F..%2Fpackage.json',
      `/media/${'0'.repeat(23)}%00`,
    ];
    for (const path of paths) {
      const answer = await rawRequest(base, path);
      expect(answer.status, path).toBeGreaterThanOrEqual(400);
      expect(answer.status, path).toBeLessThan(500);
      expect(answer.body.includes(secret.subarray(0, 40)), path).toBe(false);
      expect(answer.body.toString(), path).not.toContain('root:');
    }
  });

  it('answers 404 for unknown ids and 400 for malformed ones', async () => {
    const unknown = await fetch(`${base}/media/${'f'.repeat(24)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: 'item_not_found', message: `no item with id ${'f'.repeat(24)}` } });
    expect((await fetch(`${base}/api/items/${'0'.repeat(24)}`)).status).toBe(404);
    expect((await fetch(`${base}/media/xyz`)).status).toBe(400);
    expect((await fetch(`${base}/assets/nope.js`)).status).toBe(404);
  });

  it('refuses malformed playback reports and unknown playbacks', async () => {
    const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/api/playbacks', { itemId: 42 })).status).toBe(400);
    expect((await post('/api/playbacks', { itemId: 'f'.repeat(24) })).status).toBe(404);
    expect((await post('/api/playbacks/nope/stop', { playedSeconds: 1 })).status).toBe(404);
    const { playbackId } = (await (await post('/api/playbacks', { itemId: video.id })).json()) as { playbackId: string };
    expect((await post(`/api/playbacks/${playbackId}/progress`, { playedSeconds: 'lots' })).status).toBe(400);
    expect((await post(`/api/playbacks/${playbackId}/progress`, { playedSeconds: -1 })).status).toBe(400);
    expect((await fetch(`${base}/api/playbacks`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(415);
  });
});

describe('playback tracking and client sessions', () => {
  it('reports a client session with the device type and a playback when it stops', async () => {
    const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
    const before = events.stopped.length;
    await fetch(`${base}/api/sessions`, { method: 'POST', headers: { 'user-agent': iphone } });
    expect(events.clients.at(-1)).toEqual({ deviceType: 'mobile', clientPlatform: 'web', local: true });
    const start = await fetch(`${base}/api/playbacks`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': iphone }, body: JSON.stringify({ itemId: video.id }) });
    expect(start.status).toBe(201);
    const { playbackId } = (await start.json()) as { playbackId: string };
    expect(events.started.at(-1)?.item.id).toBe(video.id);
    const stop = await fetch(`${base}/api/playbacks/${playbackId}/stop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ playedSeconds: 0.5, positionSeconds: 0.5 }) });
    expect(stop.status).toBe(204);
    expect(events.stopped.length).toBe(before + 1);
    expect(events.stopped.at(-1)).toMatchObject({ id: playbackId, endReason: 'stopped', playedSeconds: 0.5, client: { deviceType: 'mobile' } });
  });
});

describe('owner settings', () => {
  async function signIn(): Promise<{ cookie: string; csrf: string }> {
    const login = await fetch(`${base}/login/session?token=${server.ownerToken}`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/settings');
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;
    const { csrfToken } = (await (await fetch(`${base}/api/settings`, { headers: { cookie } })).json()) as { csrfToken: string };
    return { cookie, csrf: csrfToken };
  }

  it('needs the owner session, and its CSRF token for changes', async () => {
    expect((await fetch(`${base}/api/settings`)).status).toBe(401);
    const wrong = await fetch(`${base}/login/session?token=wrong`, { redirect: 'manual' });
    expect(wrong.headers.get('location')).toBe('/login?failed=1');
    const { cookie, csrf } = await signIn();
    const put = (headers: Record<string, string>, body: unknown) => fetch(`${base}/api/settings`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const change = { webhook: { url: 'http://127.0.0.1:9/hook', enabled: true } };
    expect((await put({}, change)).status).toBe(401);
    expect((await put({ cookie }, change)).status).toBe(403);
    expect((await put({ cookie, 'x-csrf-token': 'forged' }, change)).status).toBe(403);
    const bad = await put({ cookie, 'x-csrf-token': csrf }, { webhook: { url: 'gopher://x' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_settings');
    const ok = await put({ cookie, 'x-csrf-token': csrf }, change);
    expect(ok.status).toBe(200);
    expect(server.settings.get()).toEqual(change);
    const scan = await fetch(`${base}/api/library/scan`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
    expect(await scan.json()).toMatchObject({ items: 3, probed: 0 });
  });
});
