import { describe, expect, it } from 'vitest';
import { createConcurrencyLimitedTransport } from './concurrency-limited-transport.js';
import type { Transport } from './types.js';

describe('createConcurrencyLimitedTransport', () => {
  it('keeps at most N requests in flight and serves the others in order', async () => {
    let active = 0;
    let most = 0;
    const order: string[] = [];
    const release: (() => void)[] = [];
    const inner: Transport = {
      send: (r) =>
        new Promise((resolve) => {
          active++;
          most = Math.max(most, active);
          order.push(r.body);
          release.push(() => {
            active--;
            resolve({ status: 'ok', httpStatus: 202, body: null });
          });
        }),
    };
    const t = createConcurrencyLimitedTransport(inner, 2);
    const all = ['a', 'b', 'c', 'd', 'e'].map((body) => t.send({ kind: 'batch', path: '/', body }));
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setImmediate(r));
      release.shift()?.();
    }
    await Promise.all(all);
    expect(most).toBe(2);
    expect(order).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
