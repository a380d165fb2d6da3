import { PATHS, PROTOCOL_VERSION, type IngestResponse } from '@candor/protocol';
import { shuffleInPlace } from '../linkage/sample-period.js';
import type { ResolvedTelemetryOptions } from '../options/telemetry-options.js';
import type { BatchRow, Outbox, SubjectRequestRow } from '../outbox/outbox.js';
import type { Counters } from '../stats/counters.js';
import { backoffDelay } from '../transport/backoff.js';
import type { Transport, TransportError, TransportResult } from '../transport/types.js';
import { toHex } from '../util/crypto-random.js';

/** What became of a deletion request, for those waiting on it. */
export type SubjectOutcome =
  | { readonly status: 'ok'; readonly body: unknown }
  | { readonly status: 'retry'; readonly error: TransportError }
  | { readonly status: 'failed'; readonly error: TransportError };

/** Dependencies of {@link createSender}. */
export interface SenderContext {
  readonly options: ResolvedTelemetryOptions;
  readonly counters: Counters;
  readonly transport: Transport;
  /** The outbox, or null while storage is unavailable or there is no install secret to sign batches with. */
  outbox(): Outbox | null;
  /** The pseudonym of a period, or null when there is no install secret. */
  pseudonym(period: string): string | null;
  /** The URL a path goes to, for the sent log. */
  destination(path: string): string | null;
  warn(code: string, message: string): void;
  /** Told when a deletion request is settled or deferred. */
  onSubjectOutcome(id: number, outcome: SubjectOutcome): void;
}

/**
 * Drains the outbox: deletion requests first and alone, then batches with bounded
 * concurrency. A batch is formed (key and body fixed, in one transaction) only when it is
 * about to leave, and its sent-log entry is written before the first byte goes out. One
 * drain runs at a time; `flush()` waits for it and then runs a forced one.
 */
