import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CatalogConfigError } from './errors.js';
import { isCatalogSpec, loadCatalogModule } from './load-catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'candor-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const minimal = (id: string) => `{ id: '${id}', version: '1.0.0', effectiveDate: '2026-01-01', linkagePeriod: 'day', categories: {}, events: {} }`;
function write(name: string, source: string): string {
  writeFileSync(join(dir, name), source);
  return name;
}

describe('loadCatalogModule', () => {
  it('loads the default export, relative to a working directory', async () => {
    write('default.mjs', `export default ${minimal('one')}; export const unrelated = 1;`);
    await expect(loadCatalogModule('./default.mjs', dir)).resolves.toMatchObject({ id: 'one' });
  });

  it('loads the only exported catalog, by absolute path', async () => {
    write('named.mjs', `export const catalog = ${minimal('two')};`);
    await expect(loadCatalogModule(join(dir, 'named.mjs'))).resolves.toMatchObject({ id: 'two' });
  });

  it('loads a package export', async () => {
    await expect(loadCatalogModule('@candor/catalog/media-server')).resolves.toMatchObject({ id: 'media-server' });
  });

  it('names a module that cannot be loaded', async () => {
    const error = await loadCatalogModule('./missing.mjs', dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogConfigError);
    expect(error).toMatchObject({ code: 'CATALOG_MODULE_NOT_FOUND', message: expect.stringContaining('could not load catalog module "./missing.mjs"') });
    write('broken.mjs', 'export default {');
    await expect(loadCatalogModule('./broken.mjs', dir)).rejects.toMatchObject({ code: 'CATALOG_MODULE_NOT_FOUND' });
  });

  it('names a module without exactly one catalog', async () => {
    write('none.mjs', 'export const x = 1;');
    await expect(loadCatalogModule('./none.mjs', dir)).rejects.toMatchObject({ code: 'CATALOG_EXPORT_NOT_FOUND', message: '"./none.mjs" exports no catalog' });
    write('two.mjs', `export const a = ${minimal('a')}; export const b = ${minimal('b')};`);
    await expect(loadCatalogModule('./two.mjs', dir)).rejects.toMatchObject({ code: 'CATALOG_EXPORT_NOT_FOUND', message: '"./two.mjs" exports 2 catalogs; export one as default' });
  });
});

describe('isCatalogSpec', () => {
  it('recognizes the shape of a declaration', () => {
    expect(isCatalogSpec({ id: 'x', events: {}, categories: {} })).toBe(true);
    expect([null, 1, 'x', {}, { id: 'x' }].some(isCatalogSpec)).toBe(false);
  });
});
