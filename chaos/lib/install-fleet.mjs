// The parent's side of the install hosts: spawns child processes running
// chaos/lib/install-host.mjs, spreads the installs over them, and calls them over IPC.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { rssOf } from './collector-process.mjs';

/**
 * Starts one install host. `wrap` runs it under another program (a mount namespace for the
 * disk-full scenario): it receives the node command line and returns the one to spawn.
 * `script` names another IPC child of the same protocol (chaos/lib/inproc-target.mjs).
 * @param {{ chaosDir: string, logFile: string, wrap?: (argv: string[]) => string[], script?: string }} o
 */
export async function startInstallHost(o) {
  // --expose-gc: the soak reads each host's heap after a full collection (chaos/lib/install-host.mjs).
  let argv = [process.execPath, '--expose-gc', join(o.chaosDir, 'lib', o.script ?? 'install-host.mjs')];
  if (o.wrap) argv = o.wrap(argv);
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { PATH: process.env.PATH ?? '' } });
  child.stdout.on('data', (c) => appendFileSync(o.logFile, c));
  child.stderr.on('data', (c) => appendFileSync(o.logFile, c));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const waiting = new Map();
  let nextId = 1;
  let ready;
  const isReady = new Promise((resolve) => (ready = resolve));
  child.on('message', (m) => {
    if (m.ready) return ready(true);
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve(m.result);
    else w.reject(new Error(`install host: ${m.error}`));
  });
  void exited.then((e) => {
    ready(false);
    for (const w of waiting.values()) w.reject(new Error(`the install host exited (code ${e.code}, signal ${e.signal})`));
    waiting.clear();
  });
  if (!(await isReady)) throw new Error(`the install host did not start (see ${o.logFile})`);
  return {
    pid: child.pid,
    exited,
    /** Calls a command of the host; rejects if it exits first. */
    call(cmd, args = {}) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        try {
          child.send({ id, cmd, ...args });
        } catch (error) {
          waiting.delete(id);
          reject(error);
        }
      });
    },
    rssBytes: () => rssOf(child.pid),
    kill(signal = 'SIGKILL') {
      child.kill(signal);
      return exited;
    },
    async close() {
      if (child.connected) child.disconnect();
      const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/**
 * A fleet of installs over `hosts` child processes.
 * @param {{ chaosDir: string, logDir: string, hosts: number, installs: { key: string, dataDir: string, seed: number, consent?: object }[], init: object, wrap?: (argv: string[]) => string[] }} o
 */
export async function startFleet(o) {
  const hosts = [];
  for (let h = 0; h < o.hosts; h++) hosts.push(await startInstallHost({ chaosDir: o.chaosDir, logFile: join(o.logDir, `install-host-${h}.log`), wrap: o.wrap }));
  const share = (h) => o.installs.filter((_, i) => i % o.hosts === h);
  await Promise.all(hosts.map((host, h) => host.call('init', { ...o.init, installs: share(h) })));
  const owner = new Map();
  hosts.forEach((host, h) => share(h).forEach((i) => owner.set(i.key, host)));
  return {
    hosts,
    /** Calls a command on every host; resolves to their answers. */
    all: (cmd, args) => Promise.all(hosts.map((h) => h.call(cmd, args))),
    /** Calls a command for some installs, on the hosts that hold them. */
    async some(cmd, keys, args) {
      const byHost = new Map();
      for (const k of keys) {
        const host = owner.get(k);
        byHost.set(host, [...(byHost.get(host) ?? []), k]);
      }
      return Promise.all([...byHost].map(([host, ks]) => host.call(cmd, { ...args, keys: ks })));
    },
    async stats() {
      const parts = await this.all('stats');
      const total = { queued: 0, held: 0, accepted: 0, delivered: 0, calls: 0, dropped: {} };
      for (const p of parts) {
        for (const k of ['queued', 'held', 'accepted', 'delivered', 'calls']) total[k] += p[k];
        for (const [k, v] of Object.entries(p.dropped)) total.dropped[k] = (total.dropped[k] ?? 0) + v;
      }
      return total;
    },
    async close() {
      await Promise.all(hosts.map((h) => h.close()));
    },
  };
}
