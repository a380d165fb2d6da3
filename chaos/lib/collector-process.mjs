// A real collector, started as `candor collector start` in a child process, with its log
// lines kept in a file (the data-minimization search reads them) and its memory readable
// from /proc without asking the collector anything.
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';

/** The admin token of every chaos collector (a test value; the collector only needs 16+ characters). */
export const CHAOS_ADMIN_TOKEN = 'chaos-admin-token-6f1d2a9c4b7e';

/**
 * Starts a collector and waits until it listens.
 * `wrap` runs it under another program (a mount namespace with a read-only data directory):
 * it receives the node command line and returns the one to spawn.
 * @param {{ cliBin: string, dataDir: string, logFile: string, env?: Record<string, string>, readyTimeoutMs?: number, logLevel?: string, wrap?: (argv: string[]) => string[] }} o
 * @returns {Promise<{ pid: number, port: number, url: string, exited: Promise<{ code: number | null, signal: string | null }>, kill(signal?: string): Promise<void>, stop(): Promise<{ code: number | null, signal: string | null }>, rssBytes(): number | null }>}
 */
export async function startCollectorProcess(o) {
  const env = {
    PATH: process.env.PATH ?? '',
    CANDOR_ADMIN_TOKEN: CHAOS_ADMIN_TOKEN,
    // Every simulated install reaches the collector from the same loopback address, so the
    // per-address ingest limit would throttle the whole fleet as if it were one client.
    CANDOR_INGEST_PER_MINUTE: '0',
    // A quick rollup cadence keeps the maintenance path under load during the run.
    CANDOR_ROLLUP_INTERVAL_MS: '5000',
    ...o.env,
  };
  let argv = [process.execPath, o.cliBin, 'collector', 'start', '--port', '0', '--host', '127.0.0.1', '--data-dir', o.dataDir, '--log-level', o.logLevel ?? 'debug'];
  if (o.wrap) argv = o.wrap(argv);
  const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let port = null;
  let pending = '';
  let onListening = () => {};
  child.stdout.on('data', (chunk) => {
    appendFileSync(o.logFile, chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) {
      if (port !== null || !line.includes('collector listening')) continue;
      try {
        port = JSON.parse(line).port;
        onListening();
      } catch {
        // not a log line of ours
      }
    }
  });
  child.stderr.on('data', (chunk) => appendFileSync(o.logFile, chunk));
  const timeoutMs = o.readyTimeoutMs ?? 90_000;
  const ready = await Promise.race([
    new Promise((resolve) => (onListening = () => resolve('listening'))),
    exited.then((e) => `exited (code ${e.code}, signal ${e.signal})`),
    new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref()),
  ]);
  if (ready !== 'listening') {
    child.kill('SIGKILL');
    let tail = '';
    try {
      tail = readFileSync(o.logFile, 'utf8').slice(-2000);
    } catch {
      // no log yet
    }
    throw new Error(`the collector did not start: ${ready}\n${tail}`);
  }
  return {
    pid: child.pid,
    port,
    url: `http://127.0.0.1:${port}`,
    exited,
    async kill(signal = 'SIGKILL') {
      child.kill(signal);
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const e = await exited;
      clearTimeout(timer);
      return e;
    },
    rssBytes: () => rssOf(child.pid),
  };
}

/** Resident memory of a process from /proc (Linux), or null. */
export function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Waits until `GET /readyz` answers 200 (the store can commit), or the deadline passes. */
export async function waitReady(url, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) });
      await r.arrayBuffer();
      if (r.status === 200) return true;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}
