import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PRIVACY_TAB_API_ERRORS, PRIVACY_TAB_CONFIG_CODES } from '../src/index.js';
import { PAGE_CSS } from '../src/privacy-tab/page.js';

const doc = (): Promise<string> => readFile(new URL('../../../docs/privacy-tab.md', import.meta.url), 'utf8');

describe('docs/privacy-tab.md', () => {
  it('documents every API error code with its status', async () => {
    const text = await doc();
    for (const [code, { status }] of Object.entries(PRIVACY_TAB_API_ERRORS)) expect(text, code).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
  });

  it('documents every configuration error code', async () => {
    const text = await doc();
    for (const code of Object.keys(PRIVACY_TAB_CONFIG_CODES)) expect(text, code).toContain(`\`${code}\``);
  });

  it('documents every CSS variable the element and the page read', async () => {
    const text = await doc();
    const css = await readFile(new URL('../src/privacy-tab/element/styles.css', import.meta.url), 'utf8');
    const used = new Set([...`${css}\n${PAGE_CSS}`.matchAll(/var\((--candor-[a-z-]+)/g)].map((m) => m[1]!));
    expect(used.size).toBeGreaterThan(10);
    for (const v of used) expect(text, v).toMatch(new RegExp(`\\| \`${v}\` \\|`));
  });
});
