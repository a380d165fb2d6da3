import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openOutboxDatabase } from './open-outbox-database.js';
import { createOutbox, type Outbox, type QueuedEvent } from './outbox.js';

const dirs: string[] = [];
const opened: Outbox[] = [];
const dir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'candor-outbox-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  opened.splice(0).forEach((o) => o.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});
function open(d = dir()): Outbox {
  const r = openOutboxDatabase(join(d, 'outbox.sqlite'), 1);
  if (r.db === null) throw new Error(r.error);
  const o = createOutbox(r.db);
  opened.push(o);
  return o;
}
const event = (period: string, n: number, category = 'usage', createdMs = 1000): QueuedEvent => ({ period, name: 'a.b', category, json: JSON.stringify({ name: 'a.b', time: period, fields: { n } }), createdMs });
const build = (period: string, jsons: string[]) => ({ batchKey: `key-${period}-${jsons.length}`, body: `{"period":"${period}","events":[${jsons.join(',')}]}` });

describe('opening the outbox', () => {
  it('sets aside a file that is not a database, and one that is another program’s database', () => {
    const d = dir();
    writeFileSync(join(d, 'outbox.sqlite'), 'this is not sqlite at all, just text that fills a page '.repeat(100));
    const first = openOutboxDatabase(join(d, 'outbox.sqlite'), 7);
    expect(first.db).not.toBeNull();
    expect(first.setAside).toMatch(/outbox\.sqlite\.damaged-7$/);
    first.db!.close();

    const e = dir();
    const foreign = new Database(join(e, 'outbox.sqlite'));
    foreign.exec('CREATE TABLE events (x)');
    foreign.close();
    const second = openOutboxDatabase(join(e, 'outbox.sqlite'), 8);
    expect(second.setAside).toMatch(/outbox\.sqlite\.foreign-8$/);
    expect(readdirSync(e).filter((f) => f.includes('foreign'))).toHaveLength(1);
    second.db!.close();
  });

  it('sets aside an outbox that was emptied while the host was down, and says so', () => {
    const d = dir();
    const a = open(d);
    a.insertEvents([event('2026-01-01', 1)]);
    a.close();
    opened.length = 0;
    writeFileSync(join(d, 'outbox.sqlite'), '');
    const r = openOutboxDatabase(join(d, 'outbox.sqlite'), 9);
    expect(r.setAside).toMatch(/outbox\.sqlite\.emptied-9$/);
    const id = (r.db!.prepare("SELECT value FROM meta WHERE key = 'outbox_id'").get() as { value: string }).value;
    expect(readFileSync(join(d, 'outbox.sqlite.id'), 'utf8').trim()).toBe(id);
    r.db!.close();
    // Reported once: the next start finds the new outbox intact.
    expect(openOutboxDatabase(join(d, 'outbox.sqlite'), 10).setAside).toBeNull();
  });

  it('reports neither a first start nor a restart with an intact outbox', () => {
    const d = dir();
    const first = openOutboxDatabase(join(d, 'outbox.sqlite'), 1);
    expect(first.setAside).toBeNull();
    expect(existsSync(join(d, 'outbox.sqlite.id'))).toBe(true);
    first.db!.close();
    const again = openOutboxDatabase(join(d, 'outbox.sqlite'), 2);
    expect(again.setAside).toBeNull();
    again.db!.close();
    expect(readdirSync(d).filter((f) => /-\d+$/.test(f))).toEqual([]);
  });

  it('creates the id file next to an outbox from before id files, without a report', () => {
    const d = dir();
    const a = open(d);
    a.insertEvents([event('2026-01-01', 1)]);
    a.close();
    opened.length = 0;
    unlinkSync(join(d, 'outbox.sqlite.id'));
    const b = open(d);
    expect(b.queuedEvents()).toBe(1);
    expect(existsSync(join(d, 'outbox.sqlite.id'))).toBe(true);
    expect(readdirSync(d).filter((f) => /-\d+$/.test(f))).toEqual([]);
  });

  it('keeps its own file across opens', () => {
    const d = dir();
    const a = open(d);
    a.insertEvents([event('2026-01-01', 1)]);
    a.close();
    opened.length = 0;
    const b = open(d);
    expect(b.queuedEvents()).toBe(1);
  });
});

