import type { CatalogSpec } from './types.js';

/** Kinds of change between two catalog versions. */
export type CatalogChangeKind =
  | 'metadata_changed'
  | 'category_added'
  | 'category_removed'
  | 'category_changed'
  | 'event_added'
  | 'event_removed'
  | 'event_changed'
  | 'field_added'
  | 'field_removed'
  | 'field_changed';

/** One change, with a sentence a person reads. */
export interface CatalogChange {
  readonly kind: CatalogChangeKind;
  /** The category the change belongs to (the new one for moved events). */
  readonly category: string | null;
  readonly event?: string;
  readonly field?: string;
  readonly sentence: string;
}

/** The difference between two catalog versions. */
export interface CatalogDiff {
  readonly from: { readonly id: string; readonly version: string };
  readonly to: { readonly id: string; readonly version: string; readonly effectiveDate: string };
  readonly changes: readonly CatalogChange[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Lists what changed from `before` to `after`: categories, events and fields, in sentences. */
export function diffCatalogs(before: CatalogSpec, after: CatalogSpec): CatalogDiff {
  const changes: CatalogChange[] = [];
  const title = (id: string): string => after.categories[id]?.title ?? before.categories[id]?.title ?? id;
  if (before.linkagePeriod !== after.linkagePeriod) {
    changes.push({ kind: 'metadata_changed', category: null, sentence: `Reports become linkable for one ${after.linkagePeriod} instead of one ${before.linkagePeriod}.` });
  }
  for (const [id, c] of Object.entries(after.categories)) {
    const old = before.categories[id];
    if (!old) changes.push({ kind: 'category_added', category: id, sentence: `New category "${c.title}" (${c.required ? 'required' : `optional, ${c.defaultOn ? 'on' : 'off'} by default`}): ${c.description}` });
    else if (old.required !== c.required || old.defaultOn !== c.defaultOn || old.maxRetentionDays !== c.maxRetentionDays || old.description !== c.description) {
      const parts: string[] = [];
      if (old.required !== c.required) parts.push(c.required ? 'becomes required' : 'becomes optional');
      if (old.defaultOn !== c.defaultOn) parts.push(c.defaultOn ? 'is now on by default' : 'is now off by default');
      if (old.maxRetentionDays !== c.maxRetentionDays) parts.push(`may be kept ${c.maxRetentionDays} days instead of ${old.maxRetentionDays}`);
      if (old.description !== c.description) parts.push('has a new description');
      changes.push({ kind: 'category_changed', category: id, sentence: `"${c.title}" ${parts.join(', ')}.` });
    }
  }
  for (const [id, c] of Object.entries(before.categories)) {
    if (!after.categories[id]) changes.push({ kind: 'category_removed', category: id, sentence: `Category "${c.title}" is no longer collected.` });
  }
  for (const [name, e] of Object.entries(after.events)) {
    const old = before.events[name];
    if (!old) {
      const fields = Object.keys(e.fields);
      changes.push({
        kind: 'event_added',
        category: e.category,
        event: name,
        sentence: `${title(e.category)}: new event ${name} (${e.description.replace(/\.$/, '')}), with ${fields.length === 0 ? 'no fields' : `fields ${fields.join(', ')}`}, sent from ${after.effectiveDate}.`,
      });
      continue;
    }
    const what: string[] = [];
    if (old.category !== e.category) what.push(`moves from "${title(old.category)}" to "${title(e.category)}"`);
    if (old.retentionDays !== e.retentionDays) what.push(`is kept ${e.retentionDays} days instead of ${old.retentionDays}`);
    if (old.maxPerPeriod !== e.maxPerPeriod) what.push(`may be sent ${e.maxPerPeriod} times per ${after.linkagePeriod} instead of ${old.maxPerPeriod}`);
    if ((old.sampled === undefined) !== (e.sampled === undefined)) what.push(e.sampled ? 'is now sent as a uniform sample when the period ends' : 'is no longer sampled');
    if (old.purpose !== e.purpose) what.push(`has a new purpose: ${e.purpose.replace(/\.$/, '')}`);
    if (what.length > 0) changes.push({ kind: 'event_changed', category: e.category, event: name, sentence: `${title(e.category)}: ${name} ${what.join('; ')}.` });
    for (const [fname, f] of Object.entries(e.fields)) {
      const of = old.fields[fname];
      if (!of) changes.push({ kind: 'field_added', category: e.category, event: name, field: fname, sentence: `${title(e.category)}: ${name} gains field ${fname} (${f.description.replace(/\.$/, '')}); what leaves the machine: ${f.generalize.describe()}.` });
      else if (!same(of.generalize.spec, f.generalize.spec) || of.optional !== f.optional || of.from !== f.from) {
        changes.push({ kind: 'field_changed', category: e.category, event: name, field: fname, sentence: `${title(e.category)}: what leaves the machine for ${name}.${fname} changes to: ${f.generalize.describe()} (was: ${of.generalize.describe()}).` });
      }
    }
    for (const fname of Object.keys(old.fields)) {
      if (!Object.hasOwn(e.fields, fname)) changes.push({ kind: 'field_removed', category: e.category, event: name, field: fname, sentence: `${title(e.category)}: ${name} no longer sends ${fname}.` });
    }
  }
  for (const [name, e] of Object.entries(before.events)) {
    if (!Object.hasOwn(after.events, name)) changes.push({ kind: 'event_removed', category: e.category, event: name, sentence: `${title(e.category)}: event ${name} is no longer sent.` });
  }
  return { from: { id: before.id, version: before.version }, to: { id: after.id, version: after.version, effectiveDate: after.effectiveDate }, changes };
}

/** Renders a diff as Markdown, grouped by category. */
export function renderCatalogDiffMarkdown(diff: CatalogDiff): string {
  const lines = [`# Changes from ${diff.from.id} ${diff.from.version} to ${diff.to.version} (effective ${diff.to.effectiveDate})`, ''];
  if (diff.changes.length === 0) return `${lines.join('\n')}No changes.\n`;
  const byCategory = new Map<string, CatalogChange[]>();
  for (const c of diff.changes) {
    const key = c.category ?? 'catalog';
    byCategory.set(key, [...(byCategory.get(key) ?? []), c]);
  }
  for (const [cat, list] of byCategory) {
    lines.push(`## ${cat}`, '');
    for (const c of list) lines.push(`- ${c.sentence}`);
    lines.push('');
  }
  return lines.join('\n');
}
