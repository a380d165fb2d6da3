import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PATHS, type WireValue } from '@candor/protocol';
import type { AppContext } from '../app-context.js';
import { CollectorError } from '../errors.js';
import { releaseActive } from '../release/active-estimate.js';
import { toCsv } from '../release/csv.js';
import { releaseStats, type ReleaseDeps } from '../release/release-stats.js';
import { parseStatsRequest } from '../release/stats-request.js';

function wantsCsv(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === 'string' && /(^|,)\s*text\/csv/i.test(accept);
}

/**
 * `GET /v1/stats` and `GET /v1/stats/active` (admin bearer token): released statistics only,
 * as JSON or as the CSV of released cells (`format=csv` or `Accept: text/csv`).
 */
export function registerStatsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { options, registry, store } = ctx.deps;
  const rules = { maxRangeDays: options.maxRangeDays, maxGroupBy: 4, maxEpsilonPerQuery: options.maxEpsilonPerQuery };
  const release: ReleaseDeps = {
    store,
    registry,
    rules: { k: options.k, dailyEpsilon: options.dailyEpsilon, requireNoise: options.requireNoise },
    now: ctx.now,
    ...(ctx.deps.uniform === undefined ? {} : { uniform: ctx.deps.uniform }),
  };

  async function guarded<T>(endpoint: string, dataset: string, run: () => Promise<T>): Promise<T> {
    try {
      const out = await run();
      ctx.metrics.statsQueries.inc({ endpoint, outcome: 'ok' });
      return out;
    } catch (error) {
      ctx.metrics.statsQueries.inc({ endpoint, outcome: error instanceof CollectorError ? error.code : 'INTERNAL' });
      // The dataset label is a declared event name or "unknown": never text from the request.
      if (error instanceof CollectorError && error.code === 'PRIVACY_BUDGET_EXHAUSTED') ctx.metrics.budgetRefusals.inc({ dataset });
      throw error;
    }
  }

  function datasetOf(query: unknown): string {
    const event = (query as Record<string, unknown>).event;
    return typeof event === 'string' && registry.schema.events.some((e) => e.name === event) ? event : 'unknown';
  }

  function sendCsv(reply: FastifyReply, name: string, header: string[], rows: (WireValue | undefined)[][]): FastifyReply {
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(toCsv(header, rows));
  }

  app.get(PATHS.stats, { config: { limit: 'stats' } }, async (request, reply) => {
    ctx.requireAdmin(request);
    return guarded('stats', datasetOf(request.query), async () => {
      const query = parseStatsRequest(request.query as Record<string, unknown>, registry, ctx.now(), rules, wantsCsv(request));
      const answer = await releaseStats(release, query);
      reply.header('cache-control', 'no-store');
      if (query.format === 'json') return reply.send(answer);
      const released = answer.cells.filter((c) => !c.suppressed);
      return sendCsv(reply, `${query.event}-${query.granularity}`, ['period', ...query.groupBy, 'events', 'installs', 'noised'], released.map((c) => [c.period, ...query.groupBy.map((f) => c[f]), c.events, c.installs, c.noised]));
    });
  });

  app.get(`${PATHS.stats}/active`, { config: { limit: 'stats' } }, async (request, reply) => {
    ctx.requireAdmin(request);
    return guarded('active', ctx.activity.event, async () => {
      const params = { ...(request.query as Record<string, unknown>), event: ctx.activity.event };
      const query = parseStatsRequest(params, registry, ctx.now(), rules, wantsCsv(request));
      const answer = await releaseActive(release, ctx.activity, query);
      reply.header('cache-control', 'no-store');
      if (query.format === 'json') return reply.send(answer);
      const released = answer.cells.filter((c) => !c.suppressed);
      return sendCsv(reply, `active-${query.granularity}`, ['period', ...query.groupBy, 'active', 'reports', 'noised'], released.map((c) => [c.period, ...query.groupBy.map((f) => c[f]), c.active, c.reports, c.noised]));
    });
  });
}
