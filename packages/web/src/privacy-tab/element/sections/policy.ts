import type { CatalogBody } from '../../api-types.js';
import { h } from '../dom.js';
import { heading } from '../context.js';
import type { TabContext } from '../context.js';

/** The policy version, its date, and what a pending version will change. */
export function renderPolicy(ctx: TabContext, body: CatalogBody): HTMLElement {
  const { policy, pending } = body;
  const linkage = `Reports from this server can be linked to each other for one ${policy.linkagePeriod} at most; after that they carry a new pseudonym.`;
  return h(
    'div',
    { class: 'policy' },
    policy.inEffect
      ? h('p', null, 'Policy ', h('strong', { 'data-policy-version': policy.inEffect.version }, `${policy.id} ${policy.inEffect.version}`), `, in effect since ${policy.inEffect.effectiveDate}. ${linkage}`)
      : h('p', null, `No version of the ${policy.id} policy is in effect yet: nothing optional is sent before ${policy.shipped.effectiveDate}. ${linkage}`),
    pending &&
      h(
        'div',
        { class: 'pending', role: 'note', 'data-pending-version': pending.version },
        heading(ctx, 2, null, `Coming on ${pending.effectiveDate}: version ${pending.version}`),
        pending.changes.length === 0
          ? h('p', null, 'It changes nothing that is collected.')
          : [
              h('p', null, `What it adds to optional categories is not sent before ${pending.effectiveDate}. It changes:`),
              h('ul', null, pending.changes.map((c) => h('li', null, c.sentence))),
            ],
      ),
  );
}
