import { chromium, type Browser } from 'playwright-core';

/** Launches Debian's Chromium headless, with the flags every browser test in the project uses. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
