import { diffCatalogs, type CatalogDiff, type CatalogSpec } from '@candor/catalog';

/** The catalog versions an owner is under today. */
export interface PolicyInfo {
  readonly catalogId: string;
  /** The version in effect today and its date, or null when no version is in effect yet. */
  readonly inEffect: { readonly version: string; readonly effectiveDate: string } | null;
  /** The version the host ships and the SDK generalizes with (named in every batch). */
  readonly shipped: { readonly version: string; readonly effectiveDate: string };
  /** A shipped version whose effective date has not come, with what it changes; null otherwise. */
  readonly pending: { readonly version: string; readonly effectiveDate: string; readonly diff: CatalogDiff } | null;
  /** Events held back until the pending version takes effect. */
  readonly notYetEffective: readonly string[];
}

/**
 * Which catalog version is in effect on `today` (YYYY-MM-DD, UTC): the newest of the shipped
 * catalog and its `previous` versions whose effective date has come. When the shipped version
 * is not yet in effect, the events it adds to optional categories are held back until its
 * date (DESIGN.md, decision 5): an owner's consent covered the version they saw.
 */
export function resolvePolicy(spec: CatalogSpec, today: string): PolicyInfo {
  const shipped = { version: spec.version, effectiveDate: spec.effectiveDate };
  if (spec.effectiveDate <= today) return { catalogId: spec.id, inEffect: shipped, shipped, pending: null, notYetEffective: [] };
  const candidates = (spec.previous ?? []).filter((p) => p.effectiveDate <= today);
  const inEffect = candidates.reduce<CatalogSpec | null>((best, p) => (best === null || p.effectiveDate >= best.effectiveDate ? p : best), null);
  const notYetEffective = Object.entries(spec.events)
    .filter(([name, e]) => {
      const category = spec.categories[e.category];
      return category !== undefined && !category.required && !(inEffect && Object.hasOwn(inEffect.events, name));
    })
    .map(([name]) => name);
  const base: CatalogSpec = inEffect ?? { ...spec, version: '0.0.0', effectiveDate: today, categories: {}, events: {} };
  return {
    catalogId: spec.id,
    inEffect: inEffect ? { version: inEffect.version, effectiveDate: inEffect.effectiveDate } : null,
    shipped,
    pending: { version: spec.version, effectiveDate: spec.effectiveDate, diff: diffCatalogs(base, spec) },
    notYetEffective,
  };
}
