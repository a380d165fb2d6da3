import type { CatalogSpec } from '@candor/catalog';
import type { Telemetry } from '../client/types.js';
import type { IntegrationDisclosure } from './integration-disclosure.js';
import { registryOf } from './integration-registry.js';
import type { Integration } from './integration-types.js';

/** The integrations declared on a client, in declaration order. */
export function listIntegrations<S extends CatalogSpec>(client: Telemetry<S>): Integration[] {
  return [...registryOf(client).integrations.values()];
}

/** What the privacy tab shows: every integration with its destination and fields, in words. */
export function listIntegrationDisclosures<S extends CatalogSpec>(client: Telemetry<S>): IntegrationDisclosure[] {
  return listIntegrations(client).map((i) => i.disclosure());
}
