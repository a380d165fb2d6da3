import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { PATHS } from '@candor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveCollectorOptions } from '../src/config/resolve-collector-options.js';
import { createLogger } from '../src/ops/create-logger.js';
import { createClientKeyer } from '../src/privacy/client-key.js';
import { startCollector, type RunningCollector } from '../src/start-collector.js';
import { clientEvent, dayAt, playbackEvent, wireBatch } from './support/harness.js';

const ADDRESS = '203.0.113.77';
const PROXY = '198.51.100.23';
const AGENT = 'ZZQQ-Agent/9.1 (secret-agent-string)';
let collector: RunningCollector | undefined;
let dir: string | undefined;

afterEach(async () => {
  await collector?.close();
  collector = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (d) => (out += d.toString()));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('privacy of the service itself', () => {
  it('never stores or logs the client address or user agent', async () => {
    const root = mkdtempSync(join(tmpdir(), 'candor-privacy-'));
    dir = root;
    const logFile = join(root, 'collector.log');
    const logger = createLogger({ level: 'trace', destination: pino.destination({ dest: logFile, sync: true }) });
    const options = resolveCollectorOptions({ port: 0, host: '127.0.0.1', dataDir: join(root, 'data'), trustProxy: true, adminToken: 'privacy-test-token-123456', logLevel: 'trace' });
    collector = await startCollector(options, { logger });
    const today = dayAt(Date.now());
    const headers = { 'x-forwarded-for': `${ADDRESS}, ${PROXY}`, 'user-agent': AGENT, 'x-real-ip': ADDRESS, forwarded: `for=${ADDRESS}` };
    const post = (body: Buffer, extra: Record<string, string> = {}) => fetch(`${collector!.url}${PATHS.batches}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'content-encoding': 'gzip', ...extra }, body: new Uint8Array(body) });
    expect((await post(gzipSync(JSON.stringify(wireBatch(today, [playbackEvent(today), clientEvent(today)]))))).status).toBe(202);
    expect((await post(gzipSync(JSON.stringify(wireBatch(today, [{ name: 'x', time: today, fields: {} }]))))).status).toBe(422);
    expect((await post(gzipSync('{"v":1'))).status).toBe(400);
    expect((await post(Buffer.from('x'), { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await fetch(`${collector.url}/nowhere`, { headers })).status).toBe(404);
    expect((await fetch(`${collector.url}${PATHS.stats}?event=client.session`, { headers })).status).toBe(401);
    expect((await fetch(`${collector.url}${PATHS.stats}?event=client.session`, { headers: { ...headers, authorization: 'Bearer privacy-test-token-123456' } })).status).toBe(200);
    expect((await fetch(`${collector.url}${PATHS.subjectsExport}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ catalogId: 'media-server', pseudonyms: ['a'.repeat(64)] }) })).status).toBe(200);
    const huge = await rawRequest(collector.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: ${ADDRESS}\r\nUser-Agent: ${AGENT}\r\nX-Pad: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1.1 431/);
    expect(huge).toContain('HEADERS_TOO_LARGE');
    const metrics = await (await fetch(`${collector.url}/metrics`, { headers })).text();
    await collector.close();
    collector = undefined;

    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('"route":"/v1/batches"');
    const files = readdirSync(join(root, 'data')).map((f) => join(root, 'data', f));
    expect(files.some((f) => f.endsWith('.duckdb'))).toBe(true);
    const haystacks = [log, metrics, ...files.map((f) => readFileSync(f).toString('latin1'))];
    for (const h of haystacks) {
      for (const needle of [ADDRESS, PROXY, 'ZZQQ', 'secret-agent-string']) expect(h.includes(needle), needle).toBe(false);
    }
    // The store holds the pseudonym of the accepted batch: proof that the search looked at real data.
    expect(haystacks.some((h) => h.includes('playback'))).toBe(true);
  });

  it('keys rate limits by an HMAC of the address under a key rotated every UTC day', () => {
    let now = Date.UTC(2026, 10, 20, 10);
    const keyer = createClientKeyer(() => now);
    const a = keyer.keyOf(ADDRESS);
    expect(a).not.toContain('203');
    expect(keyer.keyOf(ADDRESS)).toBe(a);
    expect(keyer.keyOf(PROXY)).not.toBe(a);
    now += 15 * 3_600_000;
    expect(keyer.keyOf(ADDRESS)).not.toBe(a);
    // A new process has a new key: nothing to recompute an address from.
    expect(createClientKeyer(() => now).keyOf(ADDRESS)).not.toBe(keyer.keyOf(ADDRESS));
  });
});
