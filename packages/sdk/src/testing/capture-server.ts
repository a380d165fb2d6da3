import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { PATHS, type DeleteResponse, type ErrorBody, type ExportResponse, type IngestResponse, type SubjectRequest, type WireBatch } from '@candor/protocol';

/** One HTTP request as it arrived. */
export interface CapturedHttpRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The bytes on the wire (gzip-encoded when the client said so). */
  readonly raw: Buffer;
  /** The decoded body (gunzipped), as text. */
  readonly body: string;
  /** When it arrived, by the server's clock (`Date.now()`, which fake timers replace). */
  readonly atMs: number;
}

/** A canned answer. */
export interface CannedResponse {
  readonly status: number;
  /** The collector error code for the error body. */
  readonly code?: string;
  /** A `Retry-After` header value. */
  readonly retryAfter?: string;
  /** Store the batch before answering (an acknowledgement lost on the way back). */
  readonly storeFirst?: boolean;
}

/** Options of {@link createCaptureServer}. */
export interface CaptureServerOptions {
  /** Keep every request's bytes in `requests`. @default true */
  readonly keepRequests?: boolean;
  /** Called for every batch that arrives, after deduplication. */
  readonly onBatch?: (batch: WireBatch, duplicate: boolean) => void;
  /** Event name → category, for category-scoped deletions. */
  readonly categoryOf?: (eventName: string) => string;
}

/** A small collector over real HTTP that records everything it receives. */
export interface CaptureServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly requests: CapturedHttpRequest[];
  /** Batches stored, one per batch key. */
  batches(): WireBatch[];
  /** Times a batch key arrived again (retries the collector deduplicated). */
  duplicateArrivals(): number;
  /** Subject requests received, by path. */
  subjectRequests(path: string): SubjectRequest[];
  /** The next requests get these answers, in order. */
  respondNext(...responses: CannedResponse[]): void;
  /** Delay every answer by this long (after storing). */
  setDelayMs(ms: number): void;
  /** The most requests that were in flight at once (arrived, not yet answered). */
  maxInFlight(): number;
  /** Forgets everything received and every canned answer. */
  reset(): void;
  /** Stops listening (the port refuses connections) but keeps what was received. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A capture server: answers `POST /v1/batches` with 202 and an ingest response,
 * deduplicating by batch key; acts on deletion and export requests; fails on demand with
 * 4xx, 429 or 503 and a Retry-After. Listens on port 0 of 127.0.0.1.
 * @example const server = await createCaptureServer(); createTelemetry({ catalog, dataDir, endpoint: server.url });
 */
export async function createCaptureServer(options: CaptureServerOptions = {}): Promise<CaptureServer> {
  const keep = options.keepRequests ?? true;
  const categoryOf = options.categoryOf ?? ((name: string) => name.split('.')[0]!);
  const requests: CapturedHttpRequest[] = [];
  const stored = new Map<string, WireBatch>();
  const subjects = new Map<string, SubjectRequest[]>();
  let duplicates = 0;
  let canned: CannedResponse[] = [];
  let delayMs = 0;
  let inFlight = 0;
  let maxInFlight = 0;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    const reply = (): void => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
      res.end(text);
    };
    if (delayMs > 0) setTimeout(reply, delayMs);
    else reply();
  };
  const error = (code: string, message: string): ErrorBody => ({ error: { code, message } });

  const handle = (method: string, path: string, headers: IncomingHttpHeaders, raw: Buffer, res: ServerResponse): void => {
    let body: string;
    try {
      body = (headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
    } catch {
      return send(res, 400, error('MALFORMED_BODY', 'the gzip stream is corrupt'));
    }
    if (keep) requests.push({ method, path, headers, raw, body, atMs: Date.now() });
    const next = canned.shift();
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return send(res, 400, error('MALFORMED_BODY', 'the body is not JSON'));
    }
    if (next && !next.storeFirst) {
      return send(res, next.status, error(next.code ?? 'STORE_UNAVAILABLE', 'canned answer'), next.retryAfter ? { 'retry-after': next.retryAfter } : {});
    }
    if (method !== 'POST') return send(res, 405, error('METHOD_NOT_ALLOWED', 'POST only'));
    if (path === PATHS.batches) {
      const batch = parsed as WireBatch;
      const duplicate = stored.has(batch.batchKey);
      if (duplicate) duplicates++;
      else stored.set(batch.batchKey, batch);
      options.onBatch?.(batch, duplicate);
      if (next) return send(res, next.status, error(next.code ?? 'STORE_UNAVAILABLE', 'canned answer after storing'), next.retryAfter ? { 'retry-after': next.retryAfter } : {});
      const ack: IngestResponse = { batchKey: batch.batchKey, accepted: duplicate ? 0 : batch.events.length, bounded: 0, duplicate };
      return send(res, 202, ack);
    }
    if (path === PATHS.subjectsDelete || path === PATHS.subjectsExport) {
      const request = parsed as SubjectRequest;
      subjects.set(path, [...(subjects.get(path) ?? []), request]);
      const names = new Set(request.pseudonyms);
      if (path === PATHS.subjectsExport) {
        const events = [...stored.values()].filter((b) => names.has(b.pseudonym)).flatMap((b) => b.events.map((e) => ({ ...e, pseudonym: b.pseudonym, period: b.period, catalogVersion: b.catalog.version })));
        const answer: ExportResponse = { events };
        return send(res, 200, answer);
      }
      let deleted = 0;
      for (const [key, b] of stored) {
        if (!names.has(b.pseudonym)) continue;
        const keepEvents = request.categories === undefined ? [] : b.events.filter((e) => !request.categories!.includes(categoryOf(e.name)));
        deleted += b.events.length - keepEvents.length;
        stored.set(key, { ...b, events: keepEvents });
      }
      const answer: DeleteResponse = { deleted, effectiveAt: new Date().toISOString() };
      return send(res, 200, answer);
    }
    return send(res, 404, error('NOT_FOUND', 'no such endpoint'));
  };

  let server: Server = createServer();
  const attach = (s: Server): void => {
    s.on('request', (req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on('close', () => void inFlight--);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => handle(req.method ?? 'GET', (req.url ?? '/').split('?')[0]!, req.headers, Buffer.concat(chunks), res));
    });
  };
  attach(server);
  const listen = (s: Server, port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
    });
  const port = await listen(server, 0);
  const closeServer = (s: Server): Promise<void> =>
    new Promise((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    batches: () => [...stored.values()],
    duplicateArrivals: () => duplicates,
    subjectRequests: (path) => subjects.get(path) ?? [],
    respondNext(...responses) {
      canned = [...canned, ...responses];
    },
    setDelayMs(ms) {
      delayMs = ms;
    },
    maxInFlight: () => maxInFlight,
    reset() {
      maxInFlight = 0;
      requests.length = 0;
      stored.clear();
      subjects.clear();
      duplicates = 0;
      canned = [];
      delayMs = 0;
    },
    async stop() {
      await closeServer(server);
    },
    async start() {
      server = createServer();
      attach(server);
      await listen(server, port);
    },
    async close() {
      if (server.listening) await closeServer(server);
    },
  };
}
