import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { afterAll, describe, expect, it } from 'vitest';
import { createTelemetry } from '../../src/index.js';
import { createCaptureServer, createSeededRandom, seededBytes } from '../../src/testing/index.js';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(() => removeTempDirs());

describe('the exact bytes sent', () => {
  it('after generalization match the snapshot, equal the sent log, and carry no raw value', async () => {
    const server = await createCaptureServer();
    const dataDir = tempDir();
    mkdirSync(dataDir, { recursive: true });
    // A fixed install secret, clock and randomness make every byte reproducible.
    writeFileSync(join(dataDir, 'install-secret.json'), JSON.stringify({ v: 1, secret: '5e'.repeat(32), createdAt: '2026-01-01T00:00:00.000Z' }), { mode: 0o600 });
    let t = Date.UTC(2026, 10, 28, 19, 42, 13);
    const random = createSeededRandom(2026);
    const client = createTelemetry({ catalog: mediaServerCatalog, endpoint: server.url, dataDir, env: {}, now: () => t, random, randomBytes: seededBytes(random), onDiagnostic: () => {} });

    client.record('server.daily', { serverVersion: '1.32.4.7003', platform: 'synology', arch: 'aarch64', movies: 1287, episodes: 15_342, tracks: 48_211, photos: 0, ...client.activity() });
    client.record('client.session', { deviceType: 'Smart TV', clientPlatform: 'LG', clientVersion: '3.2.17' });
    const album = [
      ['Track 1', 323],
      ['Track 2', 247],
      ['Track 3', 401],
      ['Track 4', 198],
      ['Track 5', 289],
      ['Track 6', 356],
    ] as const;
    for (const [, seconds] of album) {
      client.record('playback.session', { mediaType: 'song', durationSeconds: seconds, playedSeconds: seconds - 1, bitrateKbps: 1011, container: 'flac', videoCodec: '', audioCodec: 'flac', deviceType: 'speaker', decision: 'direct play', hdr: false });
      t += seconds * 1000;
    }
    client.record('playback.session', { mediaType: 'film', durationSeconds: 8123, playedSeconds: 7990, bitrateKbps: 18_432, container: 'matroska', videoCodec: 'x265', audioCodec: 'E-AC-3', width: 3840, height: 1606, deviceType: 'Smart TV', decision: 'transcode', hdr: true });
    await client.flush();
    t = Date.UTC(2026, 10, 29, 0, 0, 30);
    await client.flush();
    const logged = client.sentLog.list().map((e) => e.body).reverse();
    await client.shutdown();
    await server.close();

    const bodies = server.requests.map((r) => {
      expect(r.headers['content-encoding']).toBe('gzip');
      expect(r.headers['content-type']).toBe('application/json');
      // The bytes on the wire are gzip; what they encode is what the sent log holds.
      expect(r.raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      return gunzipSync(r.raw).toString('utf8');
    });
    expect(bodies).toHaveLength(3);
    // Two batches may be in flight at once, so arrival order need not be log order.
    expect([...logged].sort()).toEqual([...bodies].sort());
    for (const raw of ['1.32.4', '7003', 'synology', '1287', '15342', '48211', '3.2.17', 'Smart TV', '323', '247', '8123', '7990', '18432', '1606', 'matroska', 'x265', 'song', 'film', 'Track']) {
      for (const b of bodies) expect(b).not.toContain(raw);
    }
    await expect(`${[...bodies].sort().join('\n')}\n`).toMatchFileSnapshot('./__snapshots__/sent-bytes.jsonl');
  });
});
