import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buckets, scrubbedText } from '@candor/catalog';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deliverWithRetry, type DeliverySend } from '../src/integrations/deliver-with-retry.js';
import { createIntegrationConsentStore, INTEGRATIONS_FILE } from '../src/integrations/integration-consent-store.js';
import { describeIntegration } from '../src/integrations/integration-disclosure.js';
import { plexStyleWebhookPayload, PLEX_STYLE_WEBHOOK_FIELDS, type PlaybackWebhookEvent } from '../src/integrations/plex-style-webhook.js';
import { shapeDelivery, type IntegrationField } from '../src/integrations/shape-delivery.js';
import { signDelivery } from '../src/integrations/sign-delivery.js';
import { verifyDeliverySignature } from '../src/integrations/verify-delivery-signature.js';

const SECRET = 'whsec_0123456789abcdef';

describe('signing and verification', () => {
  const body = '{"event":"media.play","Metadata":{"title":"Some Film"}}';
  const t = 1_767_225_600;

  it('verifies a signed body and refuses a tampered one', () => {
    const header = signDelivery(SECRET, body, t);
    expect(header).toMatch(/^t=1767225600,v1=[0-9a-f]{64}$/);
    expect(verifyDeliverySignature({ secret: SECRET, body, header, nowSeconds: t + 10 })).toEqual({ ok: true, timestampSeconds: t });
    expect(verifyDeliverySignature({ secret: SECRET, body: body.replace('play', 'stop'), header, nowSeconds: t })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyDeliverySignature({ secret: 'whsec_another_secret_', body, header, nowSeconds: t })).toEqual({ ok: false, reason: 'mismatch' });
    // The timestamp is signed too: moving it breaks the signature.
    expect(verifyDeliverySignature({ secret: SECRET, body, header: header.replace(`t=${t}`, `t=${t + 1}`), nowSeconds: t })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses old timestamps and malformed headers, and accepts any matching v1 (secret rotation)', () => {
    const header = signDelivery(SECRET, body, t);
    expect(verifyDeliverySignature({ secret: SECRET, body, header, nowSeconds: t + 301 })).toEqual({ ok: false, reason: 'expired' });
    expect(verifyDeliverySignature({ secret: SECRET, body, header: undefined })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyDeliverySignature({ secret: SECRET, body, header: 'v1=abc' })).toEqual({ ok: false, reason: 'malformed' });
    const old = signDelivery('whsec_previous_secret!', body, t).split(',')[1]!;
    expect(verifyDeliverySignature({ secret: SECRET, body, header: `${header},${old}`, nowSeconds: t }).ok).toBe(true);
    expect(verifyDeliverySignature({ secret: Buffer.from(SECRET), body, header, nowSeconds: t }).ok).toBe(true);
  });
});

describe('shapeDelivery', () => {
  const fields: IntegrationField[] = [
    { name: 'event', why: 'w' },
    { name: 'Metadata.title', why: 'w' },
    { name: 'Metadata.duration', why: 'w', generalize: buckets({ edges: [3_600_000], labels: ['under 1 h', '1 h or more'] }) },
    { name: 'Player.publicAddress', why: 'w', generalize: scrubbedText() },
    { name: 'Metadata.__proto__', why: 'w' },
  ];
  const event = { event: 'media.play', secret: 'undeclared', Metadata: { title: 'Some Film', duration: 7_200_000, file: '/mnt/x.mkv' }, Player: { publicAddress: '203.0.113.9' } };

  it('sends only declared fields, each as the owner chose', () => {
    const choices: Record<string, 'exact' | 'generalized' | 'omitted'> = { 'Metadata.duration': 'generalized', 'Player.publicAddress': 'generalized', 'Metadata.title': 'omitted' };
    const shaped = shapeDelivery(fields, (n) => choices[n] ?? 'exact', event);
    expect(shaped.payload).toEqual({ event: 'media.play', Metadata: { duration: '1 h or more' }, Player: { publicAddress: '<ip>' } });
    expect(shaped.sent).toEqual([
      { name: 'event', choice: 'exact' },
      { name: 'Metadata.duration', choice: 'generalized' },
      { name: 'Player.publicAddress', choice: 'generalized' },
    ]);
    expect(JSON.stringify(shaped.payload)).not.toMatch(/undeclared|mnt|Some Film/);
  });

  it('leaves out values a generalizer refuses, missing values and values that are not JSON', () => {
    const shaped = shapeDelivery(fields, (n) => (n === 'Metadata.duration' ? 'generalized' : 'exact'), { event: () => 1, Metadata: { duration: 'long' } });
    expect(shaped.payload).toEqual({});
    expect(shaped.refused).toEqual(['event', 'Metadata.duration']);
    expect(shapeDelivery(fields, () => 'exact', null).payload).toEqual({});
  });
});

describe('deliverWithRetry', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const base = { destination: 'https://example.org/hook', body: '{}', headers: () => ({}), maxAttempts: 4, initialBackoffMs: 1000, maxBackoffMs: 8000, maxRetryAfterMs: 60_000, random: () => 0.999 };

  function scripted(results: Awaited<ReturnType<DeliverySend>>[]): { send: DeliverySend; at: number[] } {
    const at: number[] = [];
    const send: DeliverySend = async () => {
      at.push(Date.now());
      return results.shift() ?? { status: 'ok', httpStatus: 200, body: null };
    };
    return { send, at };
  }
  const retry = (afterMs?: number) => ({ status: 'retry' as const, ...(afterMs === undefined ? {} : { afterMs }), error: { code: 'HTTP_503', message: 'unavailable', httpStatus: 503 } });

  it('backs off exponentially with jitter between attempts and delivers', async () => {
    const { send, at } = scripted([retry(), retry()]);
    const start = Date.now();
    const outcome = deliverWithRetry({ ...base, send, mayContinue: () => true, signal: new AbortController().signal });
    await vi.runAllTimersAsync();
    expect(await outcome).toEqual({ status: 'delivered', attempts: 3, httpStatus: 200 });
    // Full jitter below 1000 ms, then below 2000 ms (random 0.999).
    expect(at.map((x) => x - start)).toEqual([0, 999, 999 + 1998]);
  });

  it('honours Retry-After, capped', async () => {
    const { send, at } = scripted([retry(5000), retry(3_600_000)]);
    const start = Date.now();
    const outcome = deliverWithRetry({ ...base, send, mayContinue: () => true, signal: new AbortController().signal });
    await vi.runAllTimersAsync();
    expect((await outcome).status).toBe('delivered');
    expect(at.map((x) => x - start)).toEqual([0, 5000, 65_000]);
  });

  it('stops at a permanent refusal, after the last attempt, or when consent is withdrawn', async () => {
    const refused = scripted([{ status: 'fail', error: { code: 'HTTP_404', message: 'no', httpStatus: 404 } }]);
    const r1 = deliverWithRetry({ ...base, send: refused.send, mayContinue: () => true, signal: new AbortController().signal });
    await vi.runAllTimersAsync();
    expect(await r1).toMatchObject({ status: 'rejected', attempts: 1 });

    const down = scripted([retry(), retry(), retry(), retry()]);
    const r2 = deliverWithRetry({ ...base, send: down.send, mayContinue: () => true, signal: new AbortController().signal });
    await vi.runAllTimersAsync();
    expect(await r2).toMatchObject({ status: 'failed', attempts: 4, error: { code: 'HTTP_503' } });

    let allowed = true;
    const flaky = scripted([retry(), retry()]);
    const r3 = deliverWithRetry({ ...base, send: flaky.send, mayContinue: () => allowed, signal: new AbortController().signal, onAttempt: () => void (allowed = false) });
    await vi.runAllTimersAsync();
    expect(await r3).toEqual({ status: 'stopped', attempts: 1 });
    expect(flaky.at).toHaveLength(1);
  });

  it('wakes up and stops when aborted while waiting', async () => {
    const { send, at } = scripted([retry(50_000)]);
    const controller = new AbortController();
    const outcome = deliverWithRetry({ ...base, send, mayContinue: () => true, signal: controller.signal });
    await vi.advanceTimersByTimeAsync(10);
    controller.abort();
    expect(await outcome).toEqual({ status: 'stopped', attempts: 1 });
    expect(at).toHaveLength(1);
  });

  it('treats a send function that throws as a retryable failure', async () => {
    let n = 0;
    const send: DeliverySend = async () => {
      if (n++ === 0) throw new Error('socket closed');
      return { status: 'ok', httpStatus: 204, body: null };
    };
    const outcome = deliverWithRetry({ ...base, send, mayContinue: () => true, signal: new AbortController().signal });
    await vi.runAllTimersAsync();
    expect(await outcome).toEqual({ status: 'delivered', attempts: 2, httpStatus: 204 });
  });
});

