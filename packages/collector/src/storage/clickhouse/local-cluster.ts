import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options of {@link startLocalClickHouseCluster}. */
export interface LocalClickHouseClusterOptions {
  /** How many single-replica shards to start. @default 2 */
  readonly shards?: number;
  /** The cluster name written into `<remote_servers>`. @default 'candor' */
  readonly cluster?: string;
  /** The server binary. @default '/usr/sbin/clickhouse-server' */
  readonly binary?: string;
  /** Where the servers keep their data; a fresh temp folder when omitted (and removed by `stop()`). */
  readonly dir?: string;
  /** Background merge threads per server: kept low so that two servers share a small machine. @default 4 */
  readonly backgroundPoolSize?: number;
  /** How long a server may take to answer `/ping` after starting. @default 60000 */
  readonly startTimeoutMs?: number;
}

/** One running (or stopped) shard server. */
export interface LocalShard {
  readonly index: number;
  readonly httpPort: number;
  readonly tcpPort: number;
  /** `http://127.0.0.1:<httpPort>` */
  readonly url: string;
  readonly dir: string;
  /** The process id while running, else undefined. */
  readonly pid: number | undefined;
}

/** A set of clickhouse-server processes on loopback ports, one per shard, sharing one cluster definition. */
export interface LocalClickHouseCluster {
  readonly cluster: string;
  readonly dir: string;
  readonly shards: readonly LocalShard[];
  /** The HTTP URLs of the shards, in cluster order. */
  readonly urls: readonly string[];
  /** Kills a shard with SIGKILL (no flush, no clean shutdown) and waits until it has exited. */
  kill(index: number): Promise<void>;
  /** Starts a stopped shard again on the same ports and data, and waits until it answers. */
  restart(index: number): Promise<void>;
  /** Stops every server and removes the temp folder (unless `dir` was given). */
  stop(): Promise<void>;
}

const PING_INTERVAL_MS = 100;

/** A TCP port that was free a moment ago (clickhouse-server cannot listen on port 0). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function xmlText(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The server configuration: loopback only, every path inside the shard's folder, UTC, the shared cluster. */
function serverConfig(dir: string, httpPort: number, tcpPort: number, cluster: string, shardTcpPorts: readonly number[]): string {
  const d = (sub: string): string => xmlText(join(dir, sub) + '/');
  const shards = shardTcpPorts.map((p) => `<shard><replica><host>127.0.0.1</host><port>${p}</port></replica></shard>`).join('');
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${d('log')}server.log</log><errorlog>${d('log')}error.log</errorlog><size>10M</size><count>2</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${d('data')}</path>
  <tmp_path>${d('tmp')}</tmp_path>
  <user_files_path>${d('user_files')}</user_files_path>
  <format_schema_path>${d('format_schemas')}</format_schema_path>
  <users_config>${xmlText(join(dir, 'users.xml'))}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>200</max_concurrent_queries>
  <keep_alive_timeout>10</keep_alive_timeout>
  <remote_servers><${cluster}>${shards}</${cluster}></remote_servers>
</yandex>
`;
}

function usersConfig(backgroundPoolSize: number): string {
  return `<?xml version="1.0"?>
<yandex>
  <profiles><default><background_pool_size>${backgroundPoolSize}</background_pool_size><log_queries>0</log_queries></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;
}

