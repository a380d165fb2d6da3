// The network between the simulated installs and the collector: a loopback TCP proxy that the
// scenarios switch between passing traffic, resetting every connection (the collector's port
// is closed) and swallowing it (a black hole: connections open, nothing ever answers).
// Its upstream connections leave from a distinctive loopback address, so that the collector
// sees that address as the client's, and the data-minimization search can look for it.
import { connect, createServer } from 'node:net';

/** The address the collector sees as the client address of every proxied request. */
export const PROXY_SOURCE_ADDRESS = '127.42.13.7';

/**
 * Starts the proxy on a random port. The SDK's endpoint is `http://localhost:<port>`: the
 * server is dual-stack, so both resolutions of localhost reach it.
 * @returns {Promise<{ port: number, url: string, setTarget(port: number | null): void, setMode(mode: 'pass' | 'refuse' | 'blackhole'): void, mode(): string, stats(): Record<string, number>, close(): Promise<void> }>}
 */
export async function createProxy() {
  let target = null;
  let mode = 'pass';
  const held = new Set();
  const open = new Set();
  const counts = { connections: 0, reset: 0, blackholed: 0, upstreamErrors: 0 };
  const server = createServer({ allowHalfOpen: false }, (client) => {
    counts.connections++;
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    if (mode === 'refuse' || target === null) {
      counts.reset++;
      client.resetAndDestroy();
      return;
    }
    if (mode === 'blackhole') {
      counts.blackholed++;
      held.add(client);
      client.on('data', () => {});
      client.on('close', () => held.delete(client));
      return;
    }
    const upstream = connect({ host: '127.0.0.1', port: target, localAddress: PROXY_SOURCE_ADDRESS });
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    upstream.on('error', () => {
      counts.upstreamErrors++;
      upstream.destroy();
      client.destroy();
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '::', port: 0, ipv6Only: false }, resolve);
  }).catch(
    () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: '127.0.0.1', port: 0 }, resolve);
      }),
  );
  const port = server.address().port;
  return {
    port,
    url: `http://localhost:${port}`,
    setTarget(p) {
      target = p;
    },
    setMode(m) {
      mode = m;
      if (m !== 'blackhole') {
        for (const s of held) s.destroy();
        held.clear();
      }
    },
    mode: () => mode,
    stats: () => ({ ...counts }),
    close() {
      for (const s of open) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
