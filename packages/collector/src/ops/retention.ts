import { dayOf } from '@candor/protocol';
import type { CatalogRegistry } from '../catalogs/catalog-registry.js';
import type { RetentionRequest } from '../storage/contract.js';

const DAY_MS = 86_400_000;

/**
 * What retention deletes at `nowMs`: per event, the periods that started more than its
 * `retentionDays` ago (the newest declaration of the event decides), and batch keys of periods
 * too old to be accepted any more (a retry of such a batch is refused before deduplication).
 */
export function retentionRequest(registry: CatalogRegistry, nowMs: number, maxPeriodAgeDays: number): RetentionRequest {
  return {
    events: registry.schema.events.map((e) => ({ event: e.name, beforeDay: dayOf(nowMs - (registry.latestEvent(e.name)?.spec.retentionDays ?? 0) * DAY_MS) })),
    batchKeysBeforeDay: dayOf(nowMs - (maxPeriodAgeDays + 1) * DAY_MS),
  };
}
