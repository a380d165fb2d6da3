import { createHash, timingSafeEqual } from 'node:crypto';
import type { Socket } from 'node:net';
import { LogController, fastify, type FastifyInstance } from 'fastify';
import { PATHS } from '@candor/protocol';
import { registerDashboard } from '@candor/web/dashboard';
import type { AppContext, AppDeps, LimitName } from './app-context.js';
import { CollectorError } from './errors.js';
import { sendError, toCollectorError } from './http-errors.js';
import { decodeBody } from './ingest/decode-body.js';
import { createCollectorMetrics } from './ops/collector-metrics.js';
import { createLogger } from './ops/create-logger.js';
import { createClientKeyer } from './privacy/client-key.js';
import { createRateLimiter, type RateLimiter } from './privacy/rate-limiter.js';
import type { ActivityMeasure } from './release/active-estimate.js';
import { registerBatchRoutes } from './routes/batches.js';
import { registerCatalogRoutes } from './routes/catalogs.js';
import { registerOpsRoutes } from './routes/ops.js';
import { registerStatsRoutes } from './routes/stats.js';
import { registerSubjectRoutes } from './routes/subjects.js';

const DEFAULT_ACTIVITY: ActivityMeasure = { event: 'server.daily', weekField: 'activeDays7', monthField: 'activeDays28' };

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Builds the collector's HTTP application (fastify 5) without listening, so that whole request
 * cycles can be tested in process with `app.inject`. Limits apply before work: the rate limit
 * before the body is read, the body size while it is read, decoding limits before parsing.
 * @example const app = createApp({ store, registry, options, adminToken }); await app.listen({ port: 0 });
 */
