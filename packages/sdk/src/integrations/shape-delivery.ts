import { isRejection, type AnyGeneralizer } from '@candor/catalog';

/** What the owner chose to send for one field. */
export type FieldChoice = 'exact' | 'generalized' | 'omitted';

/** A field an integration receives: where it is in the payload, why, and how it may be generalized. */
export interface IntegrationField {
  /** Its path in the payload, dotted (`Metadata.title`). */
  readonly name: string;
  /** Why the destination needs it, in plain words; shown to the owner. */
  readonly why: string;
  /** A catalog generalizer the owner may choose instead of the exact value. */
  readonly generalize?: AnyGeneralizer;
  /** What is sent until the owner chooses. @default 'exact' */
  readonly default?: FieldChoice;
}

/** A payload shaped for delivery. */
export interface ShapedDelivery {
  /** Only the declared fields, as the owner chose; nothing else of the event. */
  readonly payload: Record<string, unknown>;
  /** The fields sent, with how. */
  readonly sent: readonly { readonly name: string; readonly choice: 'exact' | 'generalized' }[];
  /** Fields whose value the generalizer refused: left out. */
  readonly refused: readonly string[];
}

const UNSAFE = new Set(['__proto__', 'prototype', 'constructor']);

function readPath(source: unknown, path: readonly string[]): unknown {
  let cur = source;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function writePath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = target;
  for (const key of path.slice(0, -1)) {
    const next = cur[key];
    if (typeof next === 'object' && next !== null) cur = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      cur[key] = created;
      cur = created;
    }
  }
  cur[path.at(-1)!] = value;
}

/** A copy of a JSON value, or undefined when it is not one (functions, cycles, bigints…). */
function jsonValue(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/**
 * Builds what an integration receives from an event: the declared fields only, each exact,
 * generalized with its generalizer, or left out, as the owner chose. Undeclared parts of the
 * event never leave. Pure; never throws.
 */
export function shapeDelivery(fields: readonly IntegrationField[], choiceOf: (name: string) => FieldChoice, event: unknown): ShapedDelivery {
  const payload: Record<string, unknown> = {};
  const sent: { name: string; choice: 'exact' | 'generalized' }[] = [];
  const refused: string[] = [];
  for (const field of fields) {
    const choice = choiceOf(field.name);
    if (choice === 'omitted') continue;
    const path = field.name.split('.');
    if (path.some((k) => UNSAFE.has(k))) continue;
    const raw = readPath(event, path);
    if (raw === undefined) continue;
    if (choice === 'generalized' && field.generalize !== undefined) {
      const value = field.generalize.apply(raw);
      if (isRejection(value)) {
        refused.push(field.name);
        continue;
      }
      writePath(payload, path, value);
      sent.push({ name: field.name, choice: 'generalized' });
    } else {
      const value = jsonValue(raw);
      if (value === undefined) {
        refused.push(field.name);
        continue;
      }
      writePath(payload, path, value);
      sent.push({ name: field.name, choice: 'exact' });
    }
  }
  return { payload, sent, refused };
}
