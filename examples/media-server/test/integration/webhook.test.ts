import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, verifyDeliverySignature } from '@candor/sdk';
import { CSRF_HEADER } from '@candor/web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryItem } from '../../src/library/create-library.js';
import type { InstrumentedServer } from '../../src/start/start-instrumented-server.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let running: InstrumentedServer;
let receiver: Server;
let receiverUrl: string;
let track: LibraryItem;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let owner: { cookie: string; csrf: string };

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/media`;
  stack = await startTestStack();
  track = stack.library.items().find((i) => i.mediaType === 'track')!;
  running = await stack.install();
  owner = await stack.signIn(running);
});
afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

const asOwner = (path: string, method: string, body?: unknown) =>
  fetch(`${running.url}${path}`, { method, headers: { cookie: owner.cookie, 'x-csrf-token': owner.csrf, 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });

async function play(item: LibraryItem): Promise<void> {
  const start = await fetch(`${running.url}/api/playbacks`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36' }, body: JSON.stringify({ itemId: item.id }) });
  const { playbackId } = (await start.json()) as { playbackId: string };
  await fetch(`${running.url}/api/playbacks/${playbackId}/stop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ playedSeconds: 0.5, positionSeconds: 0.5 }) });
  await Promise.all(running.webhook.integrations().map((i) => i.flush()));
}

describe('the owner-configured webhook', () => {
  it('sends nothing until the owner turns on both the webhook and third-party integrations', async () => {
    expect((await asOwner('/api/settings', 'PUT', { webhook: { url: receiverUrl, enabled: true } })).status).toBe(200);
    const status = (await (await asOwner('/api/webhook', 'GET')).json()) as { enabled: boolean; categoryOn: boolean; active: boolean };
    expect(status).toMatchObject({ enabled: true, categoryOn: false, active: false });
    await play(track);
    expect(received).toHaveLength(0);
  });

  it('then delivers signed play and stop events with full metadata, discloses them in the privacy tab and logs their bytes', async () => {
    // The category, switched as the owner does in the privacy tab (its own double-submit CSRF token).
    const sessionAnswer = await fetch(`${running.url}/privacy/api/session`, { headers: { cookie: owner.cookie } });
    const { csrfToken } = (await sessionAnswer.json()) as { csrfToken: string };
    const tabCookie = (sessionAnswer.headers.get('set-cookie') ?? '').split(';')[0]!;
    const on = await fetch(`${running.url}/privacy/api/consent`, {
      method: 'POST',
      headers: { cookie: `${owner.cookie}; ${tabCookie}`, [CSRF_HEADER]: csrfToken, 'content-type': 'application/json', origin: running.url },
      body: JSON.stringify({ category: 'integrations', on: true }),
    });
    expect(on.status).toBe(200);
    expect(running.telemetry.consent.isGranted('integrations')).toBe(true);
    await play(track);
    expect(received.map((r) => (JSON.parse(r.body) as { event: string }).event)).toEqual(['media.play', 'media.stop']);
    const stop = JSON.parse(received[1]!.body) as { Metadata: Record<string, unknown>; Player: Record<string, unknown>; Server: Record<string, unknown> };
    expect(stop.Metadata).toMatchObject({ type: 'track', title: 'Tone One', grandparentTitle: 'Tester', parentTitle: 'Album', index: 1, librarySectionTitle: 'Music', ratingKey: track.id });
    expect(stop.Metadata['duration']).toBe(Math.round(track.info!.durationSeconds! * 1000));
    expect(stop.Player).toMatchObject({ local: true, title: 'Web browser (tv)' });
    expect(stop.Player['publicAddress']).toBeUndefined();
    const { secret } = (await (await asOwner('/api/webhook', 'GET')).json()) as { secret: string };
    for (const r of received) {
      // Signed with the real time, although the demo's telemetry clock runs a day behind.
      expect(verifyDeliverySignature({ secret, header: r.headers[SIGNATURE_HEADER.toLowerCase()] as string, body: r.body })).toMatchObject({ ok: true });
    }
    expect(verifyDeliverySignature({ secret, header: received[0]!.headers[SIGNATURE_HEADER.toLowerCase()] as string, body: received[0]!.body.replace('Tone One', 'Tone Two') })).toMatchObject({ ok: false });

    const disclosure = (await (await fetch(`${running.url}/privacy/api/integrations`, { headers: { cookie: owner.cookie } })).json()) as { integrations: { destination: string; active: boolean; fields: { name: string }[] }[] };
    expect(disclosure.integrations).toHaveLength(1);
    expect(disclosure.integrations[0]).toMatchObject({ destination: receiverUrl, active: true });
    expect(disclosure.integrations[0]!.fields.map((f) => f.name)).toContain('Metadata.title');

    const deliveries = running.telemetry.sentLog.list({ kind: 'delivery' });
    expect(deliveries.map((d) => d.body).sort()).toEqual(received.map((r) => r.body).sort());
    expect(deliveries.every((d) => d.destination === receiverUrl && Math.abs(Date.parse(d.sentAt) - Date.now()) < 600_000)).toBe(true);
  });

  it('sends a field generalized or not at all when the owner chooses, and stops when switched off in the privacy tab', async () => {
    expect((await asOwner('/api/webhook/fields', 'PUT', { name: 'Metadata.duration', choice: 'generalized' })).status).toBe(200);
    expect((await asOwner('/api/webhook/fields', 'PUT', { name: 'Metadata.title', choice: 'omitted' })).status).toBe(200);
    expect((await asOwner('/api/webhook/fields', 'PUT', { name: 'Metadata.nope', choice: 'omitted' })).status).toBe(400);
    received.length = 0;
    await play(track);
    const play1 = JSON.parse(received[0]!.body) as { Metadata: Record<string, unknown> };
    expect(play1.Metadata['duration']).toBe('under 5 min');
    expect(play1.Metadata['title']).toBeUndefined();

    // Switched off where the privacy tab switches it: the settings follow, and nothing more leaves.
    running.webhook.integrations()[0]!.consent.set(false);
    expect(running.server.settings.get().webhook.enabled).toBe(false);
    received.length = 0;
    await play(track);
    expect(received).toHaveLength(0);
  });
});
