import type { CatalogSpec } from './types.js';

/** Stable codes of data-review problems. */
export const LINT_CODES = {
  invalid_metadata: 'catalog id, version, effective date or linkage period is missing or malformed',
  invalid_name: 'a category, event or field name does not follow the naming rules',
  name_collision: 'two names collide (case-insensitively, or two fields read the same raw key)',
  missing_description: 'an event, field or category has no description',
  missing_purpose: 'an event does not say why it is collected',
  missing_owner_text: 'a category does not tell owners what turning it off does',
  missing_generalizer: 'a field has no generalizer: its raw value would leave as is',
  invalid_generalizer: 'a generalizer was declared with invalid parameters (such as bucket edges that do not increase)',
  free_text_outside_crash: 'a field accepts free text outside the crash-report category',
  missing_retention: 'an event or category has no retention',
  retention_above_maximum: "an event's retention exceeds its category's maximum",
  unknown_category: 'an event names a category that is not declared',
  invalid_bound: 'an event has no valid maximum number of reports per period',
  invalid_sampling: "a sampled event's count event or field is missing, or an automatic event does not match the categories",
} as const;

/** A data-review problem code. */
export type LintCode = keyof typeof LINT_CODES;

/** One problem found by data review. */
export interface LintProblem {
  readonly severity: 'error' | 'warning';
  readonly code: LintCode;
  /** Where: `category:<id>`, `<event>` or `<event>.<field>`. */
  readonly path: string;
  readonly message: string;
}

