import type { DroppedBody } from '../../api-types.js';
import { h, uid } from '../dom.js';

/** Drops by reason, in words. */
export function renderDropped(body: DroppedBody): HTMLElement {
  if (body.total === 0) return h('p', { class: 'muted' }, 'Nothing was dropped.');
  const captionId = uid('dropped');
  return h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-labelledby': captionId, tabindex: 0 },
    h(
      'table',
      { class: 'dropped' },
      h('caption', { id: captionId }, `${body.total.toLocaleString('en-US')} events were not sent`),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Reason'), h('th', { scope: 'col' }, 'Events'), h('th', { scope: 'col' }, 'Why'))),
      h('tbody', null, body.reasons.map((r) => h('tr', { 'data-reason': r.reason }, h('th', { scope: 'row' }, h('code', null, r.reason)), h('td', null, r.count.toLocaleString('en-US')), h('td', null, r.description)))),
    ),
  );
}
