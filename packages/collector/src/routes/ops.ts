import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.js';
import { sendError } from '../http-errors.js';
import { CollectorError } from '../errors.js';

/**
 * `/healthz` (the process answers), `/readyz` (the store can commit) and `/metrics` (Prometheus
 * text, behind the admin token unless `publicMetrics`: its counters per event and outcome say
 * how much a small fleet sends, hour by hour).
 */
export function registerOpsRoutes(app: FastifyInstance, ctx: AppContext, publicMetrics: boolean): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (ctx.closing) return sendError(reply, new CollectorError('SHUTTING_DOWN', 'the collector is shutting down'));
    const health = await ctx.deps.store.health();
    if (!health.ok) return sendError(reply, new CollectorError('STORE_UNAVAILABLE', `the store cannot commit: ${health.detail ?? 'unavailable'}`));
    return { status: 'ready' };
  });
  app.get('/metrics', async (request, reply) => {
    if (!publicMetrics) ctx.requireAdmin(request);
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
}
