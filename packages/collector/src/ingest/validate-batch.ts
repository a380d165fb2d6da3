import { Ajv, type ErrorObject } from 'ajv';
import { LIMITS, SUPPORTED_PROTOCOL_VERSIONS, dayOf, periodRange } from '@candor/protocol';
import type { CatalogRegistry } from '../catalogs/catalog-registry.js';
import { CollectorError, type ErrorDetail } from '../errors.js';
import type { AppendBatch, AppendEvent } from '../storage/contract.js';

/** Limits and clock tolerance applied to a batch. */
export interface BatchRules {
  readonly maxEventsPerBatch: number;
  /** A batch whose period ended longer ago is refused. */
  readonly maxPeriodAgeDays: number;
  /** How far in the future a period may start (client clocks run ahead). */
  readonly clockSkewMs: number;
}

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Validates a decoded `POST /v1/batches` body; returns the batch to store or throws a {@link CollectorError}. */
export type BatchValidator = (body: unknown, nowMs: number) => AppendBatch;

/**
 * Compiles a batch validator once: the envelope with ajv, then every event against the
 * catalog version the batch names, as if no SDK existed. Any problem refuses the whole batch.
 */
export function createBatchValidator(registry: CatalogRegistry, rules: BatchRules): BatchValidator {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const envelope = ajv.compile({
    type: 'object',
    required: ['v', 'catalog', 'pseudonym', 'period', 'batchKey', 'events'],
    additionalProperties: false,
    properties: {
      v: { type: 'integer' },
      catalog: {
        type: 'object',
        required: ['id', 'version'],
        additionalProperties: false,
        properties: { id: { type: 'string', maxLength: 128 }, version: { type: 'string', maxLength: 64 } },
      },
      pseudonym: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      period: { type: 'string', pattern: '^\\d{4}-(\\d{2}-\\d{2}|W\\d{2}|\\d{2})$' },
      batchKey: { type: 'string', pattern: '^[0-9a-f]{32}$' },
      events: {
        type: 'array',
        minItems: 1,
        maxItems: rules.maxEventsPerBatch,
        items: {
          type: 'object',
          required: ['name', 'time', 'fields'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', maxLength: 128 },
            time: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
            fields: { type: 'object', maxProperties: 256, additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
          },
        },
      },
    },
  });

  // Periods repeat across batches (a day's traffic names one or two): parse each once.
  const periods = new Map<string, { startMs: number; endMs: number; linkage: string; firstDay: string; lastDay: string } | null>();
  const periodOf = (period: string) => {
    let hit = periods.get(period);
    if (hit === undefined) {
      const range = periodRange(period);
      hit = range === null ? null : { ...range, firstDay: dayOf(range.startMs), lastDay: dayOf(range.endMs - DAY_MS) };
      if (periods.size >= 4096) periods.clear();
      periods.set(period, hit);
    }
    return hit;
  };

  return (body, nowMs) => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new CollectorError('INVALID_BATCH', 'the body must be a JSON object');
    const b = body as Record<string, unknown>;
    if (Array.isArray(b.events) && b.events.length > rules.maxEventsPerBatch) {
      throw new CollectorError('TOO_MANY_EVENTS', `the batch holds ${b.events.length} events; at most ${rules.maxEventsPerBatch} are allowed`);
    }
    if (typeof b.v === 'number' && !SUPPORTED_PROTOCOL_VERSIONS.includes(b.v)) {
      throw new CollectorError('UNSUPPORTED_PROTOCOL_VERSION', `protocol version ${String(b.v).slice(0, 16)} is not supported; this collector accepts ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`);
    }
    if (!envelope(b)) throw new CollectorError('INVALID_BATCH', 'the batch envelope is malformed', (envelope.errors ?? []).map(ajvDetail));
    const batch = b as unknown as { v: number; catalog: { id: string; version: string }; pseudonym: string; period: string; batchKey: string; events: { name: string; time: string; fields: Record<string, string | number | boolean | null> }[] };

    const catalog = batch.catalog.id === registry.id ? registry.get(batch.catalog.version) : undefined;
    if (catalog === undefined) {
      throw new CollectorError('UNKNOWN_CATALOG', `catalog ${batch.catalog.id.slice(0, 64)} ${batch.catalog.version.slice(0, 32)} is not accepted here; accepted: ${registry.id} ${registry.versions.map((c) => c.version).join(', ')}`);
    }
    const range = periodOf(batch.period);
    if (range === null) throw new CollectorError('INVALID_BATCH', 'the period is not a valid day, ISO week or month', [{ path: 'period', reason: 'invalid_format', message: 'expected YYYY-MM-DD, YYYY-Www or YYYY-MM' }]);
    if (range.linkage !== registry.linkage) {
      throw new CollectorError('INVALID_BATCH', `the period is a ${range.linkage}, but catalog ${registry.id} links reports by ${registry.linkage}`, [{ path: 'period', reason: 'wrong_linkage', message: `expected a ${registry.linkage}` }]);
    }
    if (range.startMs > nowMs + rules.clockSkewMs) throw new CollectorError('PERIOD_MISMATCH', 'the period lies in the future', [{ path: 'period', reason: 'future_period', message: 'the period has not started yet' }]);
    if (range.endMs < nowMs - rules.maxPeriodAgeDays * DAY_MS) {
      throw new CollectorError('PERIOD_TOO_OLD', `the period ended more than ${rules.maxPeriodAgeDays} days ago`, [{ path: 'period', reason: 'too_old', message: `periods older than ${rules.maxPeriodAgeDays} days are refused` }]);
    }
    const { firstDay, lastDay } = range;

    const fieldIssues: ErrorDetail[] = [];
    const timeIssues: ErrorDetail[] = [];
    const events: AppendEvent[] = [];
    for (let i = 0; i < batch.events.length && fieldIssues.length < LIMITS.maxErrorDetails; i++) {
      const e = batch.events[i]!;
      const compiled = catalog.events.get(e.name);
      if (compiled === undefined) {
        fieldIssues.push({ path: `events[${i}].name`, reason: 'unknown_event', message: `event "${e.name.slice(0, 64)}" is not declared in ${catalog.id} ${catalog.version}` });
        continue;
      }
      for (const issue of compiled.check(e.fields)) {
        const field = issue.path.startsWith(`${e.name}.`) ? issue.path.slice(e.name.length + 1) : '';
        fieldIssues.push({ path: field === '' ? `events[${i}].fields` : `events[${i}].fields.${field}`, reason: issue.reason, message: issue.message });
      }
      if (e.time !== batch.period && !(DAY.test(e.time) && isRealDay(e.time) && e.time >= firstDay && e.time <= lastDay)) {
        timeIssues.push({ path: `events[${i}].time`, reason: 'outside_period', message: `the time must be a day of period ${batch.period}` });
      } else {
        const start = registry.startDay(catalog, e.name);
        if (start !== undefined && e.time < start) {
          fieldIssues.push({ path: `events[${i}].time`, reason: 'not_yet_effective', message: `${e.name} starts with catalog version ${catalog.version} on ${start}` });
        }
      }
      events.push({ event: e.name, day: e.time, fields: e.fields, maxPerPeriod: compiled.spec.maxPerPeriod });
    }
    if (fieldIssues.length > 0) {
      throw new CollectorError('INVALID_EVENTS', `${fieldIssues.length >= LIMITS.maxErrorDetails ? 'at least ' : ''}${fieldIssues.length} problem(s) with the events; nothing of the batch was stored`, [...fieldIssues, ...timeIssues]);
    }
    if (timeIssues.length > 0) throw new CollectorError('PERIOD_MISMATCH', `${timeIssues.length} event(s) lie outside period ${batch.period}`, timeIssues);
    return { batchKey: batch.batchKey, pseudonym: batch.pseudonym, period: batch.period, catalogVersion: catalog.version, events };
  };
}

function isRealDay(day: string): boolean {
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(ms) && dayOf(ms) === day;
}

function ajvDetail(e: ErrorObject): ErrorDetail {
  const path = e.instancePath === '' ? '(body)' : e.instancePath.slice(1).replaceAll('/', '.').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
  const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty).slice(0, 64)})` : '';
  return { path, reason: e.keyword, message: `${e.message ?? 'is invalid'}${extra}` };
}
