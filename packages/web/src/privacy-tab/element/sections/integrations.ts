import type { IntegrationsBody } from '../../api-types.js';
import { h, replace, uid } from '../dom.js';
import { heading } from '../context.js';
import type { TabContext } from '../context.js';
import { createSwitch } from '../switch.js';

type IntegrationBody = IntegrationsBody['integrations'][number];

/** Declared third parties: where each sends, which fields, whether it sends now, and its switch. */
export function renderIntegrations(ctx: TabContext, body: IntegrationsBody): HTMLElement {
  if (body.integrations.length === 0) return h('p', { class: 'muted' }, 'No third-party integration is declared on this server.');
  return h(
    'div',
    { class: 'integrations' },
    body.categoryOn === false && h('p', { class: 'note' }, 'The third-party integrations category is turned off: none of these sends anything until it is turned on above.'),
    body.integrations.map((i) => renderIntegration(ctx, i)),
  );
}

const stateText = (active: boolean | null): string | null => (active === null ? null : active ? 'Sending now: deliveries leave as they happen.' : 'Not sending now.');

function renderIntegration(ctx: TabContext, i: IntegrationBody): HTMLElement {
  const titleId = uid('int');
  const stateId = uid('int-state');
  const captionId = uid('int-fields');
  const state = h('p', { id: stateId, class: 'int-state' }, stateText(i.active) ?? i.summary ?? '');
  return h(
    'article',
    { class: 'integration', 'aria-labelledby': titleId, 'data-integration': i.id },
    h(
      'div',
      { class: 'category-head' },
      heading(ctx, 2, { id: titleId }, i.title),
      i.switchable &&
        createSwitch({
          labelledBy: titleId,
          describedBy: stateId,
          checked: i.granted === true,
          data: { integration: i.id },
          save: async (wanted) => {
            const next = await ctx.api.post<IntegrationsBody>('integrations', { id: i.id, on: wanted });
            const now = next.integrations.find((x) => x.id === i.id);
            replace(state, stateText(now?.active ?? null) ?? '');
            ctx.refreshActivity();
            return { on: now?.granted ?? wanted, message: now?.active ? 'Turned on.' : wanted ? 'Turned on, but nothing leaves while the integrations category is off.' : 'Turned off: queued deliveries were stopped.' };
          },
        }),
    ),
    h('p', null, h('strong', null, `${i.kindLabel} to `), h('code', { class: 'destination' }, i.destination)),
    i.purpose !== '' && h('p', null, i.purpose),
    state,
    i.signing !== null && h('p', { class: 'muted' }, i.signing),
    h(
      'div',
      { class: 'table-wrap', role: 'region', 'aria-labelledby': captionId, tabindex: 0 },
      h(
        'table',
        null,
        h('caption', { id: captionId }, `What ${i.title} receives`),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Why'), h('th', { scope: 'col' }, 'What is sent'))),
        h('tbody', null, i.fields.map((f) => h('tr', null, h('th', { scope: 'row' }, h('code', null, f.name)), h('td', null, f.why), h('td', null, f.sends)))),
      ),
    ),
  );
}
