import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { createCsrfGuard, csrfCookie } from './csrf.js';
import { PrivacyTabApiError } from './errors.js';
import { readJsonBody, securityHeaders, sendError, sendJson } from './http-io.js';
import { loadAssets } from './load-assets.js';
import { renderPage } from './page.js';
import { createPrivacyTabApi } from './privacy-tab-api.js';
import { resolvePrivacyTabOptions } from './resolve-options.js';
import type { PrivacyTabOptions } from './resolve-options.js';

/** What a host's `next` receives: called when a request is not the tab's, so the host can route it. */
export type NextFunction = (err?: unknown) => void;

/** The subset of a fastify instance the plugin uses (structural, so that fastify stays the host's dependency). */
export interface FastifyInstanceLike {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(type: string, parser: (request: unknown, payload: unknown, done: (err: Error | null, body?: unknown) => void) => void): void;
  route(options: {
    method: string[];
    url: string;
    handler: (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): void }) => void;
  }): unknown;
}

/**
 * The privacy tab as one request handler: call it as `(req, res)` from Node `http`,
 * mount it as `(req, res, next)` middleware in express or connect, or register
 * `handler.fastify` as a fastify plugin.
 */
export interface PrivacyTabHandler {
  (req: IncomingMessage, res: ServerResponse, next?: NextFunction): void;
  /** The normalized path the tab answers under (`/privacy`). */
  readonly basePath: string;
  /** A fastify plugin serving the same routes: `await app.register(handler.fastify)`. */
  readonly fastify: (instance: FastifyInstanceLike) => Promise<void>;
}

const METHODS: Record<string, readonly string[]> = {
  '/api/session': ['GET'],
  '/api/catalog': ['GET'],
  '/api/consent': ['GET', 'POST'],
  '/api/sent': ['GET'],
  '/api/dropped': ['GET'],
  '/api/integrations': ['GET', 'POST'],
  '/api/export': ['GET'],
  '/api/delete': ['POST'],
};

/**
 * Creates the privacy tab: the page, its element, and a JSON API over the host's SDK client.
 * Every API request passes the host's `authorize(req)`; every change also needs the CSRF token.
 *
 * @example
 * const tab = createPrivacyTabHandler({ client: telemetry, authorize: (req) => isAdmin(req) });
 * http.createServer((req, res) => tab(req, res, () => hostRoutes(req, res))).listen(8096);
 */
