import type { RiskAnalysis } from './run-risk-analysis.js';

/** What the table's heading says about the run. */
export interface RiskRunContext {
  readonly catalogId: string;
  readonly catalogVersion: string;
  readonly seed: number;
  readonly installs: number;
  readonly k: number;
}

/** Renders a risk report as plain-text tables for a terminal. */
export function renderRiskTable(report: RiskAnalysis, context: RiskRunContext): string {
  const lines: string[] = [];
  lines.push(`Re-identification risk of telemetry catalog ${context.catalogId} ${context.catalogVersion} (seed ${context.seed})`);
  lines.push('');
  lines.push(
    ...table(
      ['scenario', 'attack', 'values', 'items', 'identified', 'smallest set', 'p10 set', 'median set'],
      report.scenarios.map((s) => [
        s.name,
        s.attack,
        s.generalized ? 'generalized' : 'exact',
        count(s.items),
        `${count(Math.round(s.identifiedFraction * s.items))} (${percent(s.identifiedFraction)})`,
        count(s.smallestAnonymitySet),
        count(s.p10AnonymitySet),
        count(s.medianAnonymitySet),
      ]),
      [false, false, false, true, true, true, true, true],
    ),
  );
  lines.push('');
  lines.push(`Released histograms for ${count(context.installs)} simulated installs, k = ${context.k}: total variation distance from the truth`);
  lines.push('');
  lines.push(...table(['histogram', 'TVD'], Object.entries(report.utility.tvd).map(([h, d]) => [h, d.toFixed(4)]), [false, true]));
  lines.push('');
  lines.push('An anonymity set is the number of catalog items (or albums) that could have produced what the adversary saw.');
  return lines.join('\n');
}

function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(format)];
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function percent(fraction: number): string {
  // A single item in tens of thousands must not read as none.
  if (fraction > 0 && fraction < 0.00005) return '< 0.01 %';
  return `${(fraction * 100).toFixed(2)} %`;
}
