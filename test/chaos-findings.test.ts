import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scrubText } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { createTelemetry } from '@candor/sdk';
import { createCaptureServer } from '@candor/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';

// Defects the chaos run found in other parts, each reduced to the smallest reproduction; the
// fixed ones stay as regression tests. `npm run chaos` shows their effect end to end (the data-
// minimization row of docs/reliability.md lists the titles that reached a file).

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'candor-finding-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('crash scrubbing (packages/catalog/src/scrub-text.ts)', () => {
  // docs/crash-reports.md: "titles marked by a year or an episode number → <title>". Titles of
  // the shared movie catalog whose words are not all capitalized keep their names.
  it.each([
    ['Dům pro dva', 'No metadata match for Dům pro dva (1987)'],
    ['The K Foundation burn a million quid', 'No metadata match for The K Foundation burn a million quid (1995)'],
    ['Becoming dick', 'No metadata match for Becoming dick (2000)'],
    // A comma inside the title used to end the walk back from the year before any title word was taken.
    ['mon chéri', "No metadata match for C'est la vie, mon chéri (1994)"],
    ['Le Due verità', 'No metadata match for Le Due verità, (1951)'],
    // A colon inside the title ended the walk: "My Super Psycho Sweet 16" (itself a title) stayed.
    ['My Super Psycho Sweet 16', 'No metadata match for My Super Psycho Sweet 16: Part 2 (2010)'],
  ])('removes "%s", a title marked by its year', (title, message) => {
    expect(scrubText(message)).not.toContain(title);
  });

  // docs/crash-reports.md: quoted free text → <text>. In single quotes, an apostrophe inside the
  // title that was not between two ASCII letters ended the quoted string early or left it
  // unclosed, and the title stayed; a quote now closes only where a terminator follows it.
  it.each([
    ['Daughter', "Playback of 'B.F.'s Daughter' on client 192.168.1.20 stalled"],
    ['Anothers', "Playback of 'D' Anothers' on client 192.168.1.20 stalled"],
    ['écouteur', "Playback of 'L'écouteur' on client 192.168.1.20 stalled"],
    // One lowercase word in quotes was kept as an identifier of code.
    ['untitled', "Playback of 'untitled' on client 192.168.1.20 stalled"],
  ])('removes "%s" from a single-quoted title with an apostrophe', (title, message) => {
    expect(scrubText(message)).not.toContain(title);
  });
});

describe('the SDK after a failed write (packages/sdk/src/outbox/outbox.ts)', () => {
  // insertEvents adds to the outbox's running count of queued events and bytes before its
  // INSERT runs; when the disk is full the transaction rolls back and the count stays up.
  // stats().queued, flush().queued and the maxOutboxBytes bound then count events that do
  // not exist. The host runs under a file-size limit so that the outbox's writes fail.
  it('counts as waiting only the events its outbox holds', () => {
    const dataDir = tempDir();
    const host = join(import.meta.dirname, '..', 'chaos', 'fixtures', 'full-disk-host.mjs');
    const r = spawnSync('sh', ['-c', 'ulimit -f 256 && exec "$0" "$@"', process.execPath, host, dataDir], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { reported: number; inFile: number; storageErrors: number };
    expect(out.storageErrors).toBeGreaterThan(0);
    expect(out.reported).toBe(out.inFile);
  }, 90_000);
});

describe('the SDK counters when a category is turned off (packages/sdk/src/client/sender.ts)', () => {
  // A batch in flight when its category is turned off is rewritten without that category's
  // events (counted as purged); when the first send is then acknowledged, `delivered` adds the
  // batch's original event count, so the same events are counted delivered and purged.
  it('counts each event once: accepted = delivered + queued + held + dropped after acceptance', async () => {
    const server = await createCaptureServer({ keepRequests: false });
    const DAY = 86_400_000;
    let now = Math.floor(Date.now() / DAY) * DAY - 3 * DAY + 3_600_000;
    const client = createTelemetry({ catalog: mediaServerCatalog, endpoint: server.url, dataDir: tempDir(), env: {}, now: () => now, onDiagnostic: () => {} });
    const play = { mediaType: 'movie', durationSeconds: 6000, playedSeconds: 5900, bitrateKbps: 8000, container: 'mkv', videoCodec: 'hevc', audioCodec: 'eac3', width: 3840, height: 1600, deviceType: 'tv', decision: 'directplay', hdr: true } as const;
    client.record('playback.session', play);
    client.record('playback.session', play);
    client.record('client.session', { deviceType: 'tv', clientPlatform: 'roku', clientVersion: '1.2.3' });
    // The day ends: its playback sample and count join the outbox at the next commit.
    now += DAY;
    server.setDelayMs(800);
    const flushing = client.flush();
    await new Promise((resolve) => setTimeout(resolve, 300));
    client.consent.set('playback', false);
    await flushing;
    server.setDelayMs(0);
    await client.flush();
    const s = client.stats();
    const after = (['sampled_out', 'queue_full', 'expired', 'send_failed', 'rejected', 'purged', 'deleted', 'storage_error'] as const).reduce((n, k) => n + s.dropped[k], 0);
    await client.shutdown();
    await server.close();
    expect(s.dropped.purged).toBeGreaterThan(0);
    expect(s.accepted - s.delivered - s.queued - s.held - after).toBe(0);
  });
});
