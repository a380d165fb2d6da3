// The same handler under the three host shapes the issue names: Node http, fastify, and
// express/connect-style (req, res, next) middleware.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPrivacyTabHandler, CSRF_HEADER } from '../src/index.js';
import type { NextFunction, PrivacyTabHandler } from '../src/index.js';
import { builtAssetsDir } from './support/assets.js';
import { createFakeClient } from './support/fake-client.js';
import type { FakeClient } from './support/fake-client.js';
import { cookieFrom, serve } from './support/serve.js';

let assetsDir: string;
beforeAll(async () => {
  assetsDir = await builtAssetsDir();
});
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

const ADMIN = { authorization: 'Bearer admin' };

function tabFor(client: FakeClient, basePath = '/admin/privacy'): PrivacyTabHandler {
  return createPrivacyTabHandler({ client, basePath, assetsDir, authorize: (req) => req.headers.authorization === 'Bearer admin' });
}

/** One round trip a host must support: page, API read, a CSRF-protected change, and a refusal. */
async function exercise(url: string, client: FakeClient, base = '/admin/privacy'): Promise<void> {
  const page = await fetch(`${url}${base}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain(`${base}/assets/candor-privacy-tab.js`);
  expect((await fetch(`${url}${base}/assets/candor-privacy-tab.js`)).status).toBe(200);
  const catalog = await fetch(`${url}${base}/api/catalog`, { headers: ADMIN });
  expect(catalog.status).toBe(200);
  const s = await fetch(`${url}${base}/api/session`, { headers: ADMIN });
  const { csrfToken } = (await s.json()) as { csrfToken: string };
  const h = { ...ADMIN, 'content-type': 'application/json', cookie: cookieFrom(s) };
  const refused = await fetch(`${url}${base}/api/consent`, { method: 'POST', headers: h, body: JSON.stringify({ category: 'playback', on: false }) });
  expect(refused.status).toBe(403);
  const ok = await fetch(`${url}${base}/api/consent`, { method: 'POST', headers: { ...h, [CSRF_HEADER]: csrfToken }, body: JSON.stringify({ category: 'playback', on: false }) });
  expect(ok.status).toBe(200);
  expect(client.calls.consentSet).toEqual([['playback', false]]);
}

describe('host shapes', () => {
  it('Node http: tab(req, res, next) hands other paths to the host', async () => {
    const client = createFakeClient();
    const tab = tabFor(client);
    const served = await serve((req, res) => tab(req, res, () => res.end('host page')));
    closers.push(() => served.close());
    await exercise(served.url, client);
    expect(await (await fetch(`${served.url}/library`)).text()).toBe('host page');
    expect(await (await fetch(`${served.url}/admin/privacyx`)).text()).toBe('host page');
  });

  it('fastify: app.register(tab.fastify) serves the tab and leaves the host routes and body parsing alone', async () => {
    const client = createFakeClient();
    const tab = tabFor(client);
    const app = Fastify();
    closers.push(() => app.close());
    await app.register(tab.fastify);
    app.post('/api/echo', async (request) => ({ got: request.body }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await exercise(url, client);
    const echo = await fetch(`${url}/api/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await echo.json()).toEqual({ got: { a: 1 } });
    expect((await fetch(`${url}/admin/privacy`)).status).toBe(200);
  });

  it('express-style: app.use(basePath, tab) with a stripped req.url, originalUrl and a pre-parsed body', async () => {
    // A connect-like stub: what express does to a request before a mounted middleware runs.
    type Mw = (req: IncomingMessage & { originalUrl?: string; body?: unknown }, res: ServerResponse, next: NextFunction) => void;
    const stack: { path: string; fn: Mw }[] = [];
    const use = (path: string, fn: Mw): void => void stack.push({ path, fn });
    const app = (req: IncomingMessage & { originalUrl?: string; body?: unknown }, res: ServerResponse): void => {
      req.originalUrl ??= req.url;
      let i = 0;
      const next: NextFunction = (err) => {
        const layer = stack[i++];
        if (err !== undefined || !layer) {
          res.statusCode = err === undefined ? 404 : 500;
          res.end(err === undefined ? 'host 404' : 'host error');
          return;
        }
        const url = req.originalUrl!;
        if (!(url === layer.path || url.startsWith(`${layer.path}/`) || layer.path === '/')) return next();
        req.url = layer.path === '/' ? url : url.slice(layer.path.length) || '/';
        layer.fn(req, res, next);
      };
      next();
    };
    // Like express.json(): consumes the stream and leaves the parsed body on req.body.
    use('/', (req, _res, next) => {
      if (req.headers['content-type'] !== 'application/json') return next();
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        req.body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        next();
      });
    });
    const client = createFakeClient();
    use('/admin/privacy', tabFor(client));
    use('/', (_req, res) => res.end('host page'));
    const served = await serve(app);
    closers.push(() => served.close());
    await exercise(served.url, client);
    expect(await (await fetch(`${served.url}/library`)).text()).toBe('host page');
  });

  it('mounts at the root when basePath is "/"', async () => {
    const client = createFakeClient();
    const tab = tabFor(client, '/');
    const served = await serve((req, res) => tab(req, res));
    closers.push(() => served.close());
    await exercise(served.url, client, '');
  });
});
