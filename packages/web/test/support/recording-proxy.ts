// A recording proxy in front of the real collector, over real HTTP on port 0: it keeps the
// decoded bytes of every request that reaches the collector and relays the collector's answer.
// It can also refuse deletion requests with 503, as a collector whose store is down would.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { PATHS } from '@candor/protocol';
import type { SubjectRequest, WireBatch } from '@candor/protocol';

/** One request as it arrived. */
export interface Arrival {
  readonly path: string;
  readonly encoding: string | undefined;
  /** The decoded body: the bytes the SDK produced before gzip. */
  readonly body: string;
  /** The collector's status (503 for a refused deletion). */
  readonly status: number;
}

/** The proxy. */
export interface RecordingProxy {
  readonly url: string;
  readonly arrivals: Arrival[];
  /** Batches the collector accepted. */
  batches(): WireBatch[];
  /** Deletion requests the collector acknowledged. */
  deletions(): SubjectRequest[];
  /** While true, deletion requests get 503 STORE_UNAVAILABLE and never reach the collector. */
  failDeletions: boolean;
  close(): Promise<void>;
}

/** Starts a recording proxy to `upstream` on 127.0.0.1, port 0. */
export async function startRecordingProxy(upstream: string): Promise<RecordingProxy> {
  const arrivals: Arrival[] = [];
  const state = { failDeletions: false };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const encoding = req.headers['content-encoding'];
        const body = (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
        const path = (req.url ?? '/').split('?')[0]!;
        if (path === PATHS.subjectsDelete && state.failDeletions) {
          arrivals.push({ path, encoding, body, status: 503 });
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'STORE_UNAVAILABLE', message: 'the store is down for maintenance' } }));
          return;
        }
        const headers: Record<string, string> = {};
        for (const name of ['content-type', 'content-encoding', 'idempotency-key']) {
          const v = req.headers[name];
          if (typeof v === 'string') headers[name] = v;
        }
        const answer = await fetch(`${upstream}${req.url ?? '/'}`, { method: req.method ?? 'POST', headers, body: raw });
        const text = await answer.text();
        arrivals.push({ path, encoding, body, status: answer.status });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
        res.end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const ok = (path: string): Arrival[] => arrivals.filter((a) => a.path === path && a.status < 300);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    batches: () => ok(PATHS.batches).map((a) => JSON.parse(a.body) as WireBatch),
    deletions: () => ok(PATHS.subjectsDelete).map((a) => JSON.parse(a.body) as SubjectRequest),
    get failDeletions() {
      return state.failDeletions;
    },
    set failDeletions(v: boolean) {
      state.failDeletions = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