const CATEGORY_NAME = /^[a-z][a-z0-9_]{0,31}$/;
const EVENT_NAME = /^[a-z][a-z0-9]*(?:\.[a-z][a-zA-Z0-9]*)+$/;
const FIELD_NAME = /^[a-z][a-zA-Z0-9]{0,63}$/;
// Names that would reach Object.prototype when read from a plain object.
const RESERVED = new Set(['constructor', 'prototype', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toString', 'toLocaleString', 'valueOf']);
const SEMVER = /^\d+\.\d+\.\d+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Names a declared value in a message without calling anything on it (catalogs are untrusted modules). */
function show(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 64) : typeof value === 'number' || typeof value === 'boolean' ? String(value) : `(${value === null ? 'null' : typeof value})`;
}

function blank(s: unknown): boolean {
  return typeof s !== 'string' || s.trim().length === 0;
}

/**
 * Data review: every problem that makes a catalog unfit to ship, named. Tolerates any
 * shape (catalogs are loaded from user modules), never throws.
 */
export function lintCatalog(spec: CatalogSpec): LintProblem[] {
  try {
    return lintDeclaration(spec);
  } catch {
    // A hostile or broken module (a getter that throws, a value that cannot become a string):
    // name it as one problem rather than crash the review.
    return [{ severity: 'error', code: 'invalid_metadata', path: 'catalog', message: 'the catalog could not be read: a value in it throws when inspected' }];
  }
}

function lintDeclaration(spec: CatalogSpec): LintProblem[] {
  const out: LintProblem[] = [];
  const err = (code: LintCode, path: string, message: string): void => void out.push({ severity: 'error', code, path, message });
  if (typeof spec !== 'object' || spec === null) {
    err('invalid_metadata', 'catalog', 'the catalog is not an object');
    return out;
  }
  if (typeof spec.id !== 'string' || !/^[a-z][a-z0-9-]{1,63}$/.test(spec.id)) err('invalid_metadata', 'catalog.id', 'id must be lower-case letters, digits and dashes');
  if (typeof spec.version !== 'string' || !SEMVER.test(spec.version)) err('invalid_metadata', 'catalog.version', 'version must be MAJOR.MINOR.PATCH');
  if (typeof spec.effectiveDate !== 'string' || !DATE.test(spec.effectiveDate) || Number.isNaN(Date.parse(spec.effectiveDate))) {
    err('invalid_metadata', 'catalog.effectiveDate', 'effective date must be a date written YYYY-MM-DD');
  }
  if (!['day', 'week', 'month'].includes(spec.linkagePeriod)) err('invalid_metadata', 'catalog.linkagePeriod', 'linkage period must be day, week or month');

  const categories = typeof spec.categories === 'object' && spec.categories !== null ? spec.categories : {};
  if (Object.keys(categories).length === 0) err('invalid_metadata', 'catalog.categories', 'the catalog declares no categories');
  for (const [id, c] of Object.entries(categories)) {
    const path = `category:${id}`;
    if (!CATEGORY_NAME.test(id)) err('invalid_name', path, 'category ids are lower case with underscores');
    if (blank(c?.title)) err('missing_description', path, 'the category has no title');
    if (blank(c?.description)) err('missing_description', path, 'the category has no description');
    if (blank(c?.ownerText)) err('missing_owner_text', path, 'the category does not say what turning it off does');
    if (typeof c?.maxRetentionDays !== 'number' || !Number.isInteger(c.maxRetentionDays) || c.maxRetentionDays <= 0) {
      err('missing_retention', path, 'the category needs a maximum retention in whole days');
    }
    if (typeof c?.required !== 'boolean' || typeof c?.defaultOn !== 'boolean') err('invalid_metadata', path, 'the category must say whether it is required and whether it is on by default');
  }

  const events = typeof spec.events === 'object' && spec.events !== null ? spec.events : {};
  const seenEvents = new Map<string, string>();
  for (const [name, e] of Object.entries(events)) {
    if (!EVENT_NAME.test(name)) err('invalid_name', name, 'event names are dotted lower-case words such as playback.session');
    const folded = name.toLowerCase();
    const other = seenEvents.get(folded);
    if (other !== undefined) err('name_collision', name, `the event name collides with "${other}"`);
    seenEvents.set(folded, name);
    if (blank(e?.description)) err('missing_description', name, 'the event has no description');
    if (blank(e?.purpose)) err('missing_purpose', name, 'the event does not say why it is collected');
    const category = typeof e?.category === 'string' && Object.hasOwn(categories, e.category) ? categories[e.category] : undefined;
    if (category === undefined) err('unknown_category', name, `the event names category "${show(e?.category)}", which is not declared`);
    if (typeof e?.retentionDays !== 'number' || !Number.isInteger(e.retentionDays) || e.retentionDays <= 0) {
      err('missing_retention', name, 'the event needs a retention in whole days');
    } else if (category && typeof category.maxRetentionDays === 'number' && e.retentionDays > category.maxRetentionDays) {
      err('retention_above_maximum', name, `retention of ${e.retentionDays} days exceeds the ${show(e.category)} category's maximum of ${category.maxRetentionDays}`);
    }
    if (typeof e?.maxPerPeriod !== 'number' || !Number.isInteger(e.maxPerPeriod) || e.maxPerPeriod <= 0) {
      err('invalid_bound', name, 'the event needs maxPerPeriod, a positive whole number of reports per linkage period');
    }
    if (e?.sampled !== undefined && (typeof e.sampled !== 'object' || e.sampled === null)) {
      err('invalid_sampling', name, 'sampled must name a count event and its count field');
    } else if (e?.sampled !== undefined) {
      const countEvent = typeof e.sampled.countEvent === 'string' && Object.hasOwn(events, e.sampled.countEvent) ? events[e.sampled.countEvent] : undefined;
      if (countEvent === undefined) err('invalid_sampling', name, `the count event "${show(e.sampled.countEvent)}" is not declared`);
      else if (!Object.hasOwn(countEvent.fields ?? {}, e.sampled.countField)) err('invalid_sampling', name, `the count event has no field "${show(e.sampled.countField)}"`);
      else if (countEvent.category !== e.category) err('invalid_sampling', name, 'the count event must belong to the same category');
    }
    if (e?.auto === 'consent-state') {
      const optional = Object.entries(categories).filter(([, c]) => c?.required === false).map(([id]) => id).sort();
      const declared = Object.keys(e.fields ?? {}).sort();
      if (JSON.stringify(optional) !== JSON.stringify(declared)) err('invalid_sampling', name, `a consent-state event needs exactly one boolean field per optional category (${optional.join(', ')})`);
    }
    const fields = typeof e?.fields === 'object' && e.fields !== null ? e.fields : {};
    const seenFields = new Map<string, string>();
    const seenRaw = new Map<string, string>();
    for (const [fieldName, f] of Object.entries(fields)) {
      const path = `${name}.${fieldName}`;
      if (!FIELD_NAME.test(fieldName) || RESERVED.has(fieldName)) err('invalid_name', path, 'field names are camelCase letters and digits, and not reserved JavaScript names');
      const foldedField = fieldName.toLowerCase();
      const otherField = seenFields.get(foldedField);
      if (otherField !== undefined) err('name_collision', path, `the field name collides with "${otherField}"`);
      seenFields.set(foldedField, fieldName);
      if (blank(f?.description)) err('missing_description', path, 'the field has no description');
      const g = f?.generalize;
      if (typeof g !== 'object' || g === null || typeof g.apply !== 'function' || typeof g.accepts !== 'function') {
        err('missing_generalizer', path, 'the field has no generalizer, so its raw value would leave as is');
        continue;
      }
      for (const p of g.problems ?? []) err('invalid_generalizer', path, p);
      if (g.freeText && category?.allowsFreeText !== true) {
        err('free_text_outside_crash', path, `the field accepts free text, which only crash reports may carry (category "${show(e.category)}" does not allow it)`);
      }
      const rawKeys = g.inputs ?? [typeof f.from === 'string' ? f.from : fieldName];
      for (const k of rawKeys) {
        // A raw key that is the field's own name was judged with the field name above.
        if (k !== fieldName && (!FIELD_NAME.test(k) || RESERVED.has(k))) err('invalid_name', path, `raw key "${k}" is not a valid name`);
        const owner = seenRaw.get(k);
        if (owner !== undefined) err('name_collision', path, `raw key "${k}" is already read by field "${owner}"`);
        seenRaw.set(k, fieldName);
      }
    }
  }
  return out;
}
