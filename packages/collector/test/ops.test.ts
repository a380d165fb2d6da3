import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { PATHS } from '@candor/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createCatalogRegistry } from '../src/catalogs/catalog-registry.js';
import { resolveCollectorOptions, type CollectorOptions } from '../src/config/resolve-collector-options.js';
import { startCollector, type RunningCollector } from '../src/start-collector.js';
import { createDuckDbStore } from '../src/storage/duckdb/duckdb-store.js';
import { clientEvent, dayAt, wireBatch } from './support/harness.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
let dir: string;
let collector: RunningCollector | undefined;
let holder: ChildProcess | undefined;

afterEach(async () => {
  await collector?.close();
  collector = undefined;
  holder?.kill('SIGKILL');
  holder = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const OPS_TOKEN = 'ops-test-admin-token-0';

async function start(options: CollectorOptions = {}): Promise<RunningCollector> {
  dir ??= mkdtempSync(join(tmpdir(), 'candor-ops-'));
  collector = await startCollector(resolveCollectorOptions({ port: 0, host: '127.0.0.1', dataDir: dir, logLevel: 'silent', ingestPerMinute: 0, adminToken: OPS_TOKEN, ...options }));
  return collector;
}

function batchBody(): Buffer {
  const today = dayAt(Date.now());
  return gzipSync(JSON.stringify(wireBatch(today, [clientEvent(today)])));
}

function post(c: RunningCollector, body: Buffer): Promise<Response> {
  return fetch(`${c.url}${PATHS.batches}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: new Uint8Array(body) });
}

async function storedCount(dataDir: string): Promise<number> {
  const store = createDuckDbStore({ path: join(dataDir, 'candor.duckdb') });
  await store.open(createCatalogRegistry(mediaServerCatalog).schema);
  const today = dayAt(Date.now());
  const cells = await store.queryAggregates({ event: 'client.session', groupBy: [], from: today, to: today, granularity: 'day' });
  await store.close();
  return cells.reduce((s, c) => s + c.events, 0);
}

describe('operations', () => {
  it('serves health, readiness and Prometheus metrics', async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-ops-'));
    const c = await start();
    expect(await (await fetch(`${c.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${c.url}/readyz`)).json()).toEqual({ status: 'ready' });
    expect((await post(c, batchBody())).status).toBe(202);
    const refused = await fetch(`${c.url}/metrics`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    // The scheme is case-insensitive (RFC 9110 §11.1).
    const metrics = await fetch(`${c.url}/metrics`, { headers: { authorization: `bearer ${OPS_TOKEN}` } });
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(/candor_batches_total\{outcome="accepted"\} 1/);
    expect(text).toMatch(/candor_events_accepted_total\{event="client.session"\} 1/);
    expect(text).toContain('candor_process_cpu_seconds_total');
  });

  it('serves /metrics without the token when publicMetrics is on', async () => {
    const c = await start({ publicMetrics: true });
    const metrics = await fetch(`${c.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('candor_batches_total');
    expect((await fetch(`${c.url}/v1/stats?event=client.session`)).status).toBe(401);
  });

  it('drains a request in flight at shutdown, and stores it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-ops-'));
    const c = await start();
    const body = batchBody();
    const socket = connect(c.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    const closedSocket = new Promise((resolve) => socket.once('close', resolve));
    socket.write(`POST ${PATHS.batches} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
    socket.write(body.subarray(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    let closed = false;
    const closing = c.close().then(() => (closed = true));
    collector = undefined;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(closed).toBe(false);
    // New requests are refused while the one in flight drains.
    const during = await fetch(`${c.url}/healthz`);
    expect(during.status).toBe(503);
    expect(((await during.json()) as { error: { code: string } }).error.code).toBe('SHUTTING_DOWN');
    socket.write(body.subarray(10));
    await closedSocket;
    await closing;
    expect(answer).toMatch(/^HTTP\/1.1 202/);
    expect(await storedCount(dir)).toBe(1);
  });

  it('answers 503 while another process holds the store, and recovers when it is released', async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-ops-'));
    const path = join(dir, 'candor.duckdb');
    holder = spawn(process.execPath, ['--input-type=module', '-e', `const { DuckDBInstance } = await import('@duckdb/node-api'); await DuckDBInstance.create(${JSON.stringify(path)}); console.log('locked'); setInterval(() => {}, 1000);`], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder!.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve()));
    const c = await start();
    const refused = await post(c, batchBody());
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('STORE_UNAVAILABLE');
    expect((await fetch(`${c.url}/readyz`)).status).toBe(503);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder!.once('exit', resolve));
    holder = undefined;
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await fetch(`${c.url}/readyz`)).status;
    }
    expect(status).toBe(200);
    expect((await post(c, batchBody())).status).toBe(202);
  });

  it('answers 503 to writes on a read-only store, and still releases statistics', async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-ops-'));
    const first = await start({ adminToken: 'ops-test-admin-token-1' });
    expect((await post(first, batchBody())).status).toBe(202);
    await first.close();
    collector = undefined;
    const store = createDuckDbStore({ path: join(dir, 'candor.duckdb'), readOnly: true });
    collector = await startCollector(resolveCollectorOptions({ port: 0, host: '127.0.0.1', dataDir: dir, logLevel: 'silent', adminToken: 'ops-test-admin-token-1' }), { store });
    const refused = await post(collector, batchBody());
    expect(refused.status).toBe(503);
    const stats = await fetch(`${collector.url}${PATHS.stats}?event=client.session`, { headers: { authorization: 'Bearer ops-test-admin-token-1' } });
    expect(stats.status).toBe(200);
  });

  it('answers 408 when a request body does not arrive in time', async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-ops-'));
    const c = await start({ requestTimeoutMs: 400 });
    const socket = connect(c.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(`POST ${PATHS.batches} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"v":1`);
    await closed;
    expect(answer).toMatch(/^HTTP\/1.1 408/);
    expect(answer).toContain('REQUEST_TIMEOUT');
  });
});
