import type { Transport } from './types.js';

/**
 * `CANDOR_DEBUG=1`: writes each request body to stderr and sends nothing. Answers as a
 * collector would, so that the outbox drains and the owner sees every batch once.
 */
export function createDebugTransport(write: (text: string) => void): Transport {
  return {
    async send(request) {
      try {
        write(`[candor debug] ${request.kind} ${request.path} (not sent)\n${request.body}\n`);
      } catch {
        // A closed stderr must not stop the outbox from draining.
      }
      return { status: 'ok', httpStatus: 0, body: null };
    },
  };
}
