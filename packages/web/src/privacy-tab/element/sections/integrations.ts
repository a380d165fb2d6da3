import type { IntegrationsBody } from '../../api-types.js';
import { h, uid } from '../dom.js';
import { heading } from '../context.js';
import type { TabContext } from '../context.js';

/** Declared third parties: where each sends, which fields, and whether it may. */
export function renderIntegrations(ctx: TabContext, body: IntegrationsBody): HTMLElement {
  if (body.integrations.length === 0) return h('p', { class: 'muted' }, 'No third-party integration is declared on this server.');
  return h(
    'div',
    { class: 'integrations' },
    body.categoryOn === false && h('p', { class: 'note' }, 'Third-party integrations are turned off: nothing below is delivered.'),
    body.integrations.map((i) => {
      const captionId = uid('int');
      return h(
        'article',
        { class: 'integration', 'data-integration': i.id },
        heading(ctx, 2, null, i.title),
        h('p', null, h('strong', null, 'Sends to: '), h('code', { class: 'destination' }, i.destination)),
        h('p', null, `Kind: ${i.kind}.`, i.enabled === null ? '' : i.enabled ? ' Enabled.' : ' Disabled.', i.purpose ? ` ${i.purpose}` : ''),
        h(
          'div',
          { class: 'table-wrap', role: 'region', 'aria-labelledby': captionId, tabindex: 0 },
          h(
            'table',
            null,
            h('caption', { id: captionId }, `What ${i.title} receives`),
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'What it is'), h('th', { scope: 'col' }, 'Sent as'))),
            h('tbody', null, i.fields.map((f) => h('tr', null, h('th', { scope: 'row' }, h('code', null, f.name)), h('td', null, f.description), h('td', null, f.sentAs)))),
          ),
        ),
      );
    }),
  );
}