export function createPrivacyTabHandler(options: PrivacyTabOptions): PrivacyTabHandler {
  const o = resolvePrivacyTabOptions(options);
  const assets = loadAssets(o.assetsDir);
  const api = createPrivacyTabApi(o);
  const csrf = createCsrfGuard(o.csrfSecret);
  const base = o.basePath;

  const isSecure = (req: IncomingMessage): boolean =>
    o.secureCookie === 'auto' ? (req.socket as TLSSocket).encrypted === true || req.headers['x-forwarded-proto'] === 'https' : o.secureCookie;

  const adminOf = async (req: IncomingMessage): Promise<string | null> => {
    let verdict;
    try {
      verdict = await o.authorize(req);
    } catch {
      // A failing admin check refuses; it must never fail open.
      return null;
    }
    if (verdict === true) return '';
    if (typeof verdict === 'object' && verdict !== null && typeof verdict.id === 'string') return verdict.id;
    return null;
  };

  const serveApi = async (req: IncomingMessage, res: ServerResponse, route: string, url: URL): Promise<void> => {
    const sentId = /^\/api\/sent\/([^/]+)$/.exec(route);
    const allowed = sentId ? ['GET'] : METHODS[route];
    if (!allowed) return sendError(res, 'NOT_FOUND', `No such endpoint: ${route}.`);
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
    if (!allowed.includes(method)) return sendError(res, 'METHOD_NOT_ALLOWED', `${route} accepts ${allowed.join(', ')}.`, { allow: allowed.join(', ') });
    const admin = await adminOf(req);
    if (admin === null) return sendError(res, 'UNAUTHORIZED', 'Sign in as an administrator of this server to see or change its privacy settings.');
    if (method === 'POST') {
      const refusal = csrf.check(req, admin);
      if (refusal !== null) return sendError(res, 'CSRF_REJECTED', `Refused: ${refusal}.`);
    }
    if (sentId) {
      const bytes = await api.sentBytes(decodeURIComponent(sentId[1]!));
      // The exact bytes, served as inert text: never as a document a browser could render.
      res.writeHead(200, { ...securityHeaders('api'), 'content-type': 'text/plain; charset=utf-8', 'content-length': String(bytes.byteLength) });
      res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return;
    }
    switch (`${method} ${route}`) {
      case 'GET /api/session': {
        const { token, fresh } = csrf.issue(req, admin);
        return sendJson(res, 200, { csrfToken: token }, fresh ? { 'set-cookie': csrfCookie(token, base, isSecure(req)) } : {});
      }
      case 'GET /api/catalog':
        return sendJson(res, 200, await api.catalog());
      case 'GET /api/consent':
        return sendJson(res, 200, await api.consent());
      case 'POST /api/consent': {
        const body = await readJsonBody(req);
        return sendJson(res, 200, await api.setConsent(body.category, body.on));
      }
      case 'GET /api/sent':
        return sendJson(res, 200, await api.sent(url.searchParams));
      case 'GET /api/dropped':
        return sendJson(res, 200, await api.dropped());
      case 'GET /api/integrations':
        return sendJson(res, 200, await api.integrations());
      case 'POST /api/integrations': {
        const body = await readJsonBody(req);
        return sendJson(res, 200, await api.setIntegration(body.id, body.on));
      }
      case 'GET /api/export': {
        const body = await api.exportAll();
        const day = body.exportedAt.slice(0, 10);
        return sendJson(res, 200, body, { 'content-disposition': `attachment; filename="candor-sent-log-${day}.json"` });
      }
      case 'POST /api/delete':
        await readJsonBody(req);
        return sendJson(res, 200, await api.deleteAll());
    }
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, route: string, url: URL): Promise<void> => {
    if (route.startsWith('/api/')) return serveApi(req, res, route, url);
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    if (route === '/' || route === '/assets/page.css' || (route.startsWith('/assets/') && assets.has(route.slice(8)))) {
      if (!isRead) return sendError(res, 'METHOD_NOT_ALLOWED', `${route} accepts GET.`, { allow: 'GET, HEAD' });
    }
    if (route === '/') {
      const html = renderPage(base, o.title, url.searchParams.get('theme'));
      res.writeHead(200, { ...securityHeaders('page'), 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(html)) });
      res.end(req.method === 'HEAD' ? undefined : html);
      return;
    }
    const asset = route.startsWith('/assets/') ? assets.get(route.slice(8)) : undefined;
    if (!asset) return sendError(res, 'NOT_FOUND', `No such page or asset: ${route}.`);
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, { ...securityHeaders('asset'), etag: asset.etag });
      res.end();
      return;
    }
    res.writeHead(200, { ...securityHeaders('asset'), 'content-type': asset.type, 'content-length': String(asset.body.byteLength), etag: asset.etag });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  };

  const handler = ((req: IncomingMessage, res: ServerResponse, next?: NextFunction): void => {
    // Under express and connect, `originalUrl` keeps the mount path that `url` lost.
    const raw = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    let url: URL;
    try {
      url = new URL(raw, 'http://localhost');
    } catch {
      if (next) return next();
      return sendError(res, 'NOT_FOUND', 'Malformed URL.');
    }
    const path = url.pathname;
    if (!(path === base || path.startsWith(`${base}/`) || (base === '' && path === '/'))) {
      if (next) return next();
      return sendError(res, 'NOT_FOUND', `The privacy tab is at ${base || '/'}.`);
    }
    const route = path.slice(base.length) || '/';
    serve(req, res, route, url).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy(err instanceof Error ? err : undefined);
        return;
      }
      if (err instanceof PrivacyTabApiError) return sendError(res, err.code, err.message);
      sendError(res, 'CLIENT_FAILED', `The privacy tab failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  }) as PrivacyTabHandler;

  const fastify = async (instance: FastifyInstanceLike): Promise<void> => {
    // The tab reads its own bodies (bounded, JSON only); inside this plugin's encapsulated
    // context fastify is told to leave the request stream untouched.
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const route = (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): void }): void => {
      reply.hijack();
      handler(request.raw, reply.raw);
    };
    const method = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
    instance.route({ method, url: base === '' ? '/' : base, handler: route });
    instance.route({ method, url: `${base}/*`, handler: route });
  };

  return Object.assign(handler, { basePath: base, fastify });
}
