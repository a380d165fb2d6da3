import { mediaServerCatalog } from '@candor/catalog/media-server';
import { describe, expect, it } from 'vitest';
import { createTestTelemetry } from './create-test-telemetry.js';

// How a host tests its own instrumentation with @candor/sdk/testing.
describe('createTestTelemetry', () => {
  it('shows what the host’s instrumentation would send, generalized', async () => {
    const t = createTestTelemetry({ catalog: mediaServerCatalog });
    t.client.record('client.session', { deviceType: 'Smart TV', clientPlatform: 'Apple TV', clientVersion: '8.4.1' });
    await t.flush();
    expect(t.sent().filter((e) => e.name === 'client.session')).toEqual([{ name: 'client.session', time: '2026-06-01', fields: { deviceType: 'tv', clientPlatform: 'tvos', clientVersion: '8.4' } }]);
    await t.close();
  });

  it('ends the period on demand, so sampled playback reports can be checked', async () => {
    const t = createTestTelemetry({ catalog: mediaServerCatalog, seed: 3 });
    for (let i = 0; i < 5; i++) t.client.record('playback.session', { mediaType: 'movie', durationSeconds: 6000, playedSeconds: 5000, container: 'mkv', videoCodec: 'h264', audioCodec: 'aac', width: 1920, height: 1080, deviceType: 'tv', decision: 'directplay', hdr: false });
    await t.flush();
    expect(t.sent().filter((e) => e.name.startsWith('playback.'))).toEqual([]);
    await t.endPeriod();
    expect(t.sent().filter((e) => e.name === 'playback.session')).toHaveLength(3);
    expect(t.sent().find((e) => e.name === 'playback.daily')?.fields).toEqual({ plays: '4–6' });
    await t.close();
  });

  it('starts with the consent a test asks for, and the memory collector honours deletions', async () => {
    const t = createTestTelemetry({ catalog: mediaServerCatalog, consent: { playback: false } });
    expect(t.client.consent.get().playback.granted).toBe(false);
    t.client.record('client.session', { deviceType: 'tv', clientPlatform: 'roku', clientVersion: '1.0' });
    await t.flush();
    expect(t.sent().length).toBeGreaterThan(0);
    expect((await t.client.deleteMyData()).status).toBe('ok');
    expect(t.sent()).toEqual([]);
    await t.close();
  });
});
