import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLibrary, type Library } from '../../src/library/create-library.js';
import { createMediaServer, type MediaServer } from '../../src/http/create-media-server.js';
import type { Playback } from '../../src/playback/playback-tracker.js';
import { launchBrowser } from '../helpers/browser.js';
import { buildClientScripts, makeMediaFolder } from '../helpers/fixtures.js';

let media: Awaited<ReturnType<typeof makeMediaFolder>>;
let library: Library;
let server: MediaServer;
let browser: Browser;
const stopped: Playback[] = [];

beforeAll(async () => {
  buildClientScripts();
  media = await makeMediaFolder();
  library = createLibrary({ folders: [media.dir] });
  await library.scan();
  server = await createMediaServer({ library, dataDir: mkdtempSync(join(tmpdir(), 'media-browser-')), hooks: { playbackStopped: (p) => stopped.push({ ...p }) } });
  await server.listen();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  media?.cleanup();
});

describe('the web UI in Chromium', () => {
  it('lists the library and plays a video to its end, reporting the playback', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(server.url());
    await page.getByRole('heading', { name: 'Movies' }).waitFor();
    expect(await page.locator('.tile').count()).toBe(3);
    await page.locator('.tile.video').first().click();
    await page.waitForURL(/\/play\//);
    await page.locator('video').waitFor();
    expect(await page.locator('#details').textContent()).toContain('1280×720');
    await page.locator('video').evaluate((v: HTMLVideoElement) => v.play());
    await page.locator('#player-status[data-state="stopped"]').waitFor({ timeout: 20_000 });
    expect(stopped).toHaveLength(1);
    expect(stopped[0]?.item.relativePath).toBe('Films/Pattern.mp4');
    expect(stopped[0]?.playedSeconds).toBeGreaterThan(1);
    expect(stopped[0]?.client.deviceType).toBe('desktop');
    expect(errors).toEqual([]);
    await page.close();
  });
});
