import { readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { MediaServerError } from '../media-server-error.js';

/** A file the server sends as is. */
export interface StaticAsset {
  /** Its bytes. */
  readonly body: Buffer;
  /** Its `Content-Type`. */
  readonly contentType: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/** The package folder (holding `public/` and `dist/`), the same from `src/` and from `dist/`. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Loads the web UI into memory: pages and styles from `public/`, browser scripts from
 * `dist/client/` (compiled from `src/client/` by `npm run build`). Serving from a map of known
 * names, rather than joining request paths onto a folder, leaves no path to traverse.
 */
export function loadStaticAssets(root: string = PACKAGE_ROOT): Map<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  const clientDir = join(root, 'dist', 'client');
  const scripts = listFiles(clientDir).filter((name) => name.endsWith('.js'));
  if (scripts.length === 0) {
    throw new MediaServerError('client_not_built', `the web UI's scripts are missing from ${clientDir}; run "npm run build" first`);
  }
  for (const name of listFiles(join(root, 'public'))) add(join(root, 'public', name), name);
  for (const name of scripts) add(join(clientDir, name), name);
  return assets;

  function add(path: string, name: string) {
    const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)];
    if (type !== undefined) assets.set(name, { body: readFileSync(path), contentType: type });
  }
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => statSync(join(dir, name)).isFile());
  } catch {
    return [];
  }
}
