import type { CatalogBody, ConsentBody, ConsentCategoryBody } from '../../api-types.js';
import type { DictionaryCategory, DictionaryEvent } from '@candor/catalog';
import { h, uid } from '../dom.js';
import { heading } from '../context.js';
import type { TabContext } from '../context.js';
import { plural } from '../format.js';
import { createSwitch } from '../switch.js';

/** Every category: what it covers, its switch (or an honest "required"), its events and fields. */
export function renderCategories(ctx: TabContext, catalog: CatalogBody, consent: ConsentBody): HTMLElement {
  const state = new Map(consent.categories.map((c) => [c.id, c]));
  const held = new Set(catalog.notYetEffective);
  const startsOn = catalog.pending?.effectiveDate ?? catalog.policy.shipped.effectiveDate;
  const later = (event: string): string | null => (held.has(event) ? startsOn : null);
  return h('div', { class: 'categories' }, catalog.dictionary.categories.map((c) => renderCategory(ctx, c, state.get(c.id), catalog.dictionary.linkagePeriod, later)));
}

function renderCategory(ctx: TabContext, c: DictionaryCategory, consent: ConsentCategoryBody | undefined, period: string, later: (event: string) => string | null): HTMLElement {
  const titleId = uid('cat');
  const effectId = uid('effect');
  return h(
    'article',
    { class: 'category', 'aria-labelledby': titleId, 'data-category': c.id },
    h('div', { class: 'category-head' }, heading(ctx, 2, { id: titleId }, c.title), c.required ? h('span', { class: 'badge' }, 'Required') : renderSwitch(ctx, c, consent, titleId, effectId)),
    h('p', null, c.description),
    h('p', { id: effectId, class: 'effect' }, c.required && h('strong', null, 'Required. '), c.ownerText),
    consent?.source === 'env' && h('p', { class: 'note' }, 'Turned off for the whole server by its environment (CANDOR_TELEMETRY=off, or DO_NOT_TRACK=1 for optional categories); the switch here cannot turn it on.'),
    consent?.source === 'recovered' && h('p', { class: 'note' }, 'The saved choices could not be read, so this category stays off until you decide again.'),
    consent?.decidedAt && h('p', { class: 'muted' }, `You decided on ${consent.decidedAt.slice(0, 10)}.`),
    h('p', { class: 'muted' }, `Kept by the vendor at most ${plural(c.maxRetentionDays, 'day')}.`),
    h(
      'details',
      { class: 'events' },
      h('summary', null, `${plural(c.events.length, 'event')} and exactly what each sends`),
      c.events.map((e) => renderEvent(ctx, e, period, later(e.name))),
    ),
  );
}

function renderSwitch(ctx: TabContext, c: DictionaryCategory, consent: ConsentCategoryBody | undefined, titleId: string, effectId: string): HTMLElement {
  return createSwitch({
    labelledBy: titleId,
    describedBy: effectId,
    checked: consent?.on ?? c.defaultOn,
    // The environment's switch wins; the page cannot turn a category back on past it.
    disabled: consent?.source === 'env',
    data: { category: c.id },
    save: async (wanted) => {
      const body = await ctx.api.post<ConsentBody>('consent', { category: c.id, on: wanted });
      const on = body.categories.find((x) => x.id === c.id)?.on ?? wanted;
      ctx.refreshActivity();
      if (c.id === 'integrations') ctx.refreshIntegrations();
      return { on, message: on ? 'Turned on.' : 'Turned off. Queued reports of this category were deleted, and the vendor was asked to delete the ones it received.' };
    },
  });
}

function renderEvent(ctx: TabContext, e: DictionaryEvent, period: string, startsOn: string | null): HTMLElement {
  const captionId = uid('fields');
  return h(
    'section',
    { class: 'event' },
    heading(ctx, 3, null, h('code', null, e.name)),
    startsOn !== null && h('p', { class: 'note' }, `New in the pending policy version: not sent before ${startsOn}.`),
    h('p', null, e.description),
    h('p', null, h('strong', null, 'Why: '), e.purpose),
    h('p', { class: 'muted' }, `Kept ${plural(e.retentionDays, 'day')}. At most ${e.maxPerPeriod} per ${period}${e.sampled ? ', a uniform sample sent when the ' + period + ' ends' : ''}.`),
    e.fields.length === 0
      ? h('p', null, 'No fields.')
      : h(
          'div',
          { class: 'table-wrap', role: 'region', 'aria-labelledby': captionId, tabindex: 0 },
          h(
            'table',
            null,
            h('caption', { id: captionId }, `Fields of ${e.name}`),
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'What it is'), h('th', { scope: 'col' }, 'What leaves this server'))),
            h(
              'tbody',
              null,
              e.fields.map((f) => h('tr', null, h('th', { scope: 'row' }, h('code', null, f.name), f.optional ? ' (optional)' : ''), h('td', null, f.description), h('td', null, f.generalization))),
            ),
          ),
        ),
    h('details', { class: 'example' }, h('summary', null, `Example of ${e.name} as sent`), h('pre', { tabindex: 0 }, JSON.stringify(e.example, null, 2))),
  );
}
