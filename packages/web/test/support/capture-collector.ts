// A capture collector over real HTTP on port 0: it keeps the exact bytes of every request,
// answers batches, deletions and exports the way the protocol says, and can be told to fail
// subject requests. The browser tests check what left the host against what arrived here.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { PATHS } from '@candor/protocol';
import type { DeleteResponse, ExportResponse, IngestResponse, SubjectRequest, WireBatch } from '@candor/protocol';

/** One request as it arrived. */
export interface Arrival {
  readonly path: string;
  readonly encoding: string | undefined;
  /** The decoded body: the bytes the SDK produced before gzip. */
  readonly body: string;
}

/** The capture collector. */
export interface CaptureCollector {
  readonly url: string;
  readonly arrivals: Arrival[];
  /** Batches received (first arrival of each batch key). */
  batches(): WireBatch[];
  /** Deletion requests received. */
  deletions(): SubjectRequest[];
  /** While true, deletion requests get 503 STORE_UNAVAILABLE. */
  failDeletions: boolean;
  close(): Promise<void>;
}

/** Starts a capture collector on 127.0.0.1, port 0. */
export async function startCaptureCollector(): Promise<CaptureCollector> {
  const arrivals: Arrival[] = [];
  const stored = new Map<string, WireBatch>();
  const state = { failDeletions: false };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const encoding = req.headers['content-encoding'];
      const body = (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const path = (req.url ?? '/').split('?')[0]!;
      arrivals.push({ path, encoding, body });
      const reply = (status: number, answer: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      };
      const parsed: unknown = JSON.parse(body);
      if (path === PATHS.batches) {
        const batch = parsed as WireBatch;
        const duplicate = stored.has(batch.batchKey);
        if (!duplicate) stored.set(batch.batchKey, batch);
        return reply(202, { batchKey: batch.batchKey, accepted: duplicate ? 0 : batch.events.length, bounded: 0, duplicate } satisfies IngestResponse);
      }
      const request = parsed as SubjectRequest;
      const mine = [...stored.entries()].filter(([, b]) => request.pseudonyms.includes(b.pseudonym));
      if (path === PATHS.subjectsDelete) {
        if (state.failDeletions) return reply(503, { error: { code: 'STORE_UNAVAILABLE', message: 'the store is down for maintenance' } });
        let deleted = 0;
        for (const [key, b] of mine) {
          const kept = b.events.filter((e) => request.categories !== undefined && !request.categories.includes(e.name.split('.')[0]!));
          deleted += b.events.length - kept.length;
          stored.set(key, { ...b, events: kept });
        }
        return reply(200, { deleted, effectiveAt: new Date().toISOString() } satisfies DeleteResponse);
      }
      if (path === PATHS.subjectsExport) {
        return reply(200, { events: mine.flatMap(([, b]) => b.events.map((e) => ({ ...e, pseudonym: b.pseudonym, period: b.period, catalogVersion: b.catalog.version }))) } satisfies ExportResponse);
      }
      reply(404, { error: { code: 'NOT_FOUND', message: 'no such endpoint' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const collector: CaptureCollector = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    batches: () => arrivals.filter((a) => a.path === PATHS.batches).map((a) => JSON.parse(a.body) as WireBatch),
    deletions: () => arrivals.filter((a) => a.path === PATHS.subjectsDelete).map((a) => JSON.parse(a.body) as SubjectRequest),
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
  return collector;
}
