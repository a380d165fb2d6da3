import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelemetry } from '../src/client/create-telemetry.js';
import type { Telemetry } from '../src/client/types.js';
import { ConfigError } from '../src/errors.js';
import { defineIntegration } from '../src/integrations/define-integration.js';
import { listIntegrationDisclosures, listIntegrations } from '../src/integrations/list-integrations.js';
import { definePlexStyleWebhook, type PlaybackWebhookEvent } from '../src/integrations/plex-style-webhook.js';
import { reportIntegrationsDaily } from '../src/integrations/report-integrations-daily.js';
import { verifyDeliverySignature } from '../src/integrations/verify-delivery-signature.js';
import { createMemoryTransport, type MemoryTransport } from '../src/testing/memory-transport.js';

const SECRET = 'whsec_candor_test_secret_0123456789';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

type Verify = (secret: string, rawBody: string, header: string | undefined, toleranceSeconds?: number) => boolean;
let verifyFromDocs: Verify;

// The receiver snippet of docs/integrations.md, run as written: the documented recipe must
// accept what Candor sends and refuse what was tampered with.
beforeAll(async () => {
  const doc = readFileSync(join(ROOT, 'docs', 'integrations.md'), 'utf8');
  const block = /<!-- verify-snippet:start -->\s*```js\n([\s\S]*?)```\s*<!-- verify-snippet:end -->/.exec(doc);
  expect(block, 'docs/integrations.md lost its verification snippet').not.toBeNull();
  const dir = mkdtempSync(join(tmpdir(), 'candor-doc-'));
  const file = join(dir, 'verify.mjs');
  writeFileSync(file, block![1]!);
  ({ verifyCandorSignature: verifyFromDocs } = (await import(pathToFileURL(file).href)) as { verifyCandorSignature: Verify });
  rmSync(dir, { recursive: true, force: true });
});

