// A child process that runs, in one Node process, a collector (createApp with its DuckDB
// store, default rate limits, and the dashboard it mounts), a real SDK client, and a host web
// server with the privacy tab. The hostile scenario attacks it over HTTP, then asks over IPC
// (never over HTTP: the product exposes nothing new for this) whether anything reached
// Object.prototype and whether the SDK client was made to change anything.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import { createApp, createCatalogRegistry, createDuckDbStore, createLogger, resolveCollectorOptions } from '@candor/collector';
import { createTelemetry } from '@candor/sdk';
import { createPrivacyTabHandler } from '@candor/web';
import { HOST_SESSION } from './host-session.mjs';

const PROTOTYPES = { Object: Object.prototype, Array: Array.prototype, Function: Function.prototype, String: String.prototype };
const baseline = Object.fromEntries(Object.entries(PROTOTYPES).map(([k, p]) => [k, Object.getOwnPropertyNames(p).sort()]));


let state = null;

async function start(m) {
  mkdirSync(m.dir, { recursive: true });
  const registry = createCatalogRegistry(mediaServerCatalog);
  const store = createDuckDbStore({ path: join(m.dir, 'candor.duckdb'), threads: 1 });
  await store.open(registry.schema);
  // Default limits (subjects 60 per hour per address, statistics 120 per minute): the rate-limit checks need them.
  const options = resolveCollectorOptions({ dataDir: m.dir, port: 0, host: '127.0.0.1', logLevel: 'debug' }, {});
  const logger = createLogger({ level: 'debug', destination: (await import('pino')).pino.destination({ dest: m.logFile, sync: true }) });
  const app = createApp({ store, registry, options, adminToken: m.adminToken, logger });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const collectorPort = app.server.address().port;

  const client = createTelemetry({ catalog: mediaServerCatalog, endpoint: `http://127.0.0.1:${collectorPort}`, dataDir: join(m.dir, 'sdk'), env: {}, onDiagnostic: () => {} });
  const responses = [];
  const tab = createPrivacyTabHandler({ client, authorize: (req) => (req.headers.cookie ?? '').split(/;\s*/).includes(HOST_SESSION), secureCookie: false });
  const host = createServer((req, res) => {
    res.on('finish', () => responses.push({ method: req.method, url: req.url, status: res.statusCode }));
    tab(req, res, () => {
      // The host's own sign-in: a session cookie without a SameSite attribute, as careless
      // hosts set it (browsers then still send it on a cross-site POST for two minutes).
      if (req.url === '/host-login') {
        res.writeHead(200, { 'set-cookie': `${HOST_SESSION}; Path=/; HttpOnly`, 'content-type': 'text/plain' });
        return res.end('signed in');
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    });
  });
  await new Promise((resolve) => host.listen(0, '::', resolve));
  state = { app, store, client, host, responses };
  return { collectorPort, tabPort: host.address().port };
}

const commands = {
  start,
  /** Keys that appeared on the built-in prototypes since start, and whether fresh objects see a polluted key. */
  prototypes(m) {
    const added = {};
    for (const [k, p] of Object.entries(PROTOTYPES)) {
      const now = Object.getOwnPropertyNames(p).sort();
      const extra = now.filter((n) => !baseline[k].includes(n));
      if (extra.length > 0) added[k] = extra;
    }
    const seen = (m.keys ?? []).filter((key) => ({})[key] !== undefined || Object.create(null)[key] !== undefined || [][key] !== undefined);
    return { added, freshObjectSees: seen };
  },
  /** Records raw events the way a host that parsed JSON from somewhere would (the SDK's own input). */
  recordRaw(m) {
    for (const text of m.texts) state.client.record(m.name, JSON.parse(text));
    return state.client.stats().dropped;
  },
  tab() {
    const consent = state.client.consent.get();
    const deletions = state.client.sentLog.list({ kind: 'deletion' }).length;
    return { consent, deletions, responses: state.responses.slice(-500) };
  },
  async close() {
    await state.client.shutdown({ flush: false });
    await new Promise((resolve) => state.host.close(resolve));
    await state.app.close();
    await state.store.close();
    return {};
  },
};

process.on('message', (m) => {
  Promise.resolve()
    .then(() => commands[m.cmd](m))
    .then(
      (result) => process.send({ id: m.id, ok: true, result }),
      (error) => process.send({ id: m.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
