import { ApiError } from '../api-client.js';
import { h, replace } from '../dom.js';
import type { TabContext } from '../context.js';
import { plural } from '../format.js';

/** Export everything sent, and ask the collector to delete everything it holds. */
export function renderYourData(ctx: TabContext): HTMLElement {
  const status = h('div', { class: 'delete-status', role: 'status', 'aria-live': 'polite' });
  const confirmBox = h('div', { class: 'confirm', hidden: true });
  const deleteButton = h('button', { type: 'button', class: 'danger', 'aria-expanded': 'false' }, 'Delete my data');

  const runDelete = (): void => {
    replace(confirmBox);
    confirmBox.hidden = true;
    deleteButton.setAttribute('aria-expanded', 'false');
    deleteButton.disabled = true;
    replace(status, h('p', null, 'Asking the vendor to delete your data…'));
    ctx.api
      .post<{ acknowledgement: unknown }>('delete', {})
      .then((body) => {
        replace(status, h('div', { class: 'ok' }, h('p', null, describeAck(body.acknowledgement)), h('pre', { class: 'ack', tabindex: 0 }, JSON.stringify(body.acknowledgement, null, 2))));
        ctx.refreshActivity();
      })
      .catch((err: unknown) => {
        replace(
          status,
          h(
            'div',
            { class: 'error', role: 'alert' },
            h('p', null, `The deletion did not go through: ${err instanceof ApiError ? err.message : String(err)}`),
            h('p', null, 'Nothing was lost; retrying is safe.'),
            h('button', { type: 'button', onclick: runDelete }, 'Retry deletion'),
          ),
        );
      })
      .finally(() => {
        deleteButton.disabled = false;
      });
  };

  deleteButton.addEventListener('click', () => {
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const confirm = h('button', { type: 'button', class: 'danger' }, 'Yes, delete');
    cancel.addEventListener('click', () => {
      confirmBox.hidden = true;
      deleteButton.setAttribute('aria-expanded', 'false');
      deleteButton.focus();
    });
    confirm.addEventListener('click', runDelete);
    replace(
      confirmBox,
      h('p', null, 'This asks the vendor to delete every report this server sent within the retention window, then starts a new pseudonym. Your settings stay as they are.'),
      h('div', { class: 'buttons' }, confirm, cancel),
    );
    confirmBox.hidden = false;
    deleteButton.setAttribute('aria-expanded', 'true');
    confirm.focus();
  });

  return h(
    'div',
    { class: 'your-data' },
    h('p', null, h('a', { href: ctx.api.url('export'), download: '', class: 'button' }, 'Download everything sent (JSON)')),
    h('p', null, deleteButton),
    confirmBox,
    status,
  );
}

function describeAck(ack: unknown): string {
  const a = ack as { deleted?: unknown; effectiveAt?: unknown } | null;
  if (a && typeof a.deleted === 'number' && typeof a.effectiveAt === 'string') {
    return `The vendor acknowledged the deletion: ${plural(a.deleted, 'event')} deleted, effective ${a.effectiveAt.replace('T', ' ').slice(0, 19)} UTC. This server now reports under a new pseudonym.`;
  }
  return 'The vendor acknowledged the deletion:';
}
