import { compileCatalog, type CatalogSpec, type CompiledCatalog, type CompiledEvent, type CompiledField } from '@candor/catalog';
import { CollectorConfigError } from '../errors.js';
import type { StoreSchema, StoredEventSchema, StoredField, StoredFieldType } from '../storage/contract.js';

/** Everything the collector derives from its catalogs: compiled versions, the store schema, policies. */
export interface CatalogRegistry {
  readonly id: string;
  readonly linkage: 'day' | 'week' | 'month';
  /** The configured (newest) version. */
  readonly current: CompiledCatalog;
  /** Accepted versions, oldest first. */
  readonly versions: readonly CompiledCatalog[];
  /** The compiled catalog of a version, or undefined when not accepted. */
  get(version: string): CompiledCatalog | undefined;
  /** The schema the store must hold: every event and field of every accepted version. */
  readonly schema: StoreSchema;
  /** The newest declaration of an event across versions, or undefined. */
  latestEvent(name: string): CompiledEvent | undefined;
  /** Every event name of the given categories (across versions); unknown categories match nothing. */
  eventsOfCategories(categories: readonly string[]): string[];
  /** Every category id across versions. */
  readonly categories: ReadonlySet<string>;
  /**
   * The earliest day an event of `version` may carry: events that this version adds to an
   * optional category start only on its effective date (earlier versions did not disclose them).
   */
  startDay(version: CompiledCatalog, event: string): string | undefined;
}

/**
 * Compiles a catalog and its `previous` versions into a registry. Throws a
 * {@link CollectorConfigError} when the versions cannot share one store (a field that
 * changes type, or a different linkage period).
 */
export function createCatalogRegistry(spec: CatalogSpec): CatalogRegistry {
  const specs = [...(spec.previous ?? []), spec];
  const versions = specs.map((s) => compileCatalog(s));
  const byVersion = new Map(versions.map((c) => [c.version, c]));
  const current = versions[versions.length - 1]!;
  for (const c of versions) {
    if (c.id !== current.id) throw new CollectorConfigError('CONFIG_CATALOG_INCOMPATIBLE', `previous version ${c.version} has catalog id "${c.id}", not "${current.id}"`);
    if (c.spec.linkagePeriod !== current.spec.linkagePeriod) {
      throw new CollectorConfigError('CONFIG_CATALOG_INCOMPATIBLE', `version ${c.version} links by ${c.spec.linkagePeriod}, version ${current.version} by ${current.spec.linkagePeriod}; one store needs one linkage period`);
    }
  }
  const schema: StoreSchema = { catalogId: current.id, linkage: current.spec.linkagePeriod, events: buildEventSchemas(versions) };
  const latest = new Map<string, CompiledEvent>();
  for (const c of versions) for (const [name, e] of c.events) latest.set(name, e);
  const categories = new Set<string>();
  for (const c of versions) for (const id of c.categories.keys()) categories.add(id);
  const firstVersionOf = new Map<string, number>();
  versions.forEach((c, i) => {
    for (const name of c.events.keys()) if (!firstVersionOf.has(name)) firstVersionOf.set(name, i);
  });
  return {
    id: current.id,
    linkage: current.spec.linkagePeriod,
    current,
    versions,
    get: (version) => byVersion.get(version),
    schema,
    latestEvent: (name) => latest.get(name),
    eventsOfCategories(wanted) {
      const set = new Set(wanted);
      return [...latest.values()].filter((e) => versions.some((c) => set.has(c.events.get(e.name)?.category ?? e.category))).map((e) => e.name);
    },
    categories,
    startDay(version, event) {
      const e = version.events.get(event);
      if (e === undefined) return undefined;
      const required = version.categories.get(e.category)?.required === true;
      const index = versions.indexOf(version);
      // An event present since the first accepted version, or in a required category, was disclosed already.
      if (required || index <= 0 || (firstVersionOf.get(event) ?? index) < index) return undefined;
      return version.spec.effectiveDate;
    },
  };
}

/** The wire type of a field's generalized value. */
function fieldType(f: CompiledField): StoredFieldType {
  const type = f.generalizer.schema.type;
  if (type === 'boolean') return 'boolean';
  if (type === 'number' || type === 'integer') return 'number';
  return 'string';
}

/**
 * Whether statistics may group by a field. Long free text (scrubbed messages and stacks) never;
 * an identifier (an error class name) may, and its values are withheld in suppressed cells.
 */
function isGroupable(f: CompiledField): boolean {
  return !f.generalizer.freeText || f.generalizer.spec.kind === 'identifier';
}

function buildEventSchemas(versions: readonly CompiledCatalog[]): StoredEventSchema[] {
  const out = new Map<string, { category: string; fields: Map<string, StoredField>; maxPerPeriod: number }>();
  for (const c of versions) {
    for (const [name, e] of c.events) {
      const entry = out.get(name) ?? { category: e.category, fields: new Map<string, StoredField>(), maxPerPeriod: 0 };
      entry.category = e.category;
      entry.maxPerPeriod = Math.max(entry.maxPerPeriod, e.spec.maxPerPeriod);
      for (const f of e.fields) {
        const next: StoredField = { name: f.name, type: fieldType(f), groupable: isGroupable(f) };
        const prev = entry.fields.get(f.name);
        if (prev !== undefined && prev.type !== next.type) {
          throw new CollectorConfigError('CONFIG_CATALOG_INCOMPATIBLE', `field ${name}.${f.name} is a ${prev.type} in an earlier version and a ${next.type} in ${c.version}; give the new meaning a new field name`);
        }
        // Groupable only if every version allows it: a field that became free text stays private.
        entry.fields.set(f.name, prev === undefined ? next : { ...next, groupable: prev.groupable && next.groupable });
      }
      out.set(name, entry);
    }
  }
  return [...out].map(([name, e]) => ({ name, category: e.category, fields: [...e.fields.values()], maxPerPeriod: e.maxPerPeriod }));
}
