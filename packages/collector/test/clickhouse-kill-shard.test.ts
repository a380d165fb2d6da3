import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { dayOf, type WireBatch } from '@candor/protocol';
import { createTelemetry } from '@candor/sdk';
import { afterEach, expect, it } from 'vitest';
import { resolveCollectorOptions } from '../src/config/resolve-collector-options.js';
import { startCollector, type RunningCollector } from '../src/start-collector.js';
import { createClickHouseStore, type ClickHouseStore } from '../src/storage/clickhouse/clickhouse-store.js';
import { dropDatabase, freshDatabase, useClickHouseCluster } from './clickhouse-harness.js';
import { CONTRACT_SCHEMA } from './storage-contract.js';
import { clientEvent, hex, wireBatch } from './support/harness.js';

// Two collectors (real HTTP servers) over two real clickhouse-server shards, fed by real SDK
// clients; one shard gets SIGKILL in the middle of the load and comes back later.
const cluster = useClickHouseCluster(2);
const DAY_MS = 86_400_000;

const dirs: string[] = [];
let collectors: RunningCollector[] = [];
let database = '';
let child: ChildProcess | undefined;

afterEach(async () => {
  child?.kill('SIGKILL');
  child = undefined;
  await Promise.all(collectors.map((c) => c.close()));
  collectors = [];
  if (database !== '') await dropDatabase(cluster().urls, database);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function startTwoCollectors(): Promise<RunningCollector[]> {
  database = freshDatabase('candor_kill');
  return Promise.all(
    [0, 1].map(async () => {
      const store = createClickHouseStore({ urls: cluster().urls, database, cluster: cluster().cluster, flushIntervalMs: 20, requestTimeoutMs: 5000, reopenIntervalMs: 0 });
      const options = resolveCollectorOptions({
        port: 0,
        host: '127.0.0.1',
        dataDir: tempDir('candor-kill-collector-'),
        logLevel: 'silent',
        ingestPerMinute: 0,
        subjectsPerHour: 0,
        statsPerMinute: 0,
        retentionIntervalMs: 3_600_000,
        rollupIntervalMs: 3_600_000,
      });
      return startCollector(options, { store });
    }),
  );
}

it('loses no acknowledged batch when a shard is killed -9 under load: 503 while it is down, the SDK retries, nothing doubles', async () => {
  collectors = await startTwoCollectors();
  const store = collectors[0]!.store as ClickHouseStore;
  const retries: string[] = [];
  const installs = Array.from({ length: 12 }, (_, i) =>
    createTelemetry({
      catalog: mediaServerCatalog,
      endpoint: collectors[i % 2]!.url,
      dataDir: tempDir('candor-kill-sdk-'),
      flushIntervalMs: 40,
      commitIntervalMs: 10,
      initialBackoffMs: 40,
      maxBackoffMs: 300,
      retryBaseMs: 100,
      maxRetryDelayMs: 400,
      timeoutMs: 8000,
      env: {},
      onDiagnostic: (d) => {
        if (d.type === 'retry_scheduled') retries.push(d.reason);
      },
    }),
  );
  const devices = ['tv', 'mobile', 'desktop'];
  let recording = true;
  let recorded = 0;
  const load = (async () => {
    for (let round = 0; recording && round < 40; round++) {
      installs.forEach((t, i) => {
        // client.session allows 50 per install and day: 40 rounds stay under the bound.
        t.record('client.session', { deviceType: devices[(i + round) % 3]!, clientPlatform: 'web', clientVersion: '10.9.1' });
        recorded++;
      });
      await sleep(100);
    }
  })();

  await sleep(1200);
  await cluster().kill(1);
  const today = dayOf(Date.now());
  let downAnswers: number[] = [];
  try {
    // While shard 2 is down, a batch whose pseudonym lives there is refused with 503 by either collector.
    let pseudonym = hex(32);
    while (store.shardOf(pseudonym) !== 1) pseudonym = hex(32);
    const probe: WireBatch = wireBatch(today, [clientEvent(today)], { pseudonym });
    downAnswers = await Promise.all(
      collectors.map(async (c) => {
        const res = await fetch(`${c.url}/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(probe) });
        const body = (await res.json()) as { error?: { code?: string } };
        if (res.status === 503) expect(body.error?.code).toBe('STORE_UNAVAILABLE');
        return res.status;
      }),
    );
    await sleep(2000);
  } finally {
    await cluster().restart(1);
  }
  expect(downAnswers).toEqual([503, 503]);
  await load;
  recording = false;

  // Everything queued goes out once the shard is back.
  for (const t of installs) {
    for (let i = 0; i < 200 && (await t.flush()).queued > 0; i++) await sleep(100);
    expect(t.stats().queued).toBe(0);
  }
  const delivered = installs.flatMap((t) => t.sentLog.list({ kind: 'batch', limit: 100_000 }).filter((e) => e.status === 'delivered' || e.status === 'duplicate'));
  const failedOrPending = installs.flatMap((t) => t.sentLog.list({ kind: 'batch', limit: 100_000 }).filter((e) => e.status !== 'delivered' && e.status !== 'duplicate'));
  await Promise.all(installs.map((t) => t.shutdown()));
  expect(failedOrPending).toEqual([]);
  // The SDK retried what the collectors refused while the shard was down.
  expect(retries).toContain('STORE_UNAVAILABLE');

  // Every acknowledged batch is stored, with the answer the SDK got; the stored events are exactly theirs.
  const keys = new Set(delivered.map((e) => (JSON.parse(e.body) as WireBatch).batchKey));
  let acknowledged = 0;
  for (const key of keys) {
    const answer = await store.lookupBatch(key);
    expect(answer, `batch ${key}`).not.toBeNull();
    acknowledged += answer!.accepted;
  }
  const sentEvents = delivered.reduce((s, e) => s + e.eventCount, 0);
  expect(acknowledged).toBe(sentEvents);
  let stored = 0;
  for (const event of store.tables().keys()) {
    const cells = await store.queryAggregates({ event, groupBy: [], from: dayOf(Date.now() - DAY_MS), to: dayOf(Date.now() + DAY_MS), granularity: 'day' });
    stored += cells.reduce((s, c) => s + c.events, 0);
  }
  expect(stored).toBe(acknowledged);
  const sessions = await store.queryAggregates({ event: 'client.session', groupBy: [], from: dayOf(Date.now() - DAY_MS), to: dayOf(Date.now() + DAY_MS), granularity: 'month' });
  expect(sessions.reduce((s, c) => s + c.events, 0)).toBe(recorded);
});

// The CLI runs from the build (`npm run build`), as an operator runs it.
const cli = join(import.meta.dirname, '..', '..', 'cli', 'bin', 'candor.js');

it('runs `candor collector start --store clickhouse --clickhouse-url <url>,<url>` and stores exactly what it accepts', async () => {
  database = freshDatabase('candor_cli');
  const env = { ...process.env, CANDOR_CLICKHOUSE_DATABASE: database, CANDOR_CLICKHOUSE_CLUSTER: cluster().cluster, CANDOR_INGEST_PER_MINUTE: '0', CANDOR_LOG_LEVEL: 'info' };
  const args = [cli, 'collector', 'start', '--port', '0', '--host', '127.0.0.1', '--data-dir', tempDir('candor-cli-ch-'), '--store', 'clickhouse', '--clickhouse-url', cluster().urls.join(',')];
  child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"port":(\d+),"catalog"/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child!.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  const load = spawnSync(process.execPath, [cli, 'load', '--target', `http://127.0.0.1:${port}`, '--installs', '100', '--duration', '2', '--concurrency', '8', '--days', '1'], { encoding: 'utf8' });
  expect(load.status).toBe(0);
  expect(load.stdout).toMatch(/refused\s+none/);
  const accepted = Number(/accepted\s+(\d+) events/.exec(load.stdout)?.[1]);
  expect(accepted).toBeGreaterThan(0);
  const exit = await new Promise<number | null>((resolve) => {
    child!.once('exit', (code) => resolve(code));
    child!.kill('SIGTERM');
  });
  child = undefined;
  expect(exit).toBe(0);
  const store = createClickHouseStore({ urls: cluster().urls, database, cluster: cluster().cluster });
  await store.open(CONTRACT_SCHEMA);
  try {
    let stored = 0;
    for (const event of store.tables().keys()) {
      const cells = await store.queryAggregates({ event, groupBy: [], from: dayOf(Date.now() - 3 * DAY_MS), to: dayOf(Date.now() + DAY_MS), granularity: 'month' });
      stored += cells.reduce((s, c) => s + c.events, 0);
    }
    expect(stored).toBe(accepted);
  } finally {
    await store.close();
  }
});

it('refuses --store clickhouse without a usable --clickhouse-url, naming the option', () => {
  const dir = tempDir('candor-cli-ch-');
  for (const extra of [[], ['--clickhouse-url', 'ftp://somewhere']]) {
    const r = spawnSync(process.execPath, [cli, 'collector', 'start', '--port', '0', '--data-dir', dir, '--store', 'clickhouse', ...extra], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/clickhouseUrl/);
  }
  const r = spawnSync(process.execPath, [cli, 'collector', 'start', '--port', '0', '--data-dir', dir, '--store', 'mysql'], { encoding: 'utf8' });
  expect(r.stderr).toMatch(/store must be "duckdb" or "clickhouse"/);
});
