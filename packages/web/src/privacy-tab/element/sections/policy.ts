import type { CatalogBody } from '../../api-types.js';
import { h } from '../dom.js';
import { heading } from '../context.js';
import type { TabContext } from '../context.js';

/** The policy version, its date, and what a pending version will change. */
export function renderPolicy(ctx: TabContext, body: CatalogBody): HTMLElement {
  const { policy, pending } = body;
  return h(
    'div',
    { class: 'policy' },
    h(
      'p',
      null,
      'Policy ',
      h('strong', null, `${policy.id} ${policy.version}`),
      `, in effect since ${policy.effectiveDate}. Reports from this server can be linked to each other for one ${policy.linkagePeriod} at most; after that they carry a new pseudonym.`,
    ),
    pending &&
      h(
        'div',
        { class: 'pending', role: 'note' },
        heading(ctx, 2, null, `Coming on ${pending.effectiveDate}: version ${pending.version}`),
        pending.changes.length === 0
          ? h('p', null, 'It changes nothing that is collected.')
          : [h('p', null, 'Nothing new is collected before that date. The new version changes:'), h('ul', null, pending.changes.map((c) => h('li', null, c.sentence)))],
      ),
  );
}