describe('integration consent store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'candor-int-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('persists consent and field choices, off by default', () => {
    const warnings: string[] = [];
    const store = createIntegrationConsentStore(dir, (code) => void warnings.push(code));
    expect(store.get('hook')).toEqual({ granted: false, decidedAt: null, fields: {} });
    store.setGranted('hook', true, Date.UTC(2026, 0, 2));
    store.setField('hook', 'Metadata.title', 'omitted', Date.UTC(2026, 0, 3));
    const again = createIntegrationConsentStore(dir, (code) => void warnings.push(code));
    expect(again.get('hook')).toEqual({ granted: true, decidedAt: '2026-01-03T00:00:00.000Z', fields: { 'Metadata.title': 'omitted' } });
    expect(warnings).toEqual([]);
  });

  it('sets an unreadable file aside, reports it, and treats every integration as off', () => {
    writeFileSync(join(dir, INTEGRATIONS_FILE), '{ not json');
    const warnings: string[] = [];
    const store = createIntegrationConsentStore(dir, (code) => void warnings.push(code));
    expect(store.get('hook').granted).toBe(false);
    expect(warnings).toEqual(['INTEGRATIONS_FILE_UNREADABLE']);
    expect(readdirSync(dir).some((f) => f.startsWith(`${INTEGRATIONS_FILE}.corrupt-`))).toBe(true);
  });
});

