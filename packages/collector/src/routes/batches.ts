import type { FastifyInstance } from 'fastify';
import { PATHS, type IngestResponse } from '@candor/protocol';
import type { AppContext } from '../app-context.js';
import { CollectorError } from '../errors.js';
import { createBatchValidator } from '../ingest/validate-batch.js';

/** `POST /v1/batches`: validate as if no SDK existed, bound, store durably, then answer 202. */
export function registerBatchRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { options, registry, store } = ctx.deps;
  const validate = createBatchValidator(registry, options);
  const { metrics } = ctx;
  app.post(PATHS.batches, { config: { limit: 'ingest' } }, async (request, reply) => {
    let batch;
    try {
      batch = validate(request.body, ctx.now());
    } catch (error) {
      metrics.batches.inc({ outcome: 'rejected' });
      throw error;
    }
    let result;
    try {
      result = await store.append(batch);
    } catch (error) {
      metrics.batches.inc({ outcome: 'unavailable' });
      throw error instanceof CollectorError ? error : new CollectorError('STORE_UNAVAILABLE', 'the batch could not be stored; nothing was stored, retry later');
    }
    metrics.batches.inc({ outcome: result.duplicate ? 'duplicate' : 'accepted' });
    for (const [event, tally] of Object.entries(result.byEvent)) {
      if (tally.accepted > 0) metrics.eventsAccepted.inc({ event }, tally.accepted);
      if (tally.bounded > 0) metrics.eventsBounded.inc({ event }, tally.bounded);
    }
    const body: IngestResponse = { batchKey: batch.batchKey, accepted: result.accepted, bounded: result.bounded, duplicate: result.duplicate };
    return reply.code(202).send(body);
  });
}
