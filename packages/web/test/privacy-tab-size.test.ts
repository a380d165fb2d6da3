import { readFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bundlePrivacyTabElement, ELEMENT_GZIP_BUDGET_BYTES } from '../src/privacy-tab/build/bundle-element.js';
import { PrivacyTabConfigError } from '../src/index.js';

describe('<candor-privacy-tab> bundle', () => {
  it('weighs under 50 KB gzipped with its styles', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'candor-web-size-'));
    const result = await bundlePrivacyTabElement({ outdir });
    const code = await readFile(result.file);
    expect(result.gzipBytes).toBe(gzipSync(code, { level: 9 }).byteLength);
    expect(ELEMENT_GZIP_BUDGET_BYTES).toBe(50 * 1024);
    expect(result.gzipBytes).toBeLessThan(ELEMENT_GZIP_BUDGET_BYTES);
    // The styles are inside the same file (adopted as a constructable stylesheet).
    expect(code.toString('utf8')).toContain('--candor-bg');
  });

  it('fails the build when over budget', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'candor-web-size-'));
    await expect(bundlePrivacyTabElement({ outdir, maxGzipBytes: 1000 })).rejects.toSatisfy((err: unknown) => err instanceof PrivacyTabConfigError && err.code === 'PRIVACY_TAB_ELEMENT_TOO_LARGE' && /over its budget of 1000 bytes/.test(err.message));
  });

  it('has no way to turn data into HTML', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'candor-web-size-'));
    const code = await readFile((await bundlePrivacyTabElement({ outdir })).file, 'utf8');
    for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'createContextualFragment', 'DOMParser', 'eval(', 'new Function']) expect(code, sink).not.toContain(sink);
  });
});
