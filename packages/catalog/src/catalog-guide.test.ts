import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LINT_CODES } from './lint-catalog.js';
import { mediaServerCatalog } from './media-server.js';

// docs/catalog.md is the authoring guide: every data-review code a person can meet is explained there.
const guide = readFileSync(fileURLToPath(new URL('../../../docs/catalog.md', import.meta.url)), 'utf8');

describe('docs/catalog.md', () => {
  it('explains every data-review code', () => {
    const missing = Object.keys(LINT_CODES).filter((code) => !new RegExp(`^\\| \`${code}\` \\| \\S`, 'm').test(guide));
    expect(missing, 'add a row "| `code` | meaning |" to the data review table in docs/catalog.md').toEqual([]);
  });

  it('documents no code that does not exist', () => {
    const documented = [...guide.matchAll(/^\| `([a-z_]+)` \| [A-Z]/gm)].map((m) => m[1]!);
    expect(documented.filter((code) => !Object.hasOwn(LINT_CODES, code))).toEqual([]);
  });

  it('shows every generalizer the default catalog uses', () => {
    const kinds = new Set(Object.values(mediaServerCatalog.events).flatMap((e) => Object.values(e.fields).map((f) => f.generalize.spec.kind)));
    const names: Record<string, string> = { buckets: 'buckets', 'log-buckets': 'logBuckets', round: 'round', clamp: 'clamp', enumeration: 'enumeration', boolean: 'boolean', 'resolution-class': 'resolutionClass', 'version-prefix': 'versionPrefix', 'coarse-time': 'coarseTime', 'scrubbed-text': 'scrubbedText', identifier: 'identifier' };
    for (const kind of kinds) expect(guide, kind).toContain(`| \`${names[kind] ?? kind}(`);
  });
});
