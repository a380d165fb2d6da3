import type { Transport } from './types.js';

/**
 * Lets at most `concurrency` requests be in flight; the others wait their turn in order.
 * Keeps a recovering collector from being hit by a whole outbox at once.
 */
export function createConcurrencyLimitedTransport(inner: Transport, concurrency: number): Transport {
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> => {
    if (active < concurrency) {
      active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return {
    async send(request) {
      await acquire();
      try {
        return await inner.send(request);
      } finally {
        release();
      }
    },
    close: () => inner.close?.(),
  };
}
