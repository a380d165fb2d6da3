import type { ApiClient } from './api-client.js';
import { h } from './dom.js';
import type { Attrs, Child } from './dom.js';

/** What every section of the element shares. */
export interface TabContext {
  readonly api: ApiClient;
  /** The level of the element's own title; sections use the next levels. */
  readonly headingLevel: number;
  /** Asks the element to reload the sections that depend on what was sent or dropped. */
  readonly refreshActivity: () => void;
  /** Asks the element to reload the integrations (their state follows the integrations category). */
  readonly refreshIntegrations: () => void;
}

/** A heading `depth` levels below the element's title (h1…h6). */
export function heading(ctx: TabContext, depth: number, attrs: Attrs | null, ...children: Child[]): HTMLHeadingElement {
  const level = Math.min(6, Math.max(1, ctx.headingLevel + depth));
  return h(`h${level}` as 'h1', attrs, ...children);
}

/** A section's error with a retry button, announced to screen readers. */
export function errorBox(message: string, retry: () => void): HTMLElement {
  return h('div', { class: 'error', role: 'alert' }, h('p', null, message), h('button', { type: 'button', onclick: retry }, 'Retry'));
}

/** The placeholder while a section loads. */
export function loading(what: string): HTMLElement {
  return h('p', { class: 'muted', 'aria-busy': 'true' }, `Loading ${what}…`);
}
