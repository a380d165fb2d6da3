// The tab as a host runs it: plain Node on the built dist (`npm run build`, which `npm test`
// runs first), with the element from the build's default assets directory.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const SCRIPT = `
import http from 'node:http';
import { createPrivacyTabHandler } from '@candor/web';
import { mediaServerCatalog } from '@candor/catalog/media-server';
const client = {
  catalog: mediaServerCatalog,
  consent: { get: () => ({}), set: () => null },
  sentLog: { list: () => [] },
  stats: () => ({ dropped: {} }),
  policy: () => ({ catalogId: 'media-server', inEffect: { version: '1.0.0', effectiveDate: '2026-01-01' }, shipped: { version: '1.0.0', effectiveDate: '2026-01-01' }, pending: null, notYetEffective: [] }),
  deleteMyData: async () => ({ status: 'ok', response: { deleted: 0, effectiveAt: '2026-01-01T00:00:00.000Z' } }),
};
const tab = createPrivacyTabHandler({ client, authorize: () => true });
const server = http.createServer((req, res) => tab(req, res));
server.listen(0, '127.0.0.1', async () => {
  const base = 'http://127.0.0.1:' + server.address().port + '/privacy';
  const page = await fetch(base + '/');
  const js = await fetch(base + '/assets/candor-privacy-tab.js');
  const catalog = await fetch(base + '/api/catalog');
  const body = await catalog.json();
  console.log(JSON.stringify({ page: page.status, csp: page.headers.get('content-security-policy'), js: js.status, jsBytes: (await js.arrayBuffer()).byteLength, catalog: catalog.status, categories: body.dictionary.categories.length }));
  server.close();
});
`;

describe('@candor/web from dist', () => {
  it('serves the page, the built element and the API under plain Node', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: ROOT, timeout: 30_000 });
    const result = JSON.parse(stdout.trim()) as { page: number; csp: string; js: number; jsBytes: number; catalog: number; categories: number };
    expect(result).toMatchObject({ page: 200, js: 200, catalog: 200, categories: 5 });
    expect(result.csp).toContain("script-src 'self'");
    expect(result.jsBytes).toBeGreaterThan(1000);
  });
});