export function createSender(ctx: SenderContext) {
  const { options, counters } = ctx;
  const { compiled, random, now } = options;
  const catalogJson = JSON.stringify({ id: compiled.id, version: compiled.version });
  let running: Promise<void> | null = null;
  let runningForced = false;
  let controller = new AbortController();

  const buildBatch = (period: string, jsons: string[]): { batchKey: string; body: string } => {
    // Shuffled so that the order of events in a batch tells nothing about the order they happened in.
    shuffleInPlace(jsons, random);
    const batchKey = toHex(options.randomBytes(16));
    const pseudonym = ctx.pseudonym(period) ?? '';
    return { batchKey, body: `{"v":${PROTOCOL_VERSION},"catalog":${catalogJson},"pseudonym":"${pseudonym}","period":"${period}","batchKey":"${batchKey}","events":[${jsons.join(',')}]}` };
  };

  const retryDelay = (attempts: number, result: TransportResult): number =>
    result.status === 'retry' && result.afterMs !== undefined ? result.afterMs : backoffDelay(attempts, options.retryBaseMs, options.maxRetryDelayMs, random);

  /** Sends one batch; false when the collector should not be tried again in this drain. */
  async function sendBatch(ob: Outbox, batch: BatchRow, signal: AbortSignal, keepAlive: boolean): Promise<boolean> {
    let sentLogId = batch.sentLogId;
    if (sentLogId === null && !options.debug) {
      sentLogId = ob.appendSentLog({ sentMs: now(), kind: 'batch', categories: batch.categories, eventCount: batch.eventCount, status: 'pending', detail: null, destination: ctx.destination(PATHS.batches), body: batch.body });
      ob.setBatchSentLog(batch.id, sentLogId);
    }
    const result = await ctx.transport.send({ kind: 'batch', path: PATHS.batches, body: batch.body, signal, keepAlive });
    if (ctx.outbox() !== ob) return false;
    // Aborted by shutdown or a deletion: the batch stays as it is, key and all, for the next start.
    if (signal.aborted && result.status === 'retry') return false;
    if (result.status === 'ok') {
      // Counted from what the outbox still held: events of a category turned off while the
      // batch was in flight were rewritten out of it and counted as purged already.
      const settled = ob.completeBatch(batch.id);
      if (options.debug) {
        counters.printed += settled;
        return true;
      }
      const ack = result.body as Partial<IngestResponse> | null;
      const duplicate = ack?.duplicate === true;
      counters.delivered += settled;
      counters.batchesDelivered++;
      counters.bytesSent += Buffer.byteLength(batch.body);
      if (duplicate) counters.duplicates += settled;
      if (sentLogId !== null) ob.updateSentLog(sentLogId, duplicate ? 'duplicate' : 'delivered', ack ? JSON.stringify(ack) : null);
      return true;
    }
    if (result.status === 'fail') {
      const settled = ob.completeBatch(batch.id);
      counters.dropped.rejected += settled;
      counters.rejectedByCode.set(result.error.code, (counters.rejectedByCode.get(result.error.code) ?? 0) + settled);
      if (sentLogId !== null) ob.updateSentLog(sentLogId, 'rejected', `${result.error.code}: ${result.error.message}`);
      ctx.warn('BATCH_REJECTED', `the collector refused a batch of ${batch.eventCount} events: ${result.error.code} (${result.error.message})`);
      return true;
    }
    const attempts = batch.attempts + 1;
    if (attempts >= options.maxSendRounds) {
      counters.dropped.send_failed += ob.completeBatch(batch.id);
      if (sentLogId !== null) ob.updateSentLog(sentLogId, 'failed', `${result.error.code}: ${result.error.message}`);
      ctx.warn('SEND_FAILED', `a batch of ${batch.eventCount} events was given up after ${attempts} rounds: ${result.error.code}`);
      return false;
    }
    const delayMs = retryDelay(attempts, result);
    ob.deferBatch(batch.id, attempts, now() + delayMs);
    options.onDiagnostic({ type: 'retry_scheduled', kind: 'batch', scope: 'outbox', attempt: attempts, delayMs, reason: result.error.code });
    return false;
  }

  /** Sends one deletion request; false when the collector should not be tried again in this drain. */
  async function sendSubject(ob: Outbox, row: SubjectRequestRow, signal: AbortSignal, keepAlive: boolean): Promise<boolean> {
    let sentLogId = row.sentLogId;
    if (sentLogId === null && !options.debug) {
      sentLogId = ob.appendSentLog({ sentMs: now(), kind: 'deletion', categories: row.categories, eventCount: 0, status: 'pending', detail: null, destination: ctx.destination(row.path), body: row.body });
      ob.setSubjectSentLog(row.id, sentLogId);
    }
    const result = await ctx.transport.send({ kind: 'deletion', path: row.path, body: row.body, signal, keepAlive });
    if (ctx.outbox() !== ob) return false;
    if (signal.aborted && result.status === 'retry') return false;
    if (result.status === 'ok') {
      ob.completeSubjectRequest(row.id);
      if (sentLogId !== null) ob.updateSentLog(sentLogId, 'delivered', result.body === null ? null : JSON.stringify(result.body));
      ctx.onSubjectOutcome(row.id, { status: 'ok', body: result.body });
      return true;
    }
    if (result.status === 'fail') {
      ob.completeSubjectRequest(row.id);
      if (sentLogId !== null) ob.updateSentLog(sentLogId, 'rejected', `${result.error.code}: ${result.error.message}`);
      ctx.warn('SUBJECT_REQUEST_REJECTED', `the collector refused a deletion request: ${result.error.code} (${result.error.message})`);
      ctx.onSubjectOutcome(row.id, { status: 'failed', error: result.error });
      return true;
    }
    // Deletions are never given up: the owner asked for them.
    const attempts = row.attempts + 1;
    const delayMs = retryDelay(attempts, result);
    ob.deferSubjectRequest(row.id, attempts, now() + delayMs);
    options.onDiagnostic({ type: 'retry_scheduled', kind: 'deletion', scope: 'outbox', attempt: attempts, delayMs, reason: result.error.code });
    ctx.onSubjectOutcome(row.id, { status: 'retry', error: result.error });
    return false;
  }

  async function drainOnce(force: boolean, signal: AbortSignal): Promise<void> {
    const triedBatches = new Set<number>();
    const triedSubjects = new Set<number>();
    const inFlight = new Map<number, Promise<void>>();
    let healthy = true;
    for (;;) {
      const ob = ctx.outbox();
      if (ob === null || signal.aborted) break;
      if (healthy && inFlight.size === 0) {
        const subject = ob.nextSubjectRequest(now(), triedSubjects, force);
        if (subject !== null) {
          triedSubjects.add(subject.id);
          healthy = await sendSubject(ob, subject, signal, force);
          continue;
        }
      }
      // Batches wait behind deletions, so that nothing under a deleted pseudonym arrives after its deletion.
      const blocked = ob.pendingSubjectRequests() > 0;
      while (healthy && !blocked && !signal.aborted && inFlight.size < options.maxConcurrentRequests) {
        let batch = ob.nextBatch(now(), triedBatches, force);
        if (batch === null && (force || !ob.hasDeferredBatch(now()))) batch = ob.formBatch(options.maxBatchEvents, options.maxBatchBytes, now(), buildBatch);
        if (batch === null) break;
        const id = batch.id;
        triedBatches.add(id);
        const p = sendBatch(ob, batch, signal, force).then(
          (ok) => {
            if (!ok) healthy = false;
            inFlight.delete(id);
          },
          () => {
            healthy = false;
            inFlight.delete(id);
          },
        );
        inFlight.set(id, p);
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight.values());
    }
    await Promise.all(inFlight.values());
  }

  const run = (force: boolean): Promise<void> => {
    const signal = controller.signal;
    const p = drainOnce(force, signal)
      .catch((err: unknown) => ctx.warn('STORAGE_ERROR', `sending stopped: ${(err as Error).message}`))
      .finally(() => {
        if (running === p) running = null;
      });
    running = p;
    runningForced = force;
    return p;
  };

  const interrupt = async (): Promise<void> => {
    controller.abort();
    while (running !== null) await running;
    controller = new AbortController();
  };

  return {
    /** Starts a background drain unless one is running. */
    kick(): void {
      if (running === null) void run(false);
    },
    /**
     * Drains everything that may leave, ignoring schedules. A background drain in progress is
     * stopped first (its batches stay as they are, keys included): its waits do not keep the
     * process alive, so awaiting it could let the host's process end mid-flush.
     */
    async flush(): Promise<void> {
      while (running !== null) {
        if (runningForced) await running;
        else await interrupt();
      }
      await run(true);
    },
    /** Whether a drain is running. */
    busy: (): boolean => running !== null,
    /** Aborts in-flight requests and waits until the drain has stopped; later drains start afresh. */
    interrupt,
  };
}

/** The sender's interface. */
export type Sender = ReturnType<typeof createSender>;
