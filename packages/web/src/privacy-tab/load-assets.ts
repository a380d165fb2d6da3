import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrivacyTabConfigError } from './errors.js';
import { ELEMENT_FILE, PAGE_CSS } from './page.js';

/** One static asset, ready to serve. */
export interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

/** Reads the built element once, at start-up, and prepares the page's styles. */
export function loadAssets(dir: string): ReadonlyMap<string, Asset> {
  let js: Buffer;
  try {
    js = readFileSync(join(dir, ELEMENT_FILE));
  } catch (err) {
    throw new PrivacyTabConfigError('PRIVACY_TAB_ASSETS_MISSING', `The privacy tab's element was not found at ${join(dir, ELEMENT_FILE)} (${(err as Error).message}); run \`npm run build\` or pass option \`assetsDir\`.`);
  }
  const asset = (body: Buffer, type: string): Asset => ({ body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
  return new Map([
    [ELEMENT_FILE, asset(js, 'text/javascript; charset=utf-8')],
    ['page.css', asset(Buffer.from(PAGE_CSS), 'text/css; charset=utf-8')],
  ]);
}
