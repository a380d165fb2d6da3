import { mediaServerCatalog } from '@candor/catalog/media-server';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readMediaCatalog } from '../src/media-catalog.js';
import { runRiskAnalysis, type RiskAnalysis } from '../src/run-risk-analysis.js';

// The regression check of issue 5: the default catalog must keep meeting the bars on the two
// real catalogs, run exactly as `npx candor risk --media <csv>` runs them (seed 1, 10,000 installs, k = 10).
const fixture = (name: string): string => fileURLToPath(new URL(`../../../fixtures/media-catalogs/${name}`, import.meta.url));

async function analyse(name: string): Promise<RiskAnalysis> {
  return runRiskAnalysis({ media: [await readMediaCatalog(fixture(name))], catalog: mediaServerCatalog });
}

function scenario(analysis: RiskAnalysis, attack: 'single' | 'linked', generalized: boolean): RiskAnalysis['scenarios'][number] {
  const found = analysis.scenarios.filter((s) => s.attack === attack && s.generalized === generalized);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('the default catalog on the movie catalog (movies_cmu.csv)', async () => {
  const analysis = await analyse('movies_cmu.csv');

  it('names no movie from one report, and hides 90 % of movies among at least 100', () => {
    const single = scenario(analysis, 'single', true);
    expect(single.items).toBeGreaterThan(61_000);
    expect(single.identifiedFraction).toBe(0);
    expect(single.p10AnonymitySet).toBeGreaterThanOrEqual(100);
  });

  it('releases every histogram within 0.02 of the truth', () => {
    for (const [histogram, tvd] of Object.entries(analysis.utility.tvd)) expect(tvd, histogram).toBeLessThanOrEqual(0.02);
  });
});

describe('the default catalog on the music catalog (music_freemusicc.csv)', async () => {
  const analysis = await analyse('music_freemusicc.csv');

  it('names no track from one report, and hides 90 % of tracks among at least 1,000', () => {
    const single = scenario(analysis, 'single', true);
    expect(single.items).toBe(21_469);
    expect(single.identifiedFraction).toBe(0);
    expect(single.p10AnonymitySet).toBeGreaterThanOrEqual(1000);
  });

  it('names at most 1 % of albums played whole in one day, with a median anonymity set of at least 50', () => {
    const linked = scenario(analysis, 'linked', true);
    expect(linked.items).toBe(2184);
    expect(linked.identifiedFraction).toBeLessThanOrEqual(0.01);
    expect(linked.medianAnonymitySet).toBeGreaterThanOrEqual(50);
  });

  it('still sees the leak it guards against: exact lengths name almost every album', () => {
    // If this fails the attack is broken, not the catalog: the shared statistics give 99.8 %.
    expect(scenario(analysis, 'linked', false).identifiedFraction).toBeGreaterThan(0.99);
  });

  it('releases every histogram within 0.02 of the truth', () => {
    for (const [histogram, tvd] of Object.entries(analysis.utility.tvd)) expect(tvd, histogram).toBeLessThanOrEqual(0.02);
  });
});
