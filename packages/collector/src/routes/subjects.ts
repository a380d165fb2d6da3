import { Ajv } from 'ajv';
import type { FastifyInstance } from 'fastify';
import { LIMITS, PATHS, type DeleteResponse, type ExportResponse, type SubjectRequest } from '@candor/protocol';
import type { AppContext } from '../app-context.js';
import { CollectorError } from '../errors.js';
import type { SubjectSelector } from '../storage/contract.js';

/**
 * `POST /v1/subjects/delete` and `/v1/subjects/export`: the pseudonyms are the capability
 * (only the install can compute them), so these need no token; both are rate-limited.
 */
export function registerSubjectRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { registry, store } = ctx.deps;
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile({
    type: 'object',
    required: ['catalogId', 'pseudonyms'],
    additionalProperties: false,
    properties: {
      catalogId: { type: 'string', maxLength: 128 },
      pseudonyms: { type: 'array', minItems: 1, maxItems: LIMITS.maxPseudonymsPerRequest, uniqueItems: true, items: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
      categories: { type: 'array', minItems: 1, maxItems: 64, uniqueItems: true, items: { type: 'string', maxLength: 64 } },
    },
  });

  function selectorOf(body: unknown): SubjectSelector {
    if (!validate(body)) {
      throw new CollectorError(
        'INVALID_SUBJECT_REQUEST',
        'the request must be { catalogId, pseudonyms[], categories?[] }',
        (validate.errors ?? []).map((e) => ({ path: e.instancePath === '' ? '(body)' : e.instancePath.slice(1).replaceAll('/', '.'), reason: e.keyword, message: e.message ?? 'is invalid' })),
      );
    }
    const request = body as SubjectRequest;
    if (request.catalogId !== registry.id) throw new CollectorError('UNKNOWN_CATALOG', `this collector holds catalog ${registry.id}, not ${request.catalogId.slice(0, 64)}`);
    if (request.categories === undefined) return { pseudonyms: request.pseudonyms };
    const unknown = request.categories.filter((c) => !registry.categories.has(c));
    if (unknown.length > 0) {
      throw new CollectorError('INVALID_SUBJECT_REQUEST', `unknown categories: ${unknown.map((c) => c.slice(0, 64)).join(', ')}`, unknown.map((c) => ({ path: 'categories', reason: 'unknown_category', message: `"${c.slice(0, 64)}" is not a category of ${registry.id}` })));
    }
    return { pseudonyms: request.pseudonyms, events: registry.eventsOfCategories(request.categories) };
  }

  app.post(PATHS.subjectsDelete, { config: { limit: 'subjects' } }, async (request, reply) => {
    const selector = selectorOf(request.body);
    const deleted = await store.deleteSubjects(selector);
    ctx.metrics.subjectRequests.inc({ kind: 'delete' });
    ctx.metrics.subjectEventsDeleted.inc(deleted);
    const body: DeleteResponse = { deleted, effectiveAt: new Date(ctx.now()).toISOString() };
    return reply.code(200).send(body);
  });

  app.post(PATHS.subjectsExport, { config: { limit: 'subjects' } }, async (request, reply) => {
    const selector = selectorOf(request.body);
    const stored = await store.exportSubjects(selector);
    ctx.metrics.subjectRequests.inc({ kind: 'export' });
    const body: ExportResponse = { events: stored.map((e) => ({ name: e.event, time: e.day, fields: e.fields, pseudonym: e.pseudonym, period: e.period, catalogVersion: e.catalogVersion })) };
    return reply.code(200).header('cache-control', 'no-store').send(body);
  });
}
