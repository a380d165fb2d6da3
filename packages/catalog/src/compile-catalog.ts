import { CatalogConfigError } from './errors.js';
import { Rejection, type AnyGeneralizer, type Scalar } from './generalizer.js';
import { lintCatalog } from './lint-catalog.js';
import { NormalizeError, issue, type FieldIssue } from './normalize-error.js';
import type { CatalogSpec, CategorySpec, EventSpec } from './types.js';

/** A generalized payload: field name to generalized value (`null` for an omitted optional field). */
export type Payload = Record<string, Scalar | null>;

/** The result of normalizing one raw event. */
export type NormalizeResult = { readonly ok: true; readonly payload: Payload } | { readonly ok: false; readonly error: NormalizeError };

/** A field after compilation. */
export interface CompiledField {
  readonly name: string;
  /** Raw keys read: one, or several for multi-input generalizers. */
  readonly rawKeys: readonly string[];
  readonly optional: boolean;
  readonly generalizer: AnyGeneralizer;
  readonly description: string;
}

/** An event after compilation: a fast normalizer and a wire checker. */
export interface CompiledEvent {
  readonly name: string;
  readonly spec: EventSpec;
  readonly category: string;
  readonly fields: readonly CompiledField[];
  /** Raw → generalized payload, or a typed error. Never throws, never mutates its input. */
  normalize(raw: unknown): NormalizeResult;
  /** Problems with a payload received on the wire (the collector's check); empty when valid. */
  check(payload: unknown): FieldIssue[];
}

/** A catalog compiled for use: events by name, categories, and a normalizer. */
export interface CompiledCatalog {
  readonly spec: CatalogSpec;
  readonly id: string;
  readonly version: string;
  readonly events: ReadonlyMap<string, CompiledEvent>;
  readonly categories: ReadonlyMap<string, CategorySpec>;
  /** Normalizes a raw event by name. Never throws. */
  normalize(name: string, raw: unknown): NormalizeResult;
}

const cache = new WeakMap<CatalogSpec, CompiledCatalog>();
const MAX_UNKNOWN_FIELD_ISSUES = 20;
const SHOWABLE_NAME = /^[A-Za-z_$][\w$.-]{0,63}$/;

// Undeclared names are echoed in errors to help the host's developer, but only when they look
// like names: a host that mistakenly passes a title as a key must not see it copied into logs.
function shownName(name: string): string {
  return SHOWABLE_NAME.test(name) ? name : '<a name that is not an identifier>';
}

/**
 * Compiles a catalog once into per-event normalizers. Throws a {@link CatalogConfigError}
 * naming every problem when data review finds errors: a broken catalog must not start.
 */
