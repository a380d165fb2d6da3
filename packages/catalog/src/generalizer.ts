/** A value that may appear in a generalized wire payload. */
export type Scalar = string | number | boolean;

/** Why a raw value could not be generalized. Stable strings: they appear in drop counters and error details. */
export const REJECT_REASONS = {
  missing: 'a required field is missing',
  wrong_type: 'the value has the wrong type',
  not_finite: 'the number is NaN or infinite',
  out_of_range: 'the number is outside the declared plausible range',
  too_long: 'the string is longer than allowed',
  invalid_format: 'the string does not have the declared format',
  unknown_field: 'the field is not declared in the catalog',
  unknown_event: 'the event is not declared in the catalog',
  not_an_object: 'the event payload is not a plain object',
  internal: 'the value could not be read',
} as const;

/** Stable identifier of a rejection reason. */
export type RejectReason = keyof typeof REJECT_REASONS;

/** A raw value that a generalizer refused; returned, never thrown. */
export class Rejection {
  /** @param reason stable reason code  @param detail human-readable explanation (never contains the raw value) */
  constructor(
    readonly reason: RejectReason,
    readonly detail: string,
  ) {}
}

/** Guard for generalizer results. */
export function isRejection(value: unknown): value is Rejection {
  return value instanceof Rejection;
}

/** A JSON Schema fragment (draft 2020-12 subset used by the collector's ajv). */
export type JsonSchema = { readonly [key: string]: unknown };

/** The declarative parameters of a generalizer, used by docs, diff and lint. */
export interface GeneralizerSpec {
  readonly kind: string;
  readonly [param: string]: unknown;
}

/**
 * Turns a raw value a host passes into the value that may leave the machine.
 * `In` is the raw type accepted at compile time, `Out` the generalized type.
 */
export interface Generalizer<In = unknown, Out extends Scalar = Scalar> {
  /** Declarative description of the generalizer, for docs, diff and lint. */
  readonly spec: GeneralizerSpec;
  /** Raw keys this generalizer reads when it needs more than one (resolution from width and height). */
  readonly inputs?: readonly string[];
  /** Declaration problems found when the generalizer was built; lint reports them and compiling refuses them. */
  readonly problems: readonly string[];
  /** Whether the output is free text; only crash reports may declare such a field. */
  readonly freeText: boolean;
  /** Every value the generalizer can output, when that set is finite. */
  readonly outputs: readonly Out[] | undefined;
  /** JSON Schema of the generalized value on the wire. */
  readonly schema: JsonSchema;
  /** A representative generalized value for example payloads. */
  readonly example: Out;
  /** Generalizes one raw value (or, for multi-input generalizers, the raw values in `inputs` order). Never throws. */
  apply(raw: unknown, raw2?: unknown): Out | Rejection;
  /** Whether `value` could have been produced by `apply` (the collector's check). */
  accepts(value: unknown): boolean;
  /** Plain-language description of what leaves the machine, for the privacy tab. */
  describe(): string;
  /** Phantom: the raw input type, for inference only. */
  readonly __in?: In;
}

/** Any generalizer, for constraints. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyGeneralizer = Generalizer<any, Scalar>;

/** A generalizer that reads several raw keys; `R` maps each raw key to its type. */
export interface MultiInputGeneralizer<R extends Record<string, unknown>, Out extends Scalar = Scalar> extends Generalizer<R, Out> {
  readonly inputs: readonly (keyof R & string)[];
  /** Phantom: the raw record read, for inference only. */
  readonly __record?: R;
}

/** The raw input type of a generalizer. */
export type InputOf<G> = G extends Generalizer<infer In, Scalar> ? In : never;
/** The generalized output type of a generalizer. */
export type OutputOf<G> = G extends Generalizer<unknown, infer Out> ? Out : never;
