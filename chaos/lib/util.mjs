// Small helpers shared by the scenarios.
import { mkdirSync } from 'node:fs';

/** Resolves after `ms` milliseconds. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates a directory (and its parents) and returns its path. */
export function dir(path) {
  mkdirSync(path, { recursive: true });
  return path;
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes; returns the last value. */
export async function waitFor(check, timeoutMs, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last || Date.now() >= deadline) return last;
    await sleep(intervalMs);
  }
}

/** A bar of a scenario: a named check that passed or failed, with what was measured. */
export function bar(name, pass, detail) {
  return { name, pass: Boolean(pass), detail: String(detail) };
}

/** Formats an integer with thousands separators. */
export const fmt = (n) => (typeof n === 'number' ? Math.round(n).toLocaleString('en-US') : String(n));

/** Reads the collector's heap (bytes) from its Prometheus text (behind the admin token), or null. */
export async function collectorHeapBytes(url, token) {
  try {
    const r = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
    const m = /^candor_nodejs_heap_size_used_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)$/m.exec(await r.text());
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