export function createApp(deps: AppDeps): FastifyInstance {
  const { options } = deps;
  const logger = deps.logger ?? createLogger({ level: 'silent' });
  const metrics = deps.metrics ?? createCollectorMetrics();
  const now = deps.now ?? Date.now;
  const keyer = createClientKeyer(now);
  const limiters: Record<LimitName, RateLimiter> = {
    ingest: createRateLimiter({ limit: options.ingestPerMinute, windowMs: 60_000 }, now),
    subjects: createRateLimiter({ limit: options.subjectsPerHour, windowMs: 3_600_000 }, now),
    stats: createRateLimiter({ limit: options.statsPerMinute, windowMs: 60_000 }, now),
  };
  const limits: Record<LimitName, number> = { ingest: options.ingestPerMinute, subjects: options.subjectsPerHour, stats: options.statsPerMinute };
  const tokenDigest = digest(deps.adminToken);

  const app = fastify({
    loggerInstance: logger,
    // Fastify's own request lines would carry the client address; the onResponse hook logs a safe line instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.maxCompressedBytes,
    trustProxy: options.trustProxy,
    requestTimeout: options.requestTimeoutMs,
    keepAliveTimeout: 5_000,
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // Node checks request timeouts only every connectionsCheckingInterval (30 s by default): check often enough to honour short ones.
    http: { maxHeaderSize: options.maxHeaderBytes, headersTimeout: Math.min(options.headersTimeoutMs, options.requestTimeoutMs), connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(options.requestTimeoutMs / 4))) },
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const e =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? new CollectorError('HEADERS_TOO_LARGE', `the request headers exceed ${options.maxHeaderBytes} bytes`)
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? new CollectorError('REQUEST_TIMEOUT', 'the request took too long to arrive')
            : new CollectorError('MALFORMED_BODY', 'the request is not valid HTTP');
      metrics.rejections.inc({ code: e.code });
      const body = JSON.stringify(e.toBody());
      if (socket.writable) {
        socket.write(`HTTP/1.1 ${e.status} ${e.status === 431 ? 'Request Header Fields Too Large' : e.status === 408 ? 'Request Timeout' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      }
      socket.destroy();
    },
  } as Parameters<typeof fastify>[0]) as unknown as FastifyInstance;

  const ctx: AppContext = {
    deps,
    now,
    metrics,
    activity: deps.activity ?? DEFAULT_ACTIVITY,
    closing: false,
    requireAdmin(request) {
      const header = request.headers.authorization;
      // The scheme is case-insensitive (RFC 9110 §11.1): `bearer x` is `Bearer x`.
      const token = typeof header === 'string' && /^bearer[ \t]/i.test(header) ? header.slice(7).trim() : '';
      // Both sides are hashed first, so the comparison takes the same time whatever the length.
      if (!timingSafeEqual(digest(token), tokenDigest) || token === '') throw new CollectorError('UNAUTHORIZED', 'send the admin token as "Authorization: Bearer <token>"');
    },
  };

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: options.maxCompressedBytes }, (request, body, done) => {
    try {
      const encoding = request.headers['content-encoding'];
      done(null, decodeBody(body as Buffer, Array.isArray(encoding) ? encoding.join(',') : encoding, options));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  // Requests in flight, so that shutdown can wait for them: fastify's close does not wait for
  // an async handler whose body has been read (the connection then looks idle to Node).
  let inFlight = 0;
  const drained: (() => void)[] = [];
  app.decorate('drainRequests', async (timeoutMs: number): Promise<boolean> => {
    ctx.closing = true;
    if (inFlight === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
      drained.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  });

  app.addHook('onRequest', async (request, reply) => {
    if (ctx.closing) {
      reply.header('connection', 'close');
      return sendError(reply, new CollectorError('SHUTTING_DOWN', 'the collector is shutting down; retry later'));
    }
    inFlight++;
    reply.raw.once('close', () => {
      if (--inFlight === 0) for (const done of drained.splice(0)) done();
    });
    const limit = request.routeOptions.config?.limit;
    if (limit === undefined || limits[limit] <= 0) return undefined;
    // The address is hashed under a key rotated daily and kept only in memory; it is never stored or logged.
    const decision = limiters[limit].take(keyer.keyOf(request.ip));
    if (decision.allowed) return undefined;
    metrics.rateLimited.inc({ limit });
    metrics.rejections.inc({ code: 'RATE_LIMITED' });
    return sendError(reply, new CollectorError('RATE_LIMITED', 'too many requests from this client; retry after the Retry-After header'), decision.retryAfterSeconds);
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ route }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) request.log.warn({ route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request failed');
    else request.log.debug({ route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.setErrorHandler((error, request, reply) => {
    const e = toCollectorError(error);
    metrics.rejections.inc({ code: e.code });
    if (e.code === 'INTERNAL') request.log.error({ err: error }, 'unexpected error');
    else if (e.code === 'STORE_UNAVAILABLE') request.log.warn({ err: error }, 'store unavailable');
    return sendError(reply, e);
  });

  const allowed = new Map<string, string[]>([
    [PATHS.batches, ['POST']],
    [PATHS.subjectsDelete, ['POST']],
    [PATHS.subjectsExport, ['POST']],
    [PATHS.stats, ['GET']],
    [`${PATHS.stats}/active`, ['GET']],
    [PATHS.catalogs, ['GET']],
    ['/healthz', ['GET']],
    ['/readyz', ['GET']],
    ['/metrics', ['GET']],
  ]);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const methods = allowed.get(path);
    const e = methods !== undefined ? new CollectorError('METHOD_NOT_ALLOWED', `${path} accepts ${methods.join(', ')}`) : new CollectorError('NOT_FOUND', 'no such endpoint');
    if (methods !== undefined) reply.header('allow', methods.join(', '));
    metrics.rejections.inc({ code: e.code });
    return sendError(reply, e);
  });

  registerBatchRoutes(app, ctx);
  registerSubjectRoutes(app, ctx);
  registerStatsRoutes(app, ctx);
  registerCatalogRoutes(app, ctx);
  registerOpsRoutes(app, ctx, options.publicMetrics);
  registerDashboard(app, { adminToken: deps.adminToken, catalog: deps.registry.current.spec, now });

  app.addHook('preClose', async () => {
    ctx.closing = true;
  });
  return app;
}

