import { mediaServerCatalog } from '@candor/catalog/media-server';
import { describe, expect, it } from 'vitest';
import { toyCatalog } from '../test/support/toy-catalog.js';
import { parseMediaCatalog } from './media-catalog.js';
import { renderRiskTable } from './render-risk-table.js';
import { runRiskAnalysis, toRiskReport } from './run-risk-analysis.js';

const movies = parseMediaCatalog(['title,year,runtime_seconds', ...Array.from({ length: 300 }, (_, i) => `m${i},2000,${3000 + i * 20}`)].join('\n'), 'films');
const music = parseMediaCatalog(
  ['album_id,track_no,title,artist,duration_ms', ...Array.from({ length: 600 }, (_, i) => `a${Math.floor(i / 6)},${i % 6},t,x,${(120 + ((i * 37) % 400)) * 1000}`)].join('\n'),
  'songs',
);

describe('runRiskAnalysis', () => {
  it('runs the single-report attack on movies and both attacks on music, each with its exact-values baseline', () => {
    const analysis = runRiskAnalysis({ media: [movies, music], catalog: mediaServerCatalog, installs: 500 });
    expect(analysis.scenarios.map((s) => [s.name, s.attack, s.generalized, s.items])).toEqual([
      ['films: one report per movie', 'single', true, 300],
      ['films: one report per movie, exact values', 'single', false, 300],
      ['songs: one report per track', 'single', true, 600],
      ['songs: one report per track, exact values', 'single', false, 600],
      ['songs: whole album played in one day', 'linked', true, 100],
      ['songs: whole album played in one day, exact values, every report', 'linked', false, 100],
    ]);
    // Every movie runtime is distinct: exact values name them all.
    expect(analysis.scenarios[1]).toMatchObject({ identifiedFraction: 1, p10AnonymitySet: 1, medianAnonymitySet: 1, smallestAnonymitySet: 1 });
    expect(Object.keys(analysis.utility.tvd)).toEqual(['duration', 'bitrate', 'resolution', 'mediaType']);
  });

  it('gives the same figures for the same seed', () => {
    const a = runRiskAnalysis({ media: [music], catalog: mediaServerCatalog, installs: 300, seed: 11 });
    expect(runRiskAnalysis({ media: [music], catalog: mediaServerCatalog, installs: 300, seed: 11 })).toEqual(a);
    expect(runRiskAnalysis({ media: [music], catalog: mediaServerCatalog, installs: 300, seed: 12 })).not.toEqual(a);
  });

  it('refuses bad options and a catalog without a playback event, with typed errors', () => {
    const base = { media: [movies], catalog: mediaServerCatalog };
    expect(() => runRiskAnalysis({ ...base, seed: -1 })).toThrow(expect.objectContaining({ code: 'RISK_BAD_OPTION', message: 'seed must be a non-negative integer, got -1' }));
    expect(() => runRiskAnalysis({ ...base, installs: 0 })).toThrow(expect.objectContaining({ code: 'RISK_BAD_OPTION' }));
    expect(() => runRiskAnalysis({ ...base, k: 1.5 })).toThrow(expect.objectContaining({ code: 'RISK_BAD_OPTION' }));
    expect(() => runRiskAnalysis({ ...base, media: [] })).toThrow(expect.objectContaining({ code: 'RISK_BAD_OPTION' }));
    expect(() => runRiskAnalysis({ ...base, media: [movies, movies] })).toThrow(expect.objectContaining({ code: 'RISK_BAD_OPTION', message: 'media catalogs must have distinct file names, got films, films' }));
    const noPlayback = { ...toyCatalog({ durationEdges: [60] }), events: {} };
    expect(() => runRiskAnalysis({ ...base, catalog: noPlayback })).toThrow(expect.objectContaining({ code: 'RISK_CATALOG_UNSUITABLE' }));
  });
});

describe('toRiskReport and renderRiskTable', () => {
  const analysis = runRiskAnalysis({ media: [music], catalog: mediaServerCatalog, installs: 200 });

  it('keeps exactly the fields --json prints', () => {
    const report = toRiskReport(analysis);
    expect(Object.keys(report)).toEqual(['scenarios', 'utility']);
    for (const s of report.scenarios) expect(Object.keys(s)).toEqual(['name', 'attack', 'generalized', 'items', 'identifiedFraction', 'p10AnonymitySet', 'medianAnonymitySet']);
    expect(Object.keys(report.utility)).toEqual(['tvd']);
  });

  it('renders one row per scenario and one per histogram', () => {
    const text = renderRiskTable(analysis, { catalogId: 'media-server', catalogVersion: '1.0.0', seed: 1, installs: 200, k: 10 });
    expect(text).toContain('Re-identification risk of telemetry catalog media-server 1.0.0 (seed 1)');
    for (const s of analysis.scenarios) expect(text).toContain(s.name);
    expect(text).toMatch(/^songs: whole album played in one day, exact values, every report +linked +exact +100 +100 \(100\.00 %\) +1 +1 +1$/m);
    for (const h of ['duration', 'bitrate', 'resolution', 'mediaType']) expect(text).toMatch(new RegExp(`^${h} +\\d\\.\\d{4}$`, 'm'));
  });
});
