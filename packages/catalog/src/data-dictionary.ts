import { examplePayload } from './example-payload.js';
import type { Payload } from './compile-catalog.js';
import type { Scalar } from './generalizer.js';
import type { CatalogSpec } from './types.js';

/** One field in the data dictionary. */
export interface DictionaryField {
  readonly name: string;
  readonly description: string;
  /** Raw keys the host passes. */
  readonly rawKeys: readonly string[];
  readonly optional: boolean;
  /** Generalizer kind ("buckets", "enumeration", …). */
  readonly kind: string;
  /** What leaves the machine, in words. */
  readonly generalization: string;
  /** Every value that can leave, when finite. */
  readonly values: readonly Scalar[] | null;
  /** The generalizer's declarative parameters. */
  readonly params: Record<string, unknown>;
}

/** One event in the data dictionary. */
export interface DictionaryEvent {
  readonly name: string;
  readonly category: string;
  readonly description: string;
  readonly purpose: string;
  readonly retentionDays: number;
  readonly maxPerPeriod: number;
  readonly sampled: boolean;
  readonly fields: readonly DictionaryField[];
  readonly example: { readonly name: string; readonly time: string; readonly fields: Payload };
}

/** One category in the data dictionary. */
export interface DictionaryCategory {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly required: boolean;
  readonly defaultOn: boolean;
  readonly ownerText: string;
  readonly maxRetentionDays: number;
  readonly events: readonly DictionaryEvent[];
}

/** The data dictionary: everything a catalog collects, in words, with examples. */
export interface DataDictionary {
  readonly id: string;
  readonly version: string;
  readonly effectiveDate: string;
  readonly linkagePeriod: string;
  readonly categories: readonly DictionaryCategory[];
}

/** Builds the data dictionary of a catalog. */
export function buildDataDictionary(spec: CatalogSpec): DataDictionary {
  const categories = Object.entries(spec.categories).map(([id, c]): DictionaryCategory => ({
    id,
    title: c.title,
    description: c.description,
    required: c.required,
    defaultOn: c.defaultOn,
    ownerText: c.ownerText,
    maxRetentionDays: c.maxRetentionDays,
    events: Object.entries(spec.events)
      .filter(([, e]) => e.category === id)
      .map(([name, e]) => ({
        name,
        category: id,
        description: e.description,
        purpose: e.purpose,
        retentionDays: e.retentionDays,
        maxPerPeriod: e.maxPerPeriod,
        sampled: e.sampled !== undefined,
        fields: Object.entries(e.fields).map(([fname, f]) => {
          const { kind, ...params } = f.generalize.spec;
          return {
            name: fname,
            description: f.description,
            rawKeys: f.generalize.inputs ?? [f.from ?? fname],
            optional: f.optional === true,
            kind,
            generalization: f.generalize.describe(),
            values: f.generalize.outputs ?? null,
            params,
          };
        }),
        example: { name, time: spec.effectiveDate, fields: examplePayload(e) },
      })),
  }));
  return { id: spec.id, version: spec.version, effectiveDate: spec.effectiveDate, linkagePeriod: spec.linkagePeriod, categories };
}

/** Renders the data dictionary as Markdown. */
export function renderDataDictionaryMarkdown(dict: DataDictionary): string {
  const lines: string[] = [];
  lines.push(`# Data dictionary: ${dict.id} ${dict.version}`, '');
  lines.push(`Effective from ${dict.effectiveDate}. Reports of one install are linkable for one ${dict.linkagePeriod} at most; then the pseudonym changes.`, '');
  for (const c of dict.categories) {
    lines.push(`## ${c.title} (\`${c.id}\`)`, '');
    lines.push(c.description, '');
    lines.push(`- ${c.required ? 'Required: only the server-wide switch `CANDOR_TELEMETRY=off` turns it off.' : `Optional, ${c.defaultOn ? 'on' : 'off'} by default.`}`);
    lines.push(`- ${c.ownerText}`);
    lines.push(`- Kept at most ${c.maxRetentionDays} days.`, '');
    for (const e of c.events) {
      lines.push(`### \`${e.name}\``, '');
      lines.push(e.description, '');
      lines.push(`Purpose: ${e.purpose}`, '');
      lines.push(`Kept ${e.retentionDays} days. At most ${e.maxPerPeriod} per ${dict.linkagePeriod}${e.sampled ? ', a uniform sample sent when the period ends' : ''}.`, '');
      lines.push('| field | what it is | what leaves the machine |', '|---|---|---|');
      for (const f of e.fields) lines.push(`| \`${f.name}\`${f.optional ? ' (optional)' : ''} | ${escapeCell(f.description)} | ${escapeCell(f.generalization)} |`);
      lines.push('', 'Example:', '', '```json', JSON.stringify(e.example, null, 2), '```', '');
    }
  }
  return lines.join('\n');
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
