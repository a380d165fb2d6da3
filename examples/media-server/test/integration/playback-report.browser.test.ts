import { compileCatalog } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import type { WireBatch } from '@candor/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryItem } from '../../src/library/create-library.js';
import type { InstrumentedServer } from '../../src/start/start-instrumented-server.js';
import { playbackSessionRaw } from '../../src/telemetry/media-events.js';
import { launchBrowser } from '../helpers/browser.js';
import { OWNER_TOKEN, startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let running: InstrumentedServer;
let neighbour: InstrumentedServer;
let browser: Browser;
let video: LibraryItem;

beforeAll(async () => {
  // k = 2, the smallest the collector allows: two installs play the same kind of file, so that
  // their cell is released and the test can compare it with what it played.
  stack = await startTestStack({ k: 2 });
  video = stack.library.items().find((i) => i.kind === 'video')!;
  running = await stack.install();
  neighbour = await stack.install();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function playToEnd(page: Page, server: InstrumentedServer, item: LibraryItem): Promise<void> {
  await page.goto(`${server.url}/play/${item.id}`);
  await page.locator('video').evaluate((v: HTMLVideoElement) => v.play());
  await page.locator('#player-status[data-state="stopped"]').waitFor({ timeout: 30_000 });
}

describe('a playback in Chromium, end to end', () => {
  it('reaches the privacy tab sent log and the collector statistics, generalized', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

    for (const server of [neighbour, running]) {
      await playToEnd(page, server, video);
      // The playback is held until the telemetry day ends: nothing about it has left yet.
      expect(server.telemetry.stats().held).toBe(1);
      await page.goto(`${server.url}/login/session?token=${OWNER_TOKEN}`);
      await page.waitForURL(/\/settings$/);
      await page.locator('#demo-end-day').click();
      await page.locator('#demo-status[data-state="ended"]').waitFor({ timeout: 30_000 });
      expect(server.telemetry.stats().held).toBe(0);
    }

    // The sent log, as the privacy tab shows it: the batch that carried the playback, byte for byte.
    await page.reload();
    const tab = page.locator('candor-privacy-tab');
    const entry = tab.locator('details[data-entry]').filter({ hasText: /Batch: .*playback/ }).first();
    await entry.locator('summary').click();
    const exact = entry.locator('pre.exact');
    await exact.waitFor();
    const batch = JSON.parse((await exact.textContent()) ?? '') as WireBatch;
    const playback = batch.events.find((e) => e.name === 'playback.session');
    // Exactly what the catalog makes of this file's real ffprobe figures: no title, file name or exact figure.
    const expected = compileCatalog(mediaServerCatalog).normalize('playback.session', playbackSessionRaw(video, { deviceType: 'desktop', clientPlatform: 'web' }, 2));
    expect(expected.ok && playback?.fields).toEqual(expected.ok && expected.payload);
    expect(playback?.fields).toMatchObject({ mediaType: 'movie', container: 'mp4', videoCodec: 'h264', audioCodec: 'aac', resolution: '720p', deviceType: 'desktop', decision: 'directplay', duration: 'under 1 min' });
    const text = (await exact.textContent()) ?? '';
    for (const leak of ['Pattern', 'Films', `${video.info?.bitrateKbps}`, '1280']) expect(text).not.toContain(leak);

    // The collector's released statistics count it.
    const day = playback!.time;
    const stats = await fetch(`${stack.collector.url}/v1/stats?event=playback.session&groupBy=container,resolution&from=${day}&to=${day}`, { headers: { authorization: `Bearer ${stack.collector.adminToken}` } });
    expect(stats.status).toBe(200);
    const answer = (await stats.json()) as { cells: { container: string; resolution: string; events: number; installs: number; suppressed: boolean }[] };
    expect(answer.cells).toContainEqual(expect.objectContaining({ container: 'mp4', resolution: '720p', events: 2, installs: 2, suppressed: false }));
    expect(errors).toEqual([]);
    await page.close();
  });
});
