import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CatalogConfigError } from './errors.js';
import type { CatalogSpec } from './types.js';

/** Whether a value looks like a catalog declaration. */
export function isCatalogSpec(value: unknown): value is CatalogSpec {
  return typeof value === 'object' && value !== null && 'id' in value && 'events' in value && 'categories' in value;
}

/**
 * Loads a catalog from a module path (relative to `cwd`) or package specifier: its default
 * export, or its only export that is a catalog.
 */
export async function loadCatalogModule(specifier: string, cwd = process.cwd()): Promise<CatalogSpec> {
  const target = specifier.startsWith('.') || specifier.startsWith('/') ? pathToFileURL(resolve(cwd, specifier)).href : specifier;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(target)) as Record<string, unknown>;
  } catch (error) {
    throw new CatalogConfigError('CATALOG_MODULE_NOT_FOUND', `could not load catalog module "${specifier}": ${whyNotLoaded(error, target)}`);
  }
  if (isCatalogSpec(mod.default)) return mod.default;
  const found = Object.values(mod).filter(isCatalogSpec);
  if (found.length === 1) return found[0]!;
  throw new CatalogConfigError('CATALOG_EXPORT_NOT_FOUND', found.length === 0 ? `"${specifier}" exports no catalog` : `"${specifier}" exports ${found.length} catalogs; export one as default`);
}

// Node names the importing file in its message, which only confuses: say plainly when the
// module itself is missing, and keep Node's words for errors inside it (a syntax error, a
// missing import of its own).
function whyNotLoaded(error: unknown, target: string): string {
  const e = error as { code?: unknown; message?: unknown; url?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (e?.code !== 'ERR_MODULE_NOT_FOUND') return message;
  const missing = target.startsWith('file:') ? fileURLToPath(target) : target;
  const names = message.includes(`'${missing}'`) || message.includes(`'${target}'`) || e.url === target;
  return names ? 'no such file or package' : message;
}
