import { announceSession, byId, el, fetchJson, formatDuration } from './dom.js';
import type { Item } from './item.js';

const SECTIONS: readonly [Item['mediaType'], string][] = [
  ['movie', 'Movies'],
  ['episode', 'Shows'],
  ['track', 'Music'],
];

async function main(): Promise<void> {
  announceSession();
  const status = byId('library-status');
  const root = byId('library');
  try {
    const { items } = await fetchJson<{ items: Item[] }>('/api/items');
    if (items.length === 0) {
      status.textContent = 'The library is empty: no video or audio files were found in its folders.';
      return;
    }
    status.textContent = `${items.length} items`;
    for (const [type, heading] of SECTIONS) {
      const group = items.filter((i) => i.mediaType === type);
      if (group.length === 0) continue;
      const id = `section-${type}`;
      root.append(el('section', { 'aria-labelledby': id }, el('h2', { id }, heading), el('div', { class: 'grid' }, ...group.map(tile))));
    }
  } catch (error) {
    status.textContent = `The library could not be loaded: ${(error as Error).message}`;
    status.className = 'error';
  }
}

function tile(item: Item): HTMLElement {
  const resolution = item.height !== null ? `${item.height}p` : null;
  const subtitle = item.mediaType === 'track' ? [item.artist, item.album].filter(Boolean).join(' · ') : item.relativePath;
  return el(
    'a',
    { class: `tile ${item.kind}`, href: `/play/${item.id}`, 'data-item-id': item.id },
    el('div', { class: 'poster', 'aria-hidden': 'true' }, item.kind === 'audio' ? '♪' : '▶'),
    el('div', { class: 'title' }, item.track !== null ? `${item.track}. ${item.title}` : item.title),
    el('div', { class: 'meta' }, subtitle),
    el(
      'div',
      { class: 'meta' },
      formatDuration(item.durationSeconds),
      ' ',
      ...[item.container, resolution, item.videoCodec, item.audioCodec].filter((v): v is string => v !== null).map((v) => el('span', { class: 'badge' }, v)),
    ),
  );
}

void main();