const PLAY: PlaybackWebhookEvent = {
  event: 'play',
  account: { id: 1, title: 'alice', thumb: 'https://plex.tv/users/1/avatar' },
  server: { title: 'Office', uuid: '54664a3d8acc39983675640ec9ce00b70af9cc36' },
  player: { title: 'Living Room TV', uuid: 'r6yfkdnfggbh2bdnvkffwbms', local: true, publicAddress: '203.0.113.9' },
  metadata: { type: 'episode', title: 'Pilot', grandparentTitle: 'Some Show', parentTitle: 'Season 1', index: 1, parentIndex: 1, year: 2017, ratingKey: '1936545', durationMs: 2_700_000, viewOffsetMs: 0 },
};

describe('the reference playback webhook', () => {
  it('shapes events as Plex webhook payloads', () => {
    const p = plexStyleWebhookPayload(PLAY);
    expect(p.event).toBe('media.play');
    expect(p.Account.title).toBe('alice');
    expect(p.Player).toEqual({ local: true, publicAddress: '203.0.113.9', title: 'Living Room TV', uuid: 'r6yfkdnfggbh2bdnvkffwbms' });
    expect(p.Metadata).toMatchObject({ type: 'episode', title: 'Pilot', grandparentTitle: 'Some Show', key: '/library/metadata/1936545', duration: 2_700_000 });
  });

  it('declares every field it can send, with why; the public address is off by default', () => {
    const shaped = shapeDelivery(PLEX_STYLE_WEBHOOK_FIELDS, (n) => PLEX_STYLE_WEBHOOK_FIELDS.find((f) => f.name === n)?.default ?? 'exact', plexStyleWebhookPayload(PLAY));
    expect(shaped.payload).toMatchObject({ event: 'media.play', Metadata: { title: 'Pilot', duration: 2_700_000 } });
    expect((shaped.payload.Player as Record<string, unknown>).publicAddress).toBeUndefined();
    for (const f of PLEX_STYLE_WEBHOOK_FIELDS) expect(f.why.length).toBeGreaterThan(5);
  });

  it('describes itself in words for the privacy tab', () => {
    const d = describeIntegration({
      id: 'playback-webhook',
      kind: 'webhook',
      title: 'Playback webhook',
      purpose: 'p',
      destination: 'https://ha.example.org/api/webhook/plex',
      fields: PLEX_STYLE_WEBHOOK_FIELDS,
      signed: true,
      granted: true,
      categoryGranted: false,
      decidedAt: null,
      choiceOf: (n) => (n === 'Metadata.duration' ? 'generalized' : (PLEX_STYLE_WEBHOOK_FIELDS.find((f) => f.name === n)?.default ?? 'exact')),
    });
    expect(d.active).toBe(false);
    expect(d.summary).toContain('sends to https://ha.example.org/api/webhook/plex');
    expect(d.summary).toContain('Nothing is sent: third-party integrations are turned off.');
    const duration = d.fields.find((f) => f.name === 'Metadata.duration')!;
    expect(duration.sends).toBe('reported as one of under 5 min, 5–30 min, 30–60 min, 1–2 h, over 2 h');
    expect(duration.options.map((o) => o.choice)).toEqual(['exact', 'generalized', 'omitted']);
    expect(d.fields.find((f) => f.name === 'Player.publicAddress')!.sends).toBe('nothing: this field is not sent');
    expect(d.fields.find((f) => f.name === 'Metadata.title')!.options.map((o) => o.choice)).toEqual(['exact', 'omitted']);
    expect(d.signing).toContain('HMAC-SHA256');
  });
});
