import type { Integration } from './integration-types.js';

/** The integrations declared on one client, and its daily report timer. */
export interface IntegrationRegistry {
  readonly integrations: Map<string, Integration>;
  dailyTimerStarted: boolean;
}

const registries = new WeakMap<object, IntegrationRegistry>();

/** The registry of a client, created on first use. One per client, so that tests and hosts never share state. */
export function registryOf(client: object): IntegrationRegistry {
  let r = registries.get(client);
  if (r === undefined) {
    r = { integrations: new Map(), dailyTimerStarted: false };
    registries.set(client, r);
  }
  return r;
}
