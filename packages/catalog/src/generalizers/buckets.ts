import { formatQuantity, type Unit } from '../format-quantity.js';
import { Rejection, type Generalizer } from '../generalizer.js';
import { readNumber, type NumberRange } from './read-number.js';

/** Options of {@link buckets}. */
export interface BucketsOptions extends NumberRange {
  /** Strictly increasing bucket edges; `n` edges make `n + 1` buckets. */
  readonly edges: readonly number[];
  /** One label per bucket (`edges.length + 1`); generated from the unit when omitted. */
  readonly labels?: readonly string[];
  /** Unit of the raw number, for generated labels. @default 'none' */
  readonly unit?: Unit;
}

/**
 * Numeric buckets with labelled edges: the raw number leaves as the label of its bucket.
 * @example buckets({ edges: [300, 900], unit: 'seconds' }) // 120 → "under 5 min"
 */
export function buckets(options: BucketsOptions): Generalizer<number, string> {
  const { edges, unit = 'none' } = options;
  const min = options.min ?? 0;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const labels = options.labels ?? labelsFor(edges, unit);
  const problems = edgeProblems(edges, 'buckets');
  if (labels.length !== edges.length + 1) problems.push(`buckets: ${edges.length} edges need ${edges.length + 1} labels, got ${labels.length}`);
  if (new Set(labels).size !== labels.length) problems.push('buckets: labels must be distinct');
  const outputSet = new Set<unknown>(labels);
  const n = edges.length;
  return {
    spec: { kind: 'buckets', edges: [...edges], labels: [...labels], unit, min, max },
    problems,
    freeText: false,
    outputs: labels,
    schema: { type: 'string', enum: [...labels] },
    example: labels[Math.floor(labels.length / 2)]!,
    apply(raw) {
      const v = readNumber(raw, min, max);
      if (v instanceof Rejection) return v;
      let i = 0;
      while (i < n && v >= edges[i]!) i++;
      return labels[i]!;
    },
    accepts: (value) => outputSet.has(value),
    describe: () => `reported as one of ${labels.join(', ')}`,
  };
}

/** Generates "under X", "X–Y", "Y or more" labels for edges in a unit. */
export function labelsFor(edges: readonly number[], unit: Unit): string[] {
  const out: string[] = [];
  if (edges.length === 0) return ['any'];
  out.push(`under ${formatQuantity(edges[0]!, unit)}`);
  for (let i = 1; i < edges.length; i++) out.push(`${formatQuantity(edges[i - 1]!, unit)}–${formatQuantity(edges[i]!, unit)}`);
  out.push(`${formatQuantity(edges[edges.length - 1]!, unit)} or more`);
  return out;
}

/** Lists what is wrong with bucket edges: none, non-finite, or not strictly increasing. */
export function edgeProblems(edges: readonly number[], kind: string): string[] {
  const problems: string[] = [];
  if (edges.length === 0) problems.push(`${kind}: at least one edge is required`);
  for (let i = 0; i < edges.length; i++) {
    if (!Number.isFinite(edges[i])) problems.push(`${kind}: edge ${i} is not a finite number`);
    else if (i > 0 && edges[i]! <= edges[i - 1]!) problems.push(`${kind}: bucket edges must increase (edge ${i} is ${edges[i]}, after ${edges[i - 1]})`);
  }
  return problems;
}
