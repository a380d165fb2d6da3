import type { Payload } from './compile-catalog.js';
import type { EventSpec } from './types.js';

/** An example generalized payload of an event, built from each generalizer's example. */
export function examplePayload(event: EventSpec): Payload {
  const out: Payload = {};
  for (const [name, f] of Object.entries(event.fields)) out[name] = f.generalize.example;
  return out;
}
