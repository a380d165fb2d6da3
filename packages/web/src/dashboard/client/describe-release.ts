import type { ChartModel } from './chart-model.js';
import { formatNumber } from './format.js';

/** How many cells of a model are suppressed, and where (for the words under a chart). */
function suppressedPlaces(model: ChartModel): string[] {
  return model.rows.filter((r) => r.suppressed).map((r) => (r.value === undefined ? r.period : `${String(r.cells.category ?? r.cells.value ?? r.value)}${r.cells.state === undefined ? '' : ` ${String(r.cells.state)}`} on ${r.period}`));
}

/**
 * The sentences under a chart that say, in words, what the release rules did to it: which
 * cells were suppressed and why, which were left out entirely, and how much noise there is.
 */
export function describeRelease(model: ChartModel): string[] {
  const out: string[] = [];
  const k = model.k;
  const places = suppressedPlaces(model);
  if (model.suppressedCells > 0) {
    const listed = places.slice(0, 4).join('; ');
    const more = places.length > 4 ? `; and ${places.length - 4} more (see the numbers)` : '';
    out.push(
      `${model.suppressedCells === 1 ? '1 cell had' : `${model.suppressedCells} cells had`} fewer than ${k} installs behind ${model.suppressedCells === 1 ? 'it and is' : 'them and are'} suppressed: the count is withheld and marked ▨ above its period (${listed}${more}).`,
    );
  }
  if (model.suppressedCells > 0 && model.rows.every((r) => r.suppressed)) {
    out.push('No count could be released here: a coarser granularity (week) or a longer range pools more installs into each cell.');
  }
  if (model.withheldCells > 0) {
    const why = model.noise !== null ? 'with noise on, even the existence of a small cell would tell something' : 'their values are free text, which is never shown for a small cell';
    out.push(`${model.withheldCells === 1 ? '1 further cell' : `${model.withheldCells} further cells`} fell below ${k} installs and ${model.withheldCells === 1 ? 'is' : 'are'} left out entirely, because ${why}.`);
  }
  if (model.suppressedCells === 0 && model.withheldCells === 0) out.push(`Nothing is suppressed: every count shown rests on at least ${k} installs.`);
  if (model.noise !== null) {
    const n = model.noise;
    out.push(
      `Every count carries ${n.mechanism} noise (ε ${n.epsilon} per query, sensitivity ${n.sensitivity}), marked ≈: differences of about ${formatNumber(Math.ceil(n.sensitivity / n.epsilon), false)} or less mean nothing. ${model.event} has spent ε ${Math.round(n.budget.spent * 100) / 100} of its ${n.budget.limit} for ${n.budget.day}.`,
    );
  } else {
    out.push('Counts are exact (no noise).');
  }
  return out;
}
