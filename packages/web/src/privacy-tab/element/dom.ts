// The element's only way to make DOM. Text goes in as text nodes, attributes through
// setAttribute: there is no path from data to HTML parsing (and the page's Trusted Types
// policy would refuse one).

/** A child: text, a node, or nothing. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

/** Attributes: strings and booleans become attributes, functions under `on…` become listeners. */
export type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

/** Creates an element with attributes, listeners and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (typeof value === 'function') el.addEventListener(name.slice(2), value);
      else if (value === true) el.setAttribute(name, '');
      else if (value !== false && value !== null && value !== undefined) el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends children to a node. */
export function append(parent: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c as readonly Child[]);
    else parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : (c as Node));
  }
}

/** Replaces a node's children. */
export function replace(parent: Element | ShadowRoot, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let counter = 0;
/** A fresh id for label and description links inside the shadow root. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}