interface Received {
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

/** A real webhook receiver on port 0; `answers` scripts its status codes (then 204). */
interface Receiver {
  readonly url: string;
  readonly received: Received[];
  answers: { status: number; headers?: Record<string, string> }[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const receiver = { answers: [] as Receiver['answers'] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      const answer = receiver.answers.shift() ?? { status: 204 };
      res.writeHead(answer.status, answer.headers);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/api/webhook/media`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

const PLAYBACK: Omit<PlaybackWebhookEvent, 'event'> = {
  account: { id: 1, title: 'alice' },
  server: { title: 'Office', uuid: '54664a3d8acc39983675640ec9ce00b70af9cc36' },
  player: { title: 'Living Room TV', uuid: 'r6yfkdnfggbh2bdnvkffwbms', local: true, publicAddress: '203.0.113.9' },
  metadata: { type: 'movie', title: 'Some Film', year: 2017, durationMs: 7_860_000, viewOffsetMs: 1_200_000, ratingKey: '1936545', summary: 'A film.' },
};

let receiver: Receiver;
let dataDir: string;
let transport: MemoryTransport;
let clients: Telemetry<typeof mediaServerCatalog>[] = [];

function client(): Telemetry<typeof mediaServerCatalog> {
  const c = createTelemetry({ catalog: mediaServerCatalog, dataDir, transport, env: {}, flushIntervalMs: 0, onDiagnostic: () => {} });
  clients.push(c);
  return c;
}

beforeEach(async () => {
  receiver = await startReceiver();
  dataDir = mkdtempSync(join(tmpdir(), 'candor-integrations-'));
  transport = createMemoryTransport({ catalog: mediaServerCatalog });
});
afterEach(async () => {
  for (const c of clients) {
    for (const i of listIntegrations(c)) i.close();
    await c.shutdown({ flush: false });
  }
  clients = [];
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function webhook(c: Telemetry<typeof mediaServerCatalog>, extra: { initialBackoffMs?: number; maxAttempts?: number } = {}) {
  return definePlexStyleWebhook(c, { destination: receiver.url, secret: SECRET, initialBackoffMs: 5, maxBackoffMs: 20, ...extra });
}

describe('a webhook delivering to a real receiver', () => {
  it('delivers play, pause, resume and stop signed, in order, shaped as Plex payloads; a tampered body fails verification', async () => {
    const c = client();
    c.consent.set('integrations', true);
    const hook = webhook(c);
    hook.consent.set(true);
    for (const event of ['play', 'pause', 'resume', 'stop'] as const) expect(hook.deliverPlayback({ ...PLAYBACK, event })).toBe('queued');
    await hook.flush();

    expect(receiver.received.map((r) => (JSON.parse(r.body) as { event: string }).event)).toEqual(['media.play', 'media.pause', 'media.resume', 'media.stop']);
    const first = receiver.received[0]!;
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.headers['candor-integration']).toBe('playback-webhook');
    expect(first.headers['candor-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(first.body)).toEqual({
      event: 'media.play',
      user: true,
      owner: true,
      Account: { id: 1, title: 'alice' },
      Server: { title: 'Office', uuid: '54664a3d8acc39983675640ec9ce00b70af9cc36' },
      Player: { local: true, title: 'Living Room TV', uuid: 'r6yfkdnfggbh2bdnvkffwbms' },
      Metadata: { ratingKey: '1936545', key: '/library/metadata/1936545', type: 'movie', title: 'Some Film', summary: 'A film.', year: 2017, duration: 7_860_000, viewOffset: 1_200_000 },
    });

    for (const r of receiver.received) {
      const header = r.headers['candor-signature'] as string;
      expect(verifyFromDocs(SECRET, r.body, header)).toBe(true);
      expect(verifyDeliverySignature({ secret: SECRET, body: r.body, header }).ok).toBe(true);
      const tampered = r.body.replace('Some Film', 'Some Filn');
      expect(verifyFromDocs(SECRET, tampered, header)).toBe(false);
      expect(verifyDeliverySignature({ secret: SECRET, body: tampered, header })).toEqual({ ok: false, reason: 'mismatch' });
      expect(verifyFromDocs('whsec_not_the_shared_secret', r.body, header)).toBe(false);
    }
  });

  it('records every delivery in the sent log with its exact bytes, destination and fields', async () => {
    const c = client();
    c.consent.set('integrations', true);
    const hook = webhook(c);
    hook.consent.set(true);
    hook.deliverPlayback({ ...PLAYBACK, event: 'play' });
    hook.deliverPlayback({ ...PLAYBACK, event: 'stop' });
    await hook.flush();
    const log = c.sentLog.list({ kind: 'delivery' }).reverse();
    expect(log).toHaveLength(2);
    expect(log.map((e) => e.body)).toEqual(receiver.received.map((r) => r.body));
    for (const entry of log) {
      expect(entry).toMatchObject({ kind: 'delivery', destination: receiver.url, status: 'delivered', categories: ['integrations'], eventCount: 1 });
      expect(entry.detail).toContain('webhook "playback-webhook": event, user, owner, Account.id, Account.title');
      expect(entry.detail).toContain('1 attempt(s); HTTP 204');
      expect(entry.detail).not.toContain('Player.publicAddress');
    }
  });

  it('retries with backoff until the receiver takes it, and logs the delivery once', async () => {
    const c = client();
    c.consent.set('integrations', true);
    const hook = webhook(c);
    hook.consent.set(true);
    receiver.answers = [{ status: 503 }, { status: 429, headers: { 'retry-after': '0' } }];
    hook.deliverPlayback({ ...PLAYBACK, event: 'play' });
    await hook.flush();
    expect(receiver.received).toHaveLength(3);
    // The same body each time, signed again per attempt.
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.headers['candor-delivery'])).size).toBe(1);
    for (const r of receiver.received) expect(verifyFromDocs(SECRET, r.body, r.headers['candor-signature'] as string)).toBe(true);
    const log = c.sentLog.list({ kind: 'delivery' });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ status: 'delivered', body: receiver.received[0]!.body });
    expect(log[0]!.detail).toContain('3 attempt(s); HTTP 204');
    expect(hook.stats()).toMatchObject({ delivered: 1, attempts: 3, queued: 0 });
  });

  it('refuses redirects and permanent errors without following or retrying them', async () => {
    const c = client();
    c.consent.set('integrations', true);
    const hook = webhook(c);
    hook.consent.set(true);
    receiver.answers = [{ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }, { status: 410 }];
    hook.deliverPlayback({ ...PLAYBACK, event: 'play' });
    hook.deliverPlayback({ ...PLAYBACK, event: 'stop' });
    await hook.flush();
    expect(receiver.received).toHaveLength(2);
    expect(c.sentLog.list({ kind: 'delivery' }).map((e) => [e.status, e.detail?.split('; ').at(-1)])).toEqual([
      ['rejected', 'HTTP_410'],
      ['rejected', 'REDIRECT_REFUSED'],
    ]);
    expect(hook.stats().rejected).toBe(2);
  });

  it('sends nothing while the integration is off, and stops at once when it is turned off', async () => {
    const c = client();
    c.consent.set('integrations', true);
    const hook = webhook(c, { initialBackoffMs: 200, maxAttempts: 10 });
    // Off by default: the owner has not turned it on.
    expect(hook.deliverPlayback({ ...PLAYBACK, event: 'play' })).toBe('consent_denied');
    hook.consent.set(true);
    receiver.answers = Array.from({ length: 20 }, () => ({ status: 503 }));
    hook.deliverPlayback({ ...PLAYBACK, event: 'play' });
    hook.deliverPlayback({ ...PLAYBACK, event: 'pause' });
    await expect.poll(() => receiver.received.length).toBeGreaterThanOrEqual(1);
    // An attempt already on the wire may still arrive; no attempt may start after this.
    const attempts = hook.stats().attempts;
    hook.consent.set(false);
    await hook.flush();
    expect(hook.deliverPlayback({ ...PLAYBACK, event: 'stop' })).toBe('consent_denied');
    await new Promise((r) => setTimeout(r, 300));
    expect(hook.stats().attempts).toBe(attempts);
    expect(receiver.received.length).toBeLessThanOrEqual(attempts);
    expect(receiver.received.every((r) => (JSON.parse(r.body) as { event: string }).event === 'media.play')).toBe(true);
    expect(c.sentLog.list({ kind: 'delivery' }).map((e) => e.status)).toEqual(['superseded']);
    expect(hook.stats().dropped).toMatchObject({ consent_denied: 2, purged: 2 });
    expect(hook.disclosure()).toMatchObject({ granted: false, active: false });
  });

  it('sends nothing while the integrations category is off, and stops when it is turned off', async () => {
    const c = client();
    const hook = webhook(c, { initialBackoffMs: 200, maxAttempts: 10 });
    hook.consent.set(true);
    // The category is off by default in the media-server catalog.
    expect(c.consent.isGranted('integrations')).toBe(false);
    expect(hook.deliverPlayback({ ...PLAYBACK, event: 'play' })).toBe('consent_denied');
    c.consent.set('integrations', true);
    receiver.answers = Array.from({ length: 20 }, () => ({ status: 503 }));
    hook.deliverPlayback({ ...PLAYBACK, event: 'play' });
    await expect.poll(() => receiver.received.length).toBeGreaterThanOrEqual(1);
    const attempts = hook.stats().attempts;
    c.consent.set('integrations', false);
    await hook.flush();
    expect(hook.deliverPlayback({ ...PLAYBACK, event: 'stop' })).toBe('consent_denied');
    await new Promise((r) => setTimeout(r, 300));
    expect(hook.stats().attempts).toBe(attempts);
    expect(receiver.received.length).toBeLessThanOrEqual(attempts);
    expect(hook.disclosure()).toMatchObject({ granted: true, categoryGranted: false, active: false });
  });

  it("applies the owner's field choices, persisted across restarts", async () => {
    const c = client();
    c.consent.set('integrations', true);
    const hook = webhook(c);
    hook.consent.set(true);
    expect(hook.setFieldChoice('Metadata.duration', 'generalized')).toBe(true);
    expect(hook.setFieldChoice('Metadata.year', 'generalized')).toBe(true);
    expect(hook.setFieldChoice('Metadata.title', 'omitted')).toBe(true);
    expect(hook.setFieldChoice('Account.title', 'generalized')).toBe(false); // no generalizer declared
    expect(hook.setFieldChoice('Metadata.file', 'exact')).toBe(false); // undeclared
    hook.close();
    await c.shutdown({ flush: false });

    const again = client();
    const hook2 = webhook(again);
    expect(hook2.consent.granted()).toBe(true);
    expect(again.consent.isGranted('integrations')).toBe(true);
    hook2.deliverPlayback({ ...PLAYBACK, event: 'play' });
    await hook2.flush();
    const body = JSON.parse(receiver.received[0]!.body) as { Metadata: Record<string, unknown> };
    expect(body.Metadata).toMatchObject({ duration: 'over 2 h', year: 2020 });
    expect(body.Metadata.title).toBeUndefined();
    expect(receiver.received[0]!.body).not.toContain('Some Film');
  });

  it('discloses each integration with its destination and fields in words', () => {
    const c = client();
    const hook = webhook(c);
    const scrobbler = defineIntegration(c, {
      id: 'scrobbler',
      kind: 'scrobbler',
      title: 'Listening history',
      purpose: 'Keeps a history of the music you play.',
      destination: 'https://scrobble.example.org/api',
      fields: [{ name: 'track', why: 'to record what was played' }],
      send: async () => ({ status: 'ok', httpStatus: 200, body: null }),
    });
    hook.setFieldChoice('Metadata.duration', 'generalized');
    const [d1, d2] = listIntegrationDisclosures(c);
    expect(d1).toMatchObject({ id: 'playback-webhook', kindLabel: 'Webhook', destination: receiver.url, granted: false, active: false });
    expect(d1!.fields.find((f) => f.name === 'Metadata.duration')).toMatchObject({ choice: 'generalized', sends: 'reported as one of under 5 min, 5–30 min, 30–60 min, 1–2 h, over 2 h' });
    expect(d1!.fields.find((f) => f.name === 'Metadata.title')).toMatchObject({ choice: 'exact', sends: 'the exact value', why: 'to show or log what is playing' });
    expect(d1!.summary).toMatch(/^Webhook "Playback webhook" sends to http:\/\/127\.0\.0\.1:\d+\/api\/webhook\/media: event \(the exact value\);/);
    expect(d2).toMatchObject({ id: 'scrobbler', kindLabel: 'Scrobbler', signing: 'Deliveries are not signed.' });
    scrobbler.close();
  });

  it('reports which kinds of integration are on in integrations.daily, and nothing about what they send', async () => {
    const c = client();
    c.consent.set('integrations', true);
    const hook = webhook(c);
    hook.consent.set(true);
    expect(reportIntegrationsDaily(c)).toBe('accepted');
    await c.flush();
    const daily = transport.events().filter((e) => e.name === 'integrations.daily');
    expect(daily.map((e) => e.fields)).toEqual([{ webhook: true, speaker: false, voiceAssistant: false, scrobbler: false }]);
  });

  it('refuses bad declarations with a ConfigError', () => {
    const c = client();
    const base = { id: 'x', kind: 'webhook' as const, title: 't', purpose: 'p', destination: receiver.url, secret: SECRET, fields: [{ name: 'event', why: 'w' }] };
    expect(() => defineIntegration(c, { ...base, secret: undefined })).toThrow(/signing secret/);
    expect(() => defineIntegration(c, { ...base, secret: 'short' })).toThrow(/16 bytes/);
    expect(() => defineIntegration(c, { ...base, destination: 'https://user:pw@example.org/' })).toThrow(/credentials/);
    expect(() => defineIntegration(c, { ...base, destination: 'ftp://example.org/' })).toThrow(/http\(s\)/);
    expect(() => defineIntegration(c, { ...base, fields: [{ name: 'event', why: '' }] })).toThrow(/needs a why/);
    expect(() => defineIntegration(c, { ...base, fields: [{ name: 'Metadata', why: 'w' }, { name: 'Metadata.title', why: 'w' }] })).toThrow(/contains field/);
    expect(() => defineIntegration(c, { ...base, fields: [{ name: 'event', why: 'w', default: 'generalized' }] })).toThrow(/no generalizer/);
    expect(() => defineIntegration(c, { ...base, kind: 'fax' as never })).toThrow(ConfigError);
    defineIntegration(c, base);
    expect(() => defineIntegration(c, base)).toThrow(/already declared/);
  });
});
