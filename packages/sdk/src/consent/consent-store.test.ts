import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { afterEach, describe, expect, it } from 'vitest';
import { CONSENT_FILE, createConsentStore } from './consent-store.js';

const dirs: string[] = [];
const dir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'candor-consent-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const open = (dataDir: string, env: { disabled?: boolean; doNotTrack?: boolean } = {}, reports: string[] = []) =>
  createConsentStore({ dataDir, catalog: mediaServerCatalog, disabled: env.disabled ?? false, doNotTrack: env.doNotTrack ?? false, report: (code) => void reports.push(code) });

describe('the consent store', () => {
  it('starts from the catalog’s defaults', () => {
    const states = open(dir()).states();
    for (const [id, c] of Object.entries(mediaServerCatalog.categories)) {
      expect(states[id]).toEqual({ category: id, granted: c.required || c.defaultOn, required: c.required, decidedAt: null, catalogVersion: null, source: c.required ? 'required' : 'default' });
    }
  });

  it('persists a decision with its time and catalog version, and reports whether it changed anything', () => {
    const d = dir();
    const store = open(d);
    const at = Date.UTC(2026, 10, 29, 12);
    expect(store.decide('playback', false, at, '1.0.0')).toEqual({ changed: true, state: { category: 'playback', granted: false, required: false, decidedAt: '2026-11-29T12:00:00.000Z', catalogVersion: '1.0.0', source: 'owner' } });
    expect(store.decide('playback', false, at + 1, '1.0.0')?.changed).toBe(false);
    expect(open(d).state('playback')).toMatchObject({ granted: false, source: 'owner', catalogVersion: '1.0.0' });
    expect(store.decide('nope', true, at, '1.0.0')).toBeNull();
  });

  it('keeps required categories on and lets the environment turn things off', () => {
    const d = dir();
    open(d).decide('crash', true, 1, '1.0.0');
    expect(open(d).decide('usage', false, 1, '1.0.0')).toMatchObject({ changed: false, state: { granted: true, source: 'required' } });
    const dnt = open(d, { doNotTrack: true });
    expect(dnt.state('crash')).toMatchObject({ granted: false, source: 'env' });
    expect(dnt.state('usage')).toMatchObject({ granted: true, source: 'required' });
    expect(open(d, { disabled: true }).state('usage')).toMatchObject({ granted: false, source: 'env' });
  });

  it('fails closed on a damaged file, and stays closed after the owner decides one category', () => {
    const d = dir();
    writeFileSync(join(d, CONSENT_FILE), '{"v":1,"categories":{"playback":{"granted":"maybe"}}}');
    const reports: string[] = [];
    const store = open(d, {}, reports);
    expect(reports).toEqual(['CONSENT_UNREADABLE']);
    expect(store.state('playback')).toMatchObject({ granted: false, source: 'recovered' });
    expect(store.state('crash')).toMatchObject({ granted: false, source: 'recovered' });
    store.decide('playback', true, 5, '1.0.0');
    const again = open(d);
    expect(again.state('playback')).toMatchObject({ granted: true, source: 'owner' });
    expect(again.state('crash')).toMatchObject({ granted: false, source: 'recovered' });
    expect(JSON.parse(readFileSync(join(d, CONSENT_FILE), 'utf8'))).toMatchObject({ v: 1, recovered: true });
  });
});
