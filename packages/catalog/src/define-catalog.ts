import type { CatalogSpec } from './types.js';

/**
 * Declares a catalog. The declaration is returned as is (frozen), with its literal types kept
 * so that `record(name, raw)` is typed from it. Problems are reported by `lintCatalog` and
 * refused by `compileCatalog`, not thrown here, so that data review can name all of them.
 * @example
 * export const catalog = defineCatalog({ id: 'my-server', version: '1.0.0', effectiveDate: '2026-01-01', linkagePeriod: 'day', categories: {…}, events: {…} });
 */
export function defineCatalog<const S extends CatalogSpec>(spec: S): S {
  return deepFreeze(spec);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) if (typeof v === 'object') deepFreeze(v);
  }
  return value;
}
