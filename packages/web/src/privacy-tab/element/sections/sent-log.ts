import type { CatalogBody, SentEntryBody, SentListBody } from '../../api-types.js';
import { ApiError } from '../api-client.js';
import { h, replace, uid } from '../dom.js';
import { errorBox, loading } from '../context.js';
import type { TabContext } from '../context.js';
import { formatBytes, formatTime, plural, prettyJson } from '../format.js';

const PAGE = 50;

/** "What was sent": filters, totals per day, and each batch expandable to its exact bytes. */
export function createSentLogSection(ctx: TabContext, catalog: CatalogBody | null, kind: 'collector' | 'delivery'): { element: HTMLElement; reload: () => void } {
  const results = h('div', { class: 'sent-results', 'aria-live': 'polite' });
  const category = h('select', { name: 'category' }, h('option', { value: '' }, 'All categories'), (catalog?.dictionary.categories ?? []).map((c) => h('option', { value: c.id }, c.title)));
  const from = h('input', { type: 'date', name: 'from' });
  const to = h('input', { type: 'date', name: 'to' });
  let limit = PAGE;

  const load = (): void => {
    const q = new URLSearchParams({ kind: kind === 'collector' ? 'batch,deletion,export' : 'delivery', limit: String(limit) });
    if (kind === 'collector' && category.value !== '') q.set('category', category.value);
    if (from.value !== '') q.set('from', from.value);
    if (to.value !== '') q.set('to', to.value);
    replace(results, loading(kind === 'collector' ? 'the sent log' : 'deliveries'));
    ctx.api
      .get<SentListBody>(`sent?${q.toString()}`)
      .then((body) => replace(results, renderResults(ctx, body, kind, () => {
        limit += PAGE;
        load();
      })))
      .catch((err: unknown) => replace(results, errorBox(`The sent log could not be read: ${err instanceof ApiError ? err.message : String(err)}`, load)));
  };

  const form = h(
    'form',
    {
      class: 'filters',
      'aria-label': kind === 'collector' ? 'Filter what was sent' : 'Filter deliveries',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        limit = PAGE;
        load();
      },
    },
    kind === 'collector' && h('label', null, 'Category ', category),
    h('label', null, 'From ', from),
    h('label', null, 'To ', to),
    h('button', { type: 'submit' }, 'Show'),
  );
  load();
  return { element: h('div', { class: 'sent-log' }, form, results), reload: load };
}

function renderResults(ctx: TabContext, body: SentListBody, kind: 'collector' | 'delivery', more: () => void): HTMLElement {
  if (body.total === 0) return h('p', { class: 'muted' }, kind === 'collector' ? 'Nothing matching was sent.' : 'No third-party deliveries match.');
  const captionId = uid('totals');
  return h(
    'div',
    null,
    h(
      'div',
      { class: 'table-wrap', role: 'region', 'aria-labelledby': captionId, tabindex: 0 },
      h(
        'table',
        { class: 'totals' },
        h('caption', { id: captionId }, kind === 'collector' ? 'Requests to the vendor per day (UTC)' : 'Deliveries per day (UTC)'),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Day'), h('th', { scope: 'col' }, kind === 'collector' ? 'Requests' : 'Deliveries'), h('th', { scope: 'col' }, 'Events'), h('th', { scope: 'col' }, 'Bytes'))),
        h('tbody', null, body.totalsPerDay.map((t) => h('tr', null, h('th', { scope: 'row' }, t.day), h('td', null, t.entries), h('td', null, t.events), h('td', null, t.bytes.toLocaleString('en-US'))))),
      ),
    ),
    h('p', { class: 'muted' }, `Showing ${body.entries.length} of ${plural(body.total, kind === 'collector' ? 'request' : 'delivery', kind === 'collector' ? 'requests' : 'deliveries')}, newest first.`),
    h('ol', { class: 'entries' }, body.entries.map((e) => renderEntry(ctx, e))),
    body.entries.length < body.total && h('button', { type: 'button', onclick: more }, 'Show more'),
  );
}

function renderEntry(ctx: TabContext, e: SentEntryBody): HTMLElement {
  const bytes = h('div', { class: 'bytes' });
  let loaded = false;
  const details = h(
    'details',
    { 'data-entry': e.id },
    h(
      'summary',
      null,
      h('span', { class: 'when' }, formatTime(e.sentAt)),
      ' ',
      h('span', { class: 'what' }, `${describe(e)} · ${formatBytes(e.byteLength)} · ${e.status}`),
    ),
    bytes,
  );
  const fetchBytes = (): void => {
    replace(bytes, loading('the bytes'));
    ctx.api
      .text(`sent/${encodeURIComponent(e.id)}`)
      .then((text) => {
        const pretty = prettyJson(text);
        replace(
          bytes,
          e.destination && h('p', null, 'Sent to ', h('code', null, e.destination), '.'),
          e.detail && h('p', null, `Answer: ${e.detail}`),
          h('p', { class: 'muted' }, `The exact ${formatBytes(e.byteLength)} that left this server:`),
          h('pre', { class: 'exact', tabindex: 0, 'aria-label': `Exact bytes sent at ${formatTime(e.sentAt)}` }, text),
          pretty !== null && h('details', null, h('summary', null, 'Formatted'), h('pre', { tabindex: 0 }, pretty)),
        );
      })
      .catch((err: unknown) => {
        loaded = false;
        replace(bytes, errorBox(`The bytes could not be read: ${err instanceof ApiError ? err.message : String(err)}`, fetchBytes));
      });
  };
  details.addEventListener('toggle', () => {
    if (details.open && !loaded) {
      loaded = true;
      fetchBytes();
    }
  });
  return h('li', null, details);
}

const KIND_WORDS: Record<SentEntryBody['kind'], string> = { batch: 'Batch', deletion: 'Deletion request', export: 'Export request', delivery: 'Delivery' };

function describe(e: SentEntryBody): string {
  const cats = e.categories.length === 0 ? (e.kind === 'deletion' ? 'all categories' : '') : e.categories.join(', ');
  if (e.kind === 'batch') return `${KIND_WORDS.batch}: ${cats} · ${plural(e.events, 'event')}`;
  if (e.kind === 'delivery') return `${KIND_WORDS.delivery} to ${e.destination ?? 'a third party'}`;
  return `${KIND_WORDS[e.kind]}${cats === '' ? '' : `: ${cats}`}`;
}
