import { Rejection, type Generalizer } from '../generalizer.js';
import { describeType } from './read-number.js';

/** Options of {@link enumeration}. */
export interface EnumerationOptions<V extends string> {
  /** The values that may leave the machine, lower case. */
  readonly values: readonly V[];
  /** Other spellings and their canonical value (`'h.264' → 'h264'`); matched case-insensitively. */
  readonly aliases?: Readonly<Record<string, V>>;
  /** What an unlisted value becomes; `null` rejects unlisted values instead. @default 'other' */
  readonly other?: string | null;
  /** Longer strings are rejected before any lookup. @default 64 */
  readonly maxLength?: number;
}

/**
 * An enumeration with aliases and an `other` fallback: an unknown raw string never leaves as itself.
 * @example enumeration({ values: ['h264', 'hevc'], aliases: { 'h.264': 'h264', avc: 'h264' } }) // 'H.264' → 'h264'
 */
export function enumeration<const V extends string, const O extends string | null = 'other'>(
  options: EnumerationOptions<V> & { readonly other?: O },
): Generalizer<string, V | (O extends string ? O : never)> {
  type Out = V | (O extends string ? O : never);
  const other = (options.other === undefined ? 'other' : options.other) as O | null;
  const maxLength = options.maxLength ?? 64;
  const lookup = new Map<string, Out>();
  for (const v of options.values) lookup.set(v, v);
  for (const [alias, target] of Object.entries(options.aliases ?? {})) lookup.set(alias.toLowerCase(), target);
  const outputs: Out[] = [...options.values];
  if (other !== null && !outputs.includes(other as Out)) outputs.push(other as Out);
  const outputSet = new Set<unknown>(outputs);
  const problems: string[] = [];
  if (options.values.length === 0) problems.push('enumeration: at least one value is required');
  for (const v of options.values) if (v !== v.toLowerCase()) problems.push(`enumeration: value "${v}" must be lower case`);
  if (new Set(options.values).size !== options.values.length) problems.push('enumeration: values must be distinct');
  for (const [alias, target] of Object.entries(options.aliases ?? {})) {
    if (!options.values.includes(target)) problems.push(`enumeration: alias "${alias}" points to undeclared value "${target}"`);
  }
  const aliasText = Object.keys(options.aliases ?? {}).length > 0 ? ' (common other spellings are mapped to these)' : '';
  return {
    spec: { kind: 'enumeration', values: [...options.values], aliases: { ...options.aliases }, other, maxLength },
    problems,
    freeText: false,
    outputs,
    schema: { type: 'string', enum: [...outputs] },
    example: options.values[0] as Out,
    apply(raw) {
      if (typeof raw !== 'string') return new Rejection('wrong_type', `expected a string, got ${describeType(raw)}`);
      if (raw.length > maxLength) return new Rejection('too_long', `expected at most ${maxLength} characters`);
      const hit = lookup.get(raw) ?? lookup.get(raw.trim().toLowerCase());
      if (hit !== undefined) return hit;
      if (other === null) return new Rejection('invalid_format', `expected one of ${options.values.join(', ')}`);
      return other as Out;
    },
    accepts: (value) => outputSet.has(value),
    describe: () => `one of ${options.values.join(', ')}${other === null ? '' : `, or "${other}" for anything else`}${aliasText}`,
  };
}
