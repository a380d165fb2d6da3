import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundlePrivacyTabElement } from '../../src/privacy-tab/build/bundle-element.js';

let built: Promise<string> | null = null;

/** Bundles the element from source into a temp directory once per test file, so tests never depend on a stale dist. */
export function builtAssetsDir(): Promise<string> {
  built ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'candor-web-assets-'));
    await bundlePrivacyTabElement({ outdir: dir });
    return dir;
  })();
  return built;
}