describe('forming batches', () => {
  it('takes the oldest period first, one period per batch, up to the event bound', () => {
    const o = open();
    o.insertEvents([event('2026-01-02', 1), event('2026-01-01', 2), event('2026-01-01', 3), event('2026-01-02', 4)]);
    // The oldest row decides the period: here 2026-01-02 was queued first.
    const b1 = o.formBatch(1, 1_000_000, 5, build)!;
    expect(b1).toMatchObject({ period: '2026-01-02', eventCount: 1, batchKey: 'key-2026-01-02-1' });
    const b2 = o.formBatch(10, 1_000_000, 5, build)!;
    expect(b2).toMatchObject({ period: '2026-01-01', eventCount: 2 });
    const b3 = o.formBatch(10, 1_000_000, 5, build)!;
    expect(b3).toMatchObject({ period: '2026-01-02', eventCount: 1 });
    expect(o.formBatch(10, 1_000_000, 5, build)).toBeNull();
    expect(o.queuedEvents()).toBe(4);
  });

  it('respects the byte bound, but always takes at least one event', () => {
    const o = open();
    const big = { ...event('2026-01-01', 0), json: JSON.stringify({ name: 'a.b', time: '2026-01-01', fields: { s: 'x'.repeat(3000) } }) };
    o.insertEvents([big, big, big]);
    expect(o.formBatch(100, 4096, 1, build)!.eventCount).toBe(1);
    expect(o.formBatch(100, 8000, 1, build)!.eventCount).toBe(2);
  });

  it('resends a formed batch as it is, and forgets it once complete', () => {
    const o = open();
    o.insertEvents([event('2026-01-01', 1)]);
    const b = o.formBatch(10, 1_000_000, 1, build)!;
    o.deferBatch(b.id, 1, 500);
    expect(o.nextBatch(499, new Set(), false)).toBeNull();
    expect(o.hasDeferredBatch(499)).toBe(true);
    expect(o.nextBatch(500, new Set(), false)).toMatchObject({ id: b.id, body: b.body, batchKey: b.batchKey, attempts: 1 });
    expect(o.nextAttemptMs()).toBe(500);
    o.completeBatch(b.id);
    expect(o.queuedEvents()).toBe(0);
    expect(o.nextBatch(10_000, new Set(), true)).toBeNull();
  });
});

describe('bounds', () => {
  it('drops the oldest events when over the byte bound, and expired ones by age', () => {
    const o = open();
    // Three-digit numbers: every event has the same size.
    o.insertEvents(Array.from({ length: 100 }, (_, i) => event('2026-01-01', 100 + i, 'usage', i)));
    const perEvent = o.queuedBytes() / 100;
    const r = o.enforceBounds(1000, perEvent * 60, 1_000_000);
    expect(r.queueFull).toBe(40);
    expect(o.queuedEvents()).toBe(60);
    const kept = o.formBatch(1000, 1_000_000, 1, build)!;
    expect(JSON.parse(kept.body).events.map((e: { fields: { n: number } }) => e.fields.n)[0]).toBe(140);
    o.insertEvents([event('2026-01-02', 1, 'usage', 10), event('2026-01-02', 2, 'usage', 5000)]);
    expect(o.enforceBounds(6000, 1e9, 2000)).toMatchObject({ expired: 61, queueFull: 0 });
    expect(o.queuedEvents()).toBe(1);
  });
});

describe('purging a category', () => {
  it('removes its queued events and rewrites formed batches under the same key', () => {
    const o = open();
    o.insertEvents([event('2026-01-01', 1, 'playback'), event('2026-01-01', 2, 'usage'), event('2026-01-01', 3, 'playback')]);
    const b = o.formBatch(2, 1_000_000, 1, build)!;
    expect(b.categories).toEqual(['playback', 'usage']);
    const removed = o.purgeCategory('playback', [], '2026-01-02', (body) => {
      const parsed = JSON.parse(body) as { events: { fields: { n: number } }[] };
      const events = parsed.events.filter((e) => e.fields.n !== 1);
      return { body: JSON.stringify({ ...parsed, events }), eventCount: events.length, categories: ['usage'] };
    });
    expect(removed).toBe(2);
    const after = o.nextBatch(10, new Set(), true)!;
    expect(after.batchKey).toBe(b.batchKey);
    expect(after.categories).toEqual(['usage']);
    expect(after.eventCount).toBe(1);
    expect(o.queuedEvents()).toBe(1);
  });
});

describe('the sent log', () => {
  it('keeps entries for the retention period and within its byte bound, dropping the oldest', () => {
    const o = open();
    const entry = (sentMs: number, body: string) => ({ sentMs, kind: 'batch', categories: ['usage'], eventCount: 1, status: 'delivered', detail: null, destination: null, body });
    for (let i = 0; i < 10; i++) o.appendSentLog(entry(i * 1000, 'x'.repeat(1000)));
    const all = { sinceMs: -Infinity, untilMs: Infinity, limit: 100 };
    o.pruneSentLog(2000, 1e9);
    expect(o.listSentLog(all).map((e) => e.sentMs)).toEqual([9000, 8000, 7000, 6000, 5000, 4000, 3000, 2000]);
    o.pruneSentLog(0, 3500);
    expect(o.listSentLog(all).map((e) => e.sentMs)).toEqual([9000, 8000, 7000]);
  });
});
