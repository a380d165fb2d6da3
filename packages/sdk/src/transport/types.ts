/** What a request to the collector is for; the sent log records it as the entry's kind. */
export type RequestKind = 'batch' | 'deletion' | 'export';

/** One request to the collector: a path under the endpoint and the exact JSON body. */
export interface TransportRequest {
  readonly kind: RequestKind;
  /** Path under the endpoint (`PATHS.batches`, …). */
  readonly path: string;
  /** The uncompressed JSON body; the HTTP layer may gzip it, but these are the bytes that count. */
  readonly body: string;
  /** Aborts the request (shutdown, or a deadline); the result is then a retry. */
  readonly signal?: AbortSignal;
  /** Someone awaits this request (`flush()`, `shutdown()`): its waits keep the process alive. */
  readonly keepAlive?: boolean;
}

/** Why a request did not succeed. */
export interface TransportError {
  /** The collector's error code (`INVALID_EVENTS`, …) or a network code (`ECONNREFUSED`, `TIMEOUT`, `HTTP_502`). */
  readonly code: string;
  readonly message: string;
  /** The HTTP status, when an answer arrived. */
  readonly httpStatus?: number;
}

/**
 * The outcome of a request (STYLE.md, errors rule 2): delivered; worth retrying, after
 * `afterMs` when the collector said so; or failed for good.
 */
export type TransportResult =
  | { readonly status: 'ok'; readonly httpStatus: number; readonly body: unknown }
  | { readonly status: 'retry'; readonly afterMs?: number; readonly error: TransportError }
  | { readonly status: 'fail'; readonly error: TransportError };

/** Sends requests to the collector. Never rejects: every failure is a result. */
export interface Transport {
  send(request: TransportRequest): Promise<TransportResult>;
  /** Releases sockets; optional. */
  close?(): void;
}
