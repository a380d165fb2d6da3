import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { classifyResponse } from './classify-response.js';
import type { Transport, TransportRequest, TransportResult } from './types.js';

const gzip = promisify(gzipCallback);
/** Answers are small JSON documents; anything longer is cut off rather than buffered. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** Options of {@link createHttpTransport}. */
export interface HttpTransportOptions {
  /** Base URL of the collector; request paths are appended to its path. */
  readonly endpoint: URL;
  /** Deadline of one request, from start to the end of the answer. */
  readonly timeoutMs: number;
  /** Whether to gzip request bodies. */
  readonly gzip: boolean;
  /** The User-Agent header. */
  readonly userAgent: string;
  /** Clock for Retry-After dates. */
  readonly now: () => number;
}

/**
 * The bottom transport layer: one HTTP POST per request, gzip, a deadline, and the answer
 * classified by {@link classifyResponse}. Uses `node:http(s)` directly rather than the
 * global `fetch`, which hosts sometimes replace or instrument.
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const secure = options.endpoint.protocol === 'https:';
  const mod = secure ? https : http;
  const agent = new mod.Agent({ keepAlive: true, maxSockets: 8 });
  const basePath = options.endpoint.pathname.replace(/\/+$/, '');

  async function send(request: TransportRequest): Promise<TransportResult> {
    let payload: Buffer;
    try {
      payload = options.gzip ? await gzip(Buffer.from(request.body, 'utf8')) : Buffer.from(request.body, 'utf8');
    } catch (err) {
      return { status: 'fail', error: { code: 'ENCODE_FAILED', message: messageOf(err) } };
    }
    // AbortSignal.timeout runs on Node's internal timers, so a test's fake timers do not stop the deadline.
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
    return new Promise<TransportResult>((resolve) => {
      let settled = false;
      const done = (r: TransportResult): void => {
        if (!settled) {
          settled = true;
          resolve(r);
        }
      };
      const headers: http.OutgoingHttpHeaders = {
        'content-type': 'application/json',
        'content-length': payload.length,
        'user-agent': options.userAgent,
        accept: 'application/json',
      };
      if (options.gzip) headers['content-encoding'] = 'gzip';
      let req: http.ClientRequest;
      try {
        req = mod.request(
          { protocol: options.endpoint.protocol, hostname: options.endpoint.hostname, port: options.endpoint.port, path: basePath + request.path, method: 'POST', headers, agent, signal },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
              if (size < MAX_RESPONSE_BYTES) chunks.push(c);
              size += c.length;
            });
            res.on('end', () => {
              const text = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8');
              done(classifyResponse(res.statusCode ?? 0, res.headers['retry-after'], text, options.now()));
            });
            res.on('error', (err) => done(networkFailure(err, deadline)));
          },
        );
      } catch (err) {
        done({ status: 'fail', error: { code: 'REQUEST_FAILED', message: messageOf(err) } });
        return;
      }
      req.on('error', (err) => done(networkFailure(err, deadline)));
      req.end(payload);
    });
  }

  return { send, close: () => agent.destroy() };
}

function networkFailure(err: unknown, deadline: AbortSignal): TransportResult {
  if (deadline.aborted) return { status: 'retry', error: { code: 'TIMEOUT', message: 'the collector did not answer in time' } };
  const code = (err as { code?: unknown }).code;
  return { status: 'retry', error: { code: typeof code === 'string' ? code : 'NETWORK_ERROR', message: messageOf(err) } };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
