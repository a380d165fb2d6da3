import type { CatalogSpec } from '@candor/catalog';
import type { DeleteResponse, ExportResponse, IngestResponse, SubjectRequest, WireBatch, WireEvent } from '@candor/protocol';
import { PATHS } from '@candor/protocol';
import type { Transport, TransportRequest, TransportResult } from '../transport/types.js';

/** One request as the memory transport received it. */
export interface CapturedRequest {
  readonly kind: TransportRequest['kind'];
  readonly path: string;
  /** The exact body. */
  readonly body: string;
}

/** An in-memory collector: it answers as the protocol says and keeps what it accepted. */
export interface MemoryTransport extends Transport {
  /** Every request received, in order, retries included. */
  readonly requests: readonly CapturedRequest[];
  /** Accepted batches, one per batch key. */
  batches(): WireBatch[];
  /** The events of accepted batches that no deletion removed. */
  events(): WireEvent[];
  /** The next `count` requests get `result` (a retryable 503 by default). */
  failNext(count: number, result?: TransportResult): void;
  /** While down, every request gets a retryable connection error. */
  setDown(down: boolean): void;
}

const UNAVAILABLE: TransportResult = { status: 'retry', error: { code: 'STORE_UNAVAILABLE', message: 'the memory collector was told to fail', httpStatus: 503 } };

/**
 * A transport that never touches the network: batches are kept in memory, deduplicated by
 * batch key as a collector does, and deletion and export requests act on them. Pass the
 * catalog so that category-scoped deletions know each event's category.
 * @example const transport = createMemoryTransport(); createTelemetry({ catalog, dataDir, transport });
 */
export function createMemoryTransport(options: { readonly catalog?: CatalogSpec } = {}): MemoryTransport {
  // Category-scoped deletions need each event's category; without a catalog, the name's first part stands in.
  const categoryOf = (name: string): string => options.catalog?.events[name]?.category ?? name.split('.')[0]!;
  const requests: CapturedRequest[] = [];
  const accepted = new Map<string, WireBatch>();
  const deleted = new Set<string>();
  let failures: TransportResult[] = [];
  let down = false;

  const live = (): (WireEvent & { pseudonym: string; period: string; catalogVersion: string })[] =>
    [...accepted.values()].filter((b) => !deleted.has(b.pseudonym)).flatMap((b) => b.events.map((e) => ({ ...e, pseudonym: b.pseudonym, period: b.period, catalogVersion: b.catalog.version })));

  return {
    requests,
    batches: () => [...accepted.values()],
    events: () => live().map(({ name, time, fields }) => ({ name, time, fields })),
    failNext(count, result = UNAVAILABLE) {
      failures = Array.from({ length: count }, () => result);
    },
    setDown(value) {
      down = value;
    },
    async send(request) {
      requests.push({ kind: request.kind, path: request.path, body: request.body });
      if (down) return { status: 'retry', error: { code: 'ECONNREFUSED', message: 'the memory collector is down' } };
      const failure = failures.shift();
      if (failure) return failure;
      let parsed: unknown;
      try {
        parsed = JSON.parse(request.body);
      } catch {
        return { status: 'fail', error: { code: 'MALFORMED_BODY', message: 'the body is not JSON', httpStatus: 400 } };
      }
      if (request.path === PATHS.batches) {
        const batch = parsed as WireBatch;
        const duplicate = accepted.has(batch.batchKey);
        if (!duplicate) accepted.set(batch.batchKey, batch);
        const body: IngestResponse = { batchKey: batch.batchKey, accepted: duplicate ? 0 : batch.events.length, bounded: 0, duplicate };
        return { status: 'ok', httpStatus: 202, body };
      }
      const subject = parsed as SubjectRequest;
      const names = new Set(subject.pseudonyms);
      if (request.path === PATHS.subjectsDelete) {
        const before = live().length;
        for (const b of accepted.values()) {
          if (!names.has(b.pseudonym)) continue;
          if (subject.categories === undefined) deleted.add(b.pseudonym);
          else accepted.set(b.batchKey, { ...b, events: b.events.filter((e) => !subject.categories!.includes(categoryOf(e.name))) });
        }
        const body: DeleteResponse = { deleted: before - live().length, effectiveAt: new Date().toISOString() };
        return { status: 'ok', httpStatus: 200, body };
      }
      if (request.path === PATHS.subjectsExport) {
        const body: ExportResponse = { events: live().filter((e) => names.has(e.pseudonym)) };
        return { status: 'ok', httpStatus: 200, body };
      }
      return { status: 'fail', error: { code: 'NOT_FOUND', message: `no such path ${request.path}`, httpStatus: 404 } };
    },
  };
}
