import { Agent, request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { PATHS, type IngestResponse, type WireBatch } from '@candor/protocol';
import { createFleet, type FleetOptions } from './fleet.js';
import { percentiles, type Percentiles } from './percentile.js';

/** A batch ready to send: its gzip body and what it holds. */
export interface PreparedBatch {
  readonly batchKey: string;
  readonly events: number;
  readonly body: Buffer;
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  /** Base URL of the collector. */
  readonly target: string;
  /** Longest run, in seconds; the run also ends when the batches run out. */
  readonly durationSeconds: number;
  /** Requests in flight at once. @default 32 */
  readonly concurrency?: number;
  /** The batches to send; a fleet of `installs` is simulated when omitted. */
  readonly batches?: Iterable<PreparedBatch>;
  /** Fleet size when `batches` is omitted. @default 1000 */
  readonly installs?: number;
  /** Fleet options other than `installs`. */
  readonly fleet?: Omit<FleetOptions, 'installs'>;
  /** Called with every answer (status, and the body of a 202). */
  readonly onResult?: (batch: PreparedBatch, status: number, answer: IngestResponse | undefined) => void;
  /** Longest wait for one answer. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Ends the run early (no new requests; those in flight finish). */
  readonly signal?: AbortSignal;
}

/** What a load run measured. */
export interface LoadReport {
  readonly seconds: number;
  readonly sentBatches: number;
  readonly sentEvents: number;
  readonly acceptedBatches: number;
  readonly duplicateBatches: number;
  readonly acceptedEvents: number;
  readonly boundedEvents: number;
  /** Answers other than 202, by status ("error" for a failed connection). */
  readonly failures: Readonly<Record<string, number>>;
  readonly acceptedEventsPerSecond: number;
  readonly batchesPerSecond: number;
  /** Latency of every answered request, in milliseconds. */
  readonly latencyMs: Percentiles;
  /** Whether the run ended because the batches ran out. */
  readonly exhausted: boolean;
}

/** Gzips a wire batch as the SDK sends it. */
export function prepareBatch(batch: WireBatch): PreparedBatch {
  return { batchKey: batch.batchKey, events: batch.events.length, body: gzipSync(JSON.stringify(batch)) };
}

/** Prepared batches of a simulated fleet, generated as they are needed. */
export function* fleetBatches(options: FleetOptions): Generator<PreparedBatch> {
  for (const b of createFleet(options).batches()) yield prepareBatch(b);
}

/**
 * Sends batches to a collector from a fixed number of concurrent keep-alive connections for
 * up to `durationSeconds`, and reports accepted events per second and latency percentiles.
 * Refused or failed batches are counted, not retried.
 * @example const report = await runLoad({ target: 'http://127.0.0.1:8080', installs: 5000, durationSeconds: 30 });
 */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const concurrency = options.concurrency ?? 32;
  const url = new URL(PATHS.batches, options.target);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const source = (options.batches ?? fleetBatches({ installs: options.installs ?? 1000, ...options.fleet }))[Symbol.iterator]();
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let sentBatches = 0;
  let sentEvents = 0;
  let acceptedBatches = 0;
  let duplicateBatches = 0;
  let acceptedEvents = 0;
  let boundedEvents = 0;
  let exhausted = false;
  const started = performance.now();
  const deadline = started + options.durationSeconds * 1000;

  const send = (batch: PreparedBatch): Promise<void> =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = request(
        url,
        { method: 'POST', agent, timeout: options.requestTimeoutMs ?? 30_000, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': batch.body.length } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            const status = res.statusCode ?? 0;
            let answer: IngestResponse | undefined;
            if (status === 202) {
              answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as IngestResponse;
              if (answer.duplicate) duplicateBatches++;
              else acceptedBatches++;
              acceptedEvents += answer.duplicate ? 0 : answer.accepted;
              boundedEvents += answer.duplicate ? 0 : answer.bounded;
            } else {
              failures[String(status)] = (failures[String(status)] ?? 0) + 1;
            }
            options.onResult?.(batch, status, answer);
            resolve();
          });
          res.on('error', () => resolve());
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        failures.error = (failures.error ?? 0) + 1;
        options.onResult?.(batch, 0, undefined);
        resolve();
      });
      req.end(batch.body);
    });

  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && options.signal?.aborted !== true) {
      const next = source.next();
      if (next.done === true) {
        exhausted = true;
        return;
      }
      sentBatches++;
      sentEvents += next.value.events;
      await send(next.value);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    seconds,
    sentBatches,
    sentEvents,
    acceptedBatches,
    duplicateBatches,
    acceptedEvents,
    boundedEvents,
    failures,
    acceptedEventsPerSecond: acceptedEvents / seconds,
    batchesPerSecond: (acceptedBatches + duplicateBatches) / seconds,
    latencyMs: percentiles(latencies),
    exhausted,
  };
}

/** A load report as lines of text for a terminal. */
export function formatLoadReport(report: LoadReport): string {
  const l = report.latencyMs;
  const failed = Object.entries(report.failures).map(([s, n]) => `${n}×${s}`).join(', ') || 'none';
  return [
    `sent        ${report.sentBatches} batches, ${report.sentEvents} events in ${report.seconds.toFixed(1)} s${report.exhausted ? ' (the fleet ran out of reports)' : ''}`,
    `accepted    ${report.acceptedEvents} events (${report.boundedEvents} bounded) in ${report.acceptedBatches} batches, ${report.duplicateBatches} duplicates`,
    `throughput  ${Math.round(report.acceptedEventsPerSecond)} accepted events/s, ${Math.round(report.batchesPerSecond)} batches/s`,
    `latency ms  p50 ${l.p50.toFixed(1)}  p90 ${l.p90.toFixed(1)}  p99 ${l.p99.toFixed(1)}  max ${l.max.toFixed(1)}`,
    `refused     ${failed}`,
  ].join('\n');
}