async function ping(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) });
    return response.ok && (await response.text()).startsWith('Ok');
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `shards` clickhouse-server processes (Debian's 18.16 or newer) as plain child
 * processes on free loopback ports, each with its config and data in a temp folder, and a
 * `<remote_servers>` cluster naming all of them so that `Distributed` tables work. For tests
 * and benchmarks; a production deployment is described in docs/scale.md.
 * @example const cluster = await startLocalClickHouseCluster({ shards: 2 }); … await cluster.stop();
 */
export async function startLocalClickHouseCluster(options: LocalClickHouseClusterOptions = {}): Promise<LocalClickHouseCluster> {
  const count = options.shards ?? 2;
  const cluster = options.cluster ?? 'candor';
  if (!/^[a-z][a-z0-9_]*$/.test(cluster)) throw new RangeError(`cluster name "${cluster}" must match [a-z][a-z0-9_]*`);
  const binary = options.binary ?? '/usr/sbin/clickhouse-server';
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const ownsDir = options.dir === undefined;
  const root = options.dir ?? mkdtempSync(join(tmpdir(), 'candor-clickhouse-'));
  const children: (ChildProcess | undefined)[] = [];
  const shards: { index: number; httpPort: number; tcpPort: number; url: string; dir: string }[] = [];

  const used = new Set<number>();
  const pick = async (): Promise<number> => {
    for (;;) {
      const p = await freePort();
      if (!used.has(p)) {
        used.add(p);
        return p;
      }
    }
  };

  for (let i = 0; i < count; i++) {
    const httpPort = await pick();
    const tcpPort = await pick();
    const dir = join(root, `shard-${i + 1}`);
    shards.push({ index: i, httpPort, tcpPort, url: `http://127.0.0.1:${httpPort}`, dir });
  }

  const writeConfigs = (): void => {
    for (const s of shards) {
      mkdirSync(join(s.dir, 'log'), { recursive: true });
      const ports = shards.map((x) => x.tcpPort);
      writeFileSync(join(s.dir, 'config.xml'), serverConfig(s.dir, s.httpPort, s.tcpPort, cluster, ports));
      writeFileSync(join(s.dir, 'users.xml'), usersConfig(options.backgroundPoolSize ?? 4));
    }
  };

  const launch = async (index: number): Promise<void> => {
    const s = shards[index]!;
    const child = spawn(binary, [`--config-file=${join(s.dir, 'config.xml')}`], { cwd: s.dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString();
    });
    children[index] = child;
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      if (await ping(s.url)) return;
      await sleep(PING_INTERVAL_MS);
    }
    const errorLog = join(s.dir, 'log', 'error.log');
    const tail = existsSync(errorLog) ? readFileSync(errorLog, 'utf8').slice(-2000) : '';
    child.kill('SIGKILL');
    await waitExit(child);
    children[index] = undefined;
    const busy = /Address already in use/.test(tail + stderr);
    throw Object.assign(new Error(`clickhouse-server shard ${index + 1} did not start on ${s.url}: ${(stderr + tail).trim().slice(-1500) || 'no output'}`), { busy });
  };

  const startAll = async (): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      writeConfigs();
      try {
        await Promise.all(shards.map((_, i) => launch(i)));
        return;
      } catch (error) {
        await Promise.all(children.map(async (c, i) => {
          if (c === undefined) return;
          c.kill('SIGKILL');
          await waitExit(c);
          children[i] = undefined;
        }));
        // A port taken between probing and listening: choose new ones and try again.
        if ((error as { busy?: boolean }).busy !== true || attempt >= 4) throw error;
        used.clear();
        for (const s of shards) {
          s.httpPort = await pick();
          s.tcpPort = await pick();
          s.url = `http://127.0.0.1:${s.httpPort}`;
        }
      }
    }
  };

  // A test runner that exits without afterAll (a crash, Ctrl-C) must not leave servers behind.
  const killOnExit = (): void => {
    for (const child of children) child?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  try {
    await startAll();
  } catch (error) {
    process.removeListener('exit', killOnExit);
    if (ownsDir) rmSync(root, { recursive: true, force: true });
    throw error;
  }

  return {
    cluster,
    dir: root,
    get shards(): LocalShard[] {
      return shards.map((s) => ({ ...s, pid: children[s.index]?.pid }));
    },
    get urls(): string[] {
      return shards.map((s) => s.url);
    },
    async kill(index) {
      const child = children[index];
      if (child === undefined) return;
      child.kill('SIGKILL');
      await waitExit(child);
      children[index] = undefined;
    },
    async restart(index) {
      if (children[index] !== undefined) return;
      await launch(index);
    },
    async stop() {
      await Promise.all(
        children.map(async (child, i) => {
          if (child === undefined) return;
          child.kill('SIGTERM');
          const exited = await Promise.race([waitExit(child).then(() => true), sleep(15_000).then(() => false)]);
          if (!exited) {
            child.kill('SIGKILL');
            await waitExit(child);
          }
          children[i] = undefined;
        }),
      );
      process.removeListener('exit', killOnExit);
      if (ownsDir) rmSync(root, { recursive: true, force: true });
    },
  };
}
