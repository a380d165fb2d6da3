import type { CatalogSpec } from '@candor/catalog';
import type { RecordOutcome, Telemetry } from '../client/types.js';
import type { IntegrationKind } from './integration-disclosure.js';
import { registryOf } from './integration-registry.js';

/** The catalog event that says which kinds of integration are on. */
export const INTEGRATIONS_DAILY_EVENT = 'integrations.daily';

const FIELD_OF_KIND: Record<IntegrationKind, string> = { webhook: 'webhook', speaker: 'speaker', 'voice-assistant': 'voiceAssistant', scrobbler: 'scrobbler' };

/**
 * Records `integrations.daily`: for each kind, whether an integration of that kind is on —
 * never what they send or where. The catalog lets one report a period leave; the SDK calls
 * this once a day on its own. Returns the client's answer, or null when the catalog has no
 * such event.
 */
export function reportIntegrationsDaily<S extends CatalogSpec>(client: Telemetry<S>): RecordOutcome | null {
  const ext = client.extensions;
  const event = ext.catalog.events.get(INTEGRATIONS_DAILY_EVENT);
  if (event === undefined) return null;
  const declared = new Set(event.fields.flatMap((f) => f.rawKeys));
  const raw: Record<string, boolean> = {};
  for (const key of declared) raw[key] = false;
  for (const integration of registryOf(client).integrations.values()) {
    const key = FIELD_OF_KIND[integration.kind];
    if (declared.has(key) && integration.isActive()) raw[key] = true;
  }
  return ext.enqueue(INTEGRATIONS_DAILY_EVENT, raw);
}
