import type { CatalogBody, ConsentBody, DroppedBody, IntegrationsBody } from '../api-types.js';
import { ApiClient, ApiError } from './api-client.js';
import { h, replace, uid } from './dom.js';
import type { Child } from './dom.js';
import { errorBox, heading, loading } from './context.js';
import type { TabContext } from './context.js';
import { renderCategories } from './sections/categories.js';
import { renderDropped } from './sections/dropped.js';
import { renderIntegrations } from './sections/integrations.js';
import { renderPolicy } from './sections/policy.js';
import { createSentLogSection } from './sections/sent-log.js';
import { renderYourData } from './sections/your-data.js';
import css from './styles.css';

let sheet: CSSStyleSheet | null = null;

/**
 * `<candor-privacy-tab api="/privacy/api">`: everything collected, the switches, what was
 * sent, export and deletion, in the host's own UI. Attributes: `api` (the tab's API URL),
 * `heading-level` (level of its title, default 2), `theme` (`light` or `dark`; default follows
 * the system). Colours follow the host's `--candor-*` CSS variables.
 */
export class CandorPrivacyTab extends HTMLElement {
  #started = false;
  readonly #root: ShadowRoot;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    if ('adoptedStyleSheets' in this.#root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
      }
      this.#root.adoptedStyleSheets = [sheet];
    } else {
      this.#root.append(h('style', null, css));
    }
  }

  connectedCallback(): void {
    if (this.#started) return;
    this.#started = true;
    this.#render();
  }

  #render(): void {
    const level = Number(this.getAttribute('heading-level') ?? 2);
    const reloaders: (() => void)[] = [];
    let reloadIntegrations = (): void => undefined;
    const ctx: TabContext = {
      api: new ApiClient(this.getAttribute('api') ?? './api'),
      headingLevel: Number.isInteger(level) && level >= 1 && level <= 4 ? level : 2,
      refreshActivity: () => reloaders.forEach((r) => r()),
      refreshIntegrations: () => reloadIntegrations(),
    };
    const section = (title: string, intro: string | null, ...body: Child[]): HTMLElement => {
      const id = uid('sec');
      return h('section', { 'aria-labelledby': id }, heading(ctx, 1, { id }, title), intro !== null && h('p', { class: 'intro' }, intro), ...body);
    };
    const slot = (what: string): HTMLElement => h('div', null, loading(what));
    const fill = <T>(target: HTMLElement, what: string, fetch: () => Promise<T>, render: (value: T) => Child): (() => void) => {
      const run = (): void => {
        replace(target, loading(what));
        fetch()
          .then((value) => replace(target, render(value)))
          .catch((err: unknown) => replace(target, errorBox(`${what[0]!.toUpperCase()}${what.slice(1)} could not be loaded: ${err instanceof ApiError ? err.message : String(err)}`, run)));
      };
      run();
      return run;
    };

    const policy = slot('the policy');
    const categories = slot('the categories');
    const sent = h('div');
    const integrations = slot('the integrations');
    const deliveries = h('div');
    const dropped = slot('the drop counters');

    replace(
      this.#root,
      h(
        'div',
        { class: 'tab', part: 'tab' },
        h('header', null, heading(ctx, 0, null, 'Privacy'), policy),
        section('What is collected', 'Each category below lists every event and field this server can report, and exactly how each value is generalized before it leaves.', categories),
        section('What was sent', 'Every request this server sent to the vendor in the last 30 days (statistics batches, deletion and export requests), byte for byte.', sent),
        section('Third-party deliveries', 'Integrations you enabled send data to these destinations, listed separately from the statistics above.', integrations, deliveries),
        section('Your data', null, renderYourData(ctx)),
        section('What was dropped and why', 'Events that were recorded but not sent, by reason.', dropped),
      ),
    );

    const catalogPromise = ctx.api.get<CatalogBody>('catalog');
    fill(policy, 'the policy', () => catalogPromise, (c) => renderPolicy(ctx, c));
    fill(categories, 'the categories', () => Promise.all([ctx.api.get<CatalogBody>('catalog'), ctx.api.get<ConsentBody>('consent')]), ([c, s]) => renderCategories(ctx, c, s));
    catalogPromise
      .catch(() => null)
      .then((c) => {
        const log = createSentLogSection(ctx, c, 'collector');
        const third = createSentLogSection(ctx, c, 'delivery');
        replace(sent, log.element);
        replace(deliveries, heading(ctx, 2, null, 'Deliveries'), third.element);
        reloaders.push(log.reload, third.reload);
      })
      .catch(() => undefined);
    reloadIntegrations = fill(integrations, 'the integrations', () => ctx.api.get<IntegrationsBody>('integrations'), (b) => renderIntegrations(ctx, b));
    reloaders.push(fill(dropped, 'the drop counters', () => ctx.api.get<DroppedBody>('dropped'), renderDropped));
  }
}
