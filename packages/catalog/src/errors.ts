/** Stable codes of catalog declaration errors. */
export const CATALOG_ERROR_CODES = {
  CATALOG_INVALID_DECLARATION: 'the catalog declaration is malformed',
  CATALOG_INVALID_GENERALIZER: 'a generalizer was declared with invalid parameters',
  CATALOG_MODULE_NOT_FOUND: 'the catalog module could not be loaded',
  CATALOG_EXPORT_NOT_FOUND: 'the catalog module does not export a catalog',
} as const;

/** A catalog error code. */
export type CatalogErrorCode = keyof typeof CATALOG_ERROR_CODES;

/** Thrown at start-up when a catalog or generalizer declaration is unusable. */
export class CatalogConfigError extends Error {
  /** @param code stable error code  @param message what is wrong, naming the declaration */
  constructor(
    readonly code: CatalogErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CatalogConfigError';
  }
}
