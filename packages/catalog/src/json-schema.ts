import type { JsonSchema } from './generalizer.js';
import type { CatalogSpec, EventSpec } from './types.js';

/** JSON Schema (2020-12) of the generalized `fields` object of one event on the wire. */
export function eventFieldsSchema(event: EventSpec): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, f] of Object.entries(event.fields)) {
    properties[name] = f.optional === true ? { anyOf: [f.generalize.schema, { type: 'null' }], description: f.description } : { ...f.generalize.schema, description: f.description };
  }
  return { type: 'object', additionalProperties: false, required: Object.keys(event.fields), properties };
}

/**
 * JSON Schema of every event a catalog allows on the wire, one `$defs` entry per event.
 * The collector compiles each entry once with ajv.
 */
export function catalogJsonSchema(spec: CatalogSpec): JsonSchema {
  const defs: Record<string, JsonSchema> = {};
  for (const [name, event] of Object.entries(spec.events)) {
    defs[name] = {
      type: 'object',
      description: event.description,
      additionalProperties: false,
      required: ['name', 'time', 'fields'],
      properties: {
        name: { const: name },
        time: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
        fields: eventFieldsSchema(event),
      },
    };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `candor:catalog:${spec.id}:${spec.version}`,
    title: `${spec.id} ${spec.version} events`,
    $defs: defs,
    oneOf: Object.keys(defs).map((name) => ({ $ref: `#/$defs/${name}` })),
  };
}
