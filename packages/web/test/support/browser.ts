import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

/** Launches Debian's Chromium with the flags the project's browser tests use. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
