// Screenshots of every page of the demo for the README: the media library, the player, the
// settings page with the privacy tab, and the vendor dashboard. Runs the real `npm start`
// demo (built: run `npm run build` first) in a temporary home folder, plays media in Chromium,
// ends the telemetry day, and writes docs/screenshots/media-server-*.png.
//   node examples/media-server/scripts/take-screenshots.mjs
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const outDir = join(repoRoot, 'docs', 'screenshots');
mkdirSync(outDir, { recursive: true });
const home = mkdtempSync(join(tmpdir(), 'candor-screenshots-'));

const demo = spawn(process.execPath, [join(repoRoot, 'examples/media-server/dist/start.js'), '--home', home, '--installs', '300'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
let output = '';
demo.stdout.on('data', (c) => {
  output += c;
  process.stdout.write(c);
});
const waitFor = (pattern) =>
  new Promise((resolve, reject) => {
    const check = () => {
      const m = pattern.exec(output);
      if (m) {
        demo.stdout.off('data', check);
        resolve(m);
      }
    };
    demo.stdout.on('data', check);
    demo.once('exit', (code) => reject(new Error(`the demo exited (${code}) before ${pattern}`)));
    check();
  });
const line = (label) => new RegExp(`^ {2}${label} +(\\S+)`, 'm').exec(output)?.[1];

let browser;
try {
  await waitFor(/Press Ctrl-C to stop\./);
  const media = line('Media server');
  const signIn = line('Privacy tab');
  const dashboard = line('Dashboard');
  const adminToken = line('Admin token');
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  const shot = async (name, options = {}) => {
    await page.screenshot({ path: join(outDir, `media-server-${name}.png`), ...options });
    console.log(`wrote docs/screenshots/media-server-${name}.png`);
  };

  await page.goto(media);
  await page.getByRole('heading', { name: 'Music' }).waitFor();
  await shot('library', { fullPage: true });

  // Play an album track and an episode to the end: two playbacks for the day's sample.
  for (const name of ['A Above Middle C', 'Test Pattern Show S01E01']) {
    await page.goto(media);
    await page.locator('.tile', { hasText: name }).click();
    await page.locator('#player-slot > *').waitFor();
    await page.locator('#player-slot > *').evaluate((m) => m.play());
    await page.locator('#player-status[data-state="stopped"]').waitFor({ timeout: 60_000 });
  }
  await page.locator('video').evaluate((v) => {
    v.currentTime = 3.2;
  });
  await page.waitForTimeout(500);
  await shot('player', { fullPage: true });

  await page.goto(signIn);
  await page.waitForURL(/\/settings$/);
  await page.locator('#webhook-url').fill('https://hub.home.arpa/hooks/media');
  await page.locator('#webhook-enabled').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.locator('#webhook-state').filter({ hasText: 'Not sending yet' }).waitFor();
  await page.locator('#demo-end-day').click();
  await page.locator('#demo-status[data-state="ended"]').waitFor({ timeout: 60_000 });
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.reload();
  const tab = page.locator('candor-privacy-tab');
  const entry = tab.locator('details[data-entry]').filter({ hasText: /Batch: .*playback/ }).first();
  await entry.waitFor();
  await shot('settings');
  // The privacy tab's sent log, with the batch that carried the day's playback sample opened to its bytes.
  await entry.locator('summary').click();
  await entry.locator('pre.exact').waitFor();
  await entry.evaluate((e) => e.scrollIntoView({ block: 'center' }));
  await shot('privacy-tab');

  if (dashboard && adminToken) {
    await waitFor(/Fleet: [\d,]+ events from \d+ installs accepted/);
    await page.goto(dashboard);
    await page.locator('#token').fill(adminToken);
    await page.locator('#token').press('Enter');
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1500);
    await page.setViewportSize({ width: 1280, height: 1300 });
    await shot('dashboard');
  } else {
    console.log('no dashboard in this build: skipped its screenshot');
  }
} finally {
  await browser?.close();
  if (demo.exitCode === null) {
    const exited = new Promise((resolve) => demo.once('exit', resolve));
    process.kill(-demo.pid, 'SIGINT');
    await exited;
  }
  rmSync(home, { recursive: true, force: true });
}