export function compileCatalog(spec: CatalogSpec): CompiledCatalog {
  const cached = cache.get(spec);
  if (cached) return cached;
  const problems = lintCatalog(spec).filter((p) => p.severity === 'error');
  if (problems.length > 0) {
    throw new CatalogConfigError('CATALOG_INVALID_DECLARATION', `catalog "${String(spec.id)}" has ${problems.length} problem(s): ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
  const events = new Map<string, CompiledEvent>();
  for (const [name, eventSpec] of Object.entries(spec.events)) events.set(name, compileEvent(name, eventSpec));
  const categories = new Map<string, CategorySpec>(Object.entries(spec.categories));
  const compiled: CompiledCatalog = {
    spec,
    id: spec.id,
    version: spec.version,
    events,
    categories,
    normalize(name, raw) {
      const event = typeof name === 'string' ? events.get(name) : undefined;
      if (event === undefined) {
        const shown = typeof name === 'string' ? shownName(name) : `<${typeof name}>`;
        return { ok: false, error: new NormalizeError(shown, [issue(shown, 'unknown_event', 'this event is not declared in the catalog')]) };
      }
      return event.normalize(raw);
    },
  };
  cache.set(spec, compiled);
  return compiled;
}

function compileEvent(name: string, spec: EventSpec): CompiledEvent {
  const fields: CompiledField[] = Object.entries(spec.fields).map(([fieldName, f]) => ({
    name: fieldName,
    rawKeys: f.generalize.inputs ?? [f.from ?? fieldName],
    optional: f.optional === true,
    generalizer: f.generalize,
    description: f.description,
  }));
  const knownKeys = new Set(fields.flatMap((f) => f.rawKeys));
  const fieldNames = new Set(fields.map((f) => f.name));

  function slowIssues(raw: Record<string, unknown>): FieldIssue[] {
    const issues: FieldIssue[] = [];
    for (const f of fields) {
      const first = raw[f.rawKeys[0]!];
      const second = f.rawKeys.length > 1 ? raw[f.rawKeys[1]!] : undefined;
      // An optional field may be passed as null ("unknown"); it then leaves as null, like an omitted one.
      const absent = f.rawKeys.every((k) => raw[k] === undefined || (f.optional && raw[k] === null));
      if (absent && !f.generalizer.inputs) {
        if (!f.optional) issues.push(issue(`${name}.${f.rawKeys[0]}`, 'missing'));
        continue;
      }
      const v = f.generalizer.apply(first, second);
      if (v instanceof Rejection) issues.push(issue(`${name}.${f.rawKeys.join('+')}`, v.reason, v.detail));
    }
    reportUnknown(Object.keys(raw), knownKeys, issues);
    return issues;
  }

  // A hostile object may carry a million keys: name the first few, count the rest.
  function reportUnknown(keys: readonly string[], known: ReadonlySet<string>, issues: FieldIssue[]): void {
    let unknown = 0;
    for (const key of keys) {
      if (known.has(key)) continue;
      if (++unknown <= MAX_UNKNOWN_FIELD_ISSUES) issues.push(issue(`${name}.${shownName(key)}`, 'unknown_field', 'this field is not declared for the event'));
    }
    if (unknown > MAX_UNKNOWN_FIELD_ISSUES) issues.push(issue(name, 'unknown_field', `${unknown - MAX_UNKNOWN_FIELD_ISSUES} more undeclared fields`));
  }

  const normalize = buildFastNormalizer(name, fields, slowIssues);

  function check(payload: unknown): FieldIssue[] {
    try {
      return checkFields(payload);
    } catch {
      return [issue(name, 'internal', 'the fields could not be read')];
    }
  }

  function checkFields(payload: unknown): FieldIssue[] {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return [issue(name, 'not_an_object', 'fields must be an object')];
    const p = payload as Record<string, unknown>;
    const issues: FieldIssue[] = [];
    for (const f of fields) {
      const has = Object.hasOwn(p, f.name);
      const v = has ? p[f.name] : undefined;
      if (!has || v === undefined) {
        issues.push(issue(`${name}.${f.name}`, 'missing'));
      } else if (v === null) {
        if (!f.optional) issues.push(issue(`${name}.${f.name}`, 'wrong_type', 'this field may not be null'));
      } else if (!f.generalizer.accepts(v)) {
        issues.push(issue(`${name}.${f.name}`, 'invalid_format', 'the value is not one the field\'s generalizer can produce'));
      }
    }
    reportUnknown(Object.keys(p), fieldNames, issues);
    return issues;
  }

  return { name, spec, category: spec.category, fields, normalize, check };
}

type SlowIssues = (raw: Record<string, unknown>) => FieldIssue[];

/**
 * Generates a specialized normalizer for one event (as ajv does for schemas): straight-line
 * reads of each raw key and one object literal for the payload, so that V8 allocates it with
 * a fixed shape. Field and key names are checked by data review (camelCase identifiers)
 * before compiling, and are emitted through JSON.stringify besides, so no catalog text can
 * inject code. Any error falls back to `slowIssues`, which names every problem.
 */
function buildFastNormalizer(name: string, fields: readonly CompiledField[], slowIssues: SlowIssues): (raw: unknown) => NormalizeResult {
  const lines: string[] = [];
  lines.push('return function normalize(raw) {');
  lines.push('  try {');
  // Inside the try: Array.isArray throws on a revoked proxy.
  lines.push('    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return notObject();');
  lines.push('    let present = 0;');
  fields.forEach((f, i) => {
    const k0 = JSON.stringify(f.rawKeys[0]);
    if (f.rawKeys.length > 1) {
      const k1 = JSON.stringify(f.rawKeys[1]);
      lines.push(`    const a${i} = raw[${k0}], b${i} = raw[${k1}];`);
      lines.push(`    if (a${i} !== undefined) present++; if (b${i} !== undefined) present++;`);
      lines.push(`    const v${i} = g[${i}].apply(a${i}, b${i}); if (v${i} instanceof Rejection) return slow(raw);`);
    } else {
      lines.push(`    const a${i} = raw[${k0}];`);
      if (f.optional) {
        lines.push(`    let v${i} = null; if (a${i} !== undefined) { present++; if (a${i} !== null) { v${i} = g[${i}].apply(a${i}); if (v${i} instanceof Rejection) return slow(raw); } }`);
      } else {
        lines.push(`    if (a${i} === undefined) return slow(raw); present++;`);
        lines.push(`    const v${i} = g[${i}].apply(a${i}); if (v${i} instanceof Rejection) return slow(raw);`);
      }
    }
  });
  lines.push('    let count = 0; for (const _ in raw) count++;');
  lines.push('    if (count !== present) { const extra = unknownOnly(raw); if (extra !== null) return extra; }');
  lines.push(`    return { ok: true, payload: { ${fields.map((f, i) => `${JSON.stringify(f.name)}: v${i}`).join(', ')} } };`);
  lines.push('  } catch { return unreadable(); }');
  lines.push('};');
  const fail = (issues: FieldIssue[]): NormalizeResult => ({ ok: false, error: new NormalizeError(name, issues) });
  const slow = (raw: Record<string, unknown>): NormalizeResult => fail(slowIssues(raw));
  // Own keys that are not declared; inherited enumerable keys (a polluted prototype) are ignored.
  const unknownOnly = (raw: Record<string, unknown>): NormalizeResult | null => {
    const issues = slowIssues(raw);
    return issues.length > 0 ? fail(issues) : null;
  };
  const notObject = (): NormalizeResult => fail([issue(name, 'not_an_object', 'the event payload must be a plain object')]);
  // A getter or proxy on the host's object threw: report it, never rethrow into the host.
  const unreadable = (): NormalizeResult => fail([issue(name, 'internal', 'the event payload could not be read')]);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function('g', 'Rejection', 'slow', 'unknownOnly', 'notObject', 'unreadable', lines.join('\n')) as (...args: unknown[]) => (raw: unknown) => NormalizeResult;
  return factory(
    fields.map((f) => f.generalizer),
    Rejection,
    slow,
    unknownOnly,
    notObject,
    unreadable,
  );
}
