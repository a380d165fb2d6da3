import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { describeUserAgent, type ClientDescription } from '../clients/describe-user-agent.js';
import { isLocalAddress } from '../clients/is-local-address.js';
import { ITEM_ID_PATTERN, type Library, type LibraryItem } from '../library/create-library.js';
import { createPlaybackTracker, type Playback, type PlaybackReport, type PlaybackTracker } from '../playback/playback-tracker.js';
import { createSettingsStore, type MediaServerSettings, type SettingsStore } from '../settings/settings-store.js';
import { itemView } from './item-view.js';
import { createOwnerAuth, type OwnerSession, type WithHeaders } from './owner-auth.js';
import { sendMediaFile } from './send-media-file.js';
import { loadStaticAssets, type StaticAsset } from './static-assets.js';

/** What the server tells its instrumentation; every hook is optional and must not throw. */
export interface MediaServerHooks {
  /** A browser opened the web UI. */
  clientConnected?(client: ClientDescription): void;
  /** A playback started. */
  playbackStarted?(playback: Playback): void;
  /** A playback ended (stop, idle or shutdown). */
  playbackStopped?(playback: Playback): void;
  /** The owner changed the settings. */
  settingsChanged?(settings: MediaServerSettings): void;
  /** A request failed with an unexpected error (a bug): the crash-report path. */
  requestFailed?(error: Error): void;
  /** What Candor would report for playing this item on this client, shown on the player page. */
  previewReport?(item: LibraryItem, client: ClientDescription): unknown;
}

/** What a plugin (the privacy tab) gets to mount itself. */
export interface MediaServerPluginContext {
  /** The owner's session of a request (fastify's or Node's), or null when signed out. */
  ownerSession(request: WithHeaders): OwnerSession | null;
  /** Whether a request carries the session's CSRF token. */
  verifyCsrf(request: WithHeaders, session: OwnerSession): boolean;
}

/** Mounts extra routes (the privacy tab) on the server. */
export type MediaServerPlugin = (app: FastifyInstance, context: MediaServerPluginContext) => void | Promise<void>;

/** Options of {@link createMediaServer}. */
export interface MediaServerOptions {
  /** The media library it serves. */
  readonly library: Library;
  /** Where settings and the owner token live. */
  readonly dataDir: string;
  /** The owner's settings. @default kept in `<dataDir>/settings.json` */
  readonly settings?: SettingsStore;
  /** The owner sign-in token. @default read from, or created in, `<dataDir>/owner-token` */
  readonly ownerToken?: string;
  /** The interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** The port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Instrumentation hooks. */
  readonly hooks?: MediaServerHooks;
  /** Extra routes, mounted after the server's own. */
  readonly plugins?: readonly MediaServerPlugin[];
  /** Player reports within this long keep a playback open. @default 90000 */
  readonly playbackIdleTimeoutMs?: number;
  /** The clock. @default Date.now */
  readonly now?: () => number;
}

/** A running (or ready to run) media server. */
export interface MediaServer {
  /** The fastify app, for in-process requests (`app.inject`). */
  readonly app: FastifyInstance;
  /** The open playbacks. */
  readonly tracker: PlaybackTracker;
  /** The owner's settings. */
  readonly settings: SettingsStore;
  /** The owner sign-in token. */
  readonly ownerToken: string;
  /** Starts listening; resolves to the base URL. */
  listen(): Promise<string>;
  /** The base URL once listening. */
  url(): string;
  /** Ends open playbacks (so they are reported) and closes the server. */
  close(): Promise<void>;
}

// The UI loads nothing from elsewhere and runs no inline script.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'self'; require-trusted-types-for 'script'; trusted-types 'none'";

const PAGES: Readonly<Record<string, string>> = { '/': 'index.html', '/settings': 'settings.html', '/login': 'login.html' };

/**
 * Creates the example media server: library browsing, range streaming, playback tracking,
 * settings behind an owner sign-in, and hooks for Candor's instrumentation.
 * @example const server = await createMediaServer({ library, dataDir: '.candor/media-server' }); console.log(await server.listen());
 */
export async function createMediaServer(options: MediaServerOptions): Promise<MediaServer> {
  const { library, hooks = {} } = options;
  mkdirSync(options.dataDir, { recursive: true });
  const ownerToken = options.ownerToken ?? readOrCreateToken(join(options.dataDir, 'owner-token'));
  const auth = createOwnerAuth({ token: ownerToken, ...(options.now !== undefined && { now: options.now }) });
  const settings = options.settings ?? createSettingsStore(join(options.dataDir, 'settings.json'));
  const assets = loadStaticAssets();
  const tracker = createPlaybackTracker({
    idleTimeoutMs: options.playbackIdleTimeoutMs ?? 90_000,
    ...(options.now !== undefined && { now: options.now }),
    onStart: (p) => safely(() => hooks.playbackStarted?.(p)),
    onStop: (p) => safely(() => hooks.playbackStopped?.(p)),
  });
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  // JSON only: text/plain is a CORS-safelisted type, so accepting it would let any web page
  // the owner visits post fake playbacks to this server without a preflight.
  app.removeContentTypeParser('text/plain');
  let baseUrl = '';

  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    return payload;
  });
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      safely(() => hooks.requestFailed?.(error));
      return reply.code(500).send({ error: { code: 'internal_error', message: 'the server failed to answer this request' } });
    }
    return reply.code(status).send({ error: { code: (error.code ?? 'bad_request').toLowerCase(), message: error.message } });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: { code: 'not_found', message: 'no such page' } }));

  for (const [path, file] of Object.entries(PAGES)) app.get(path, (_request, reply) => sendAsset(reply, assets.get(file)));
  app.get<{ Params: { id: string } }>('/play/:id', (request, reply) => (findItem(request.params.id, reply) === undefined ? reply : sendAsset(reply, assets.get('player.html'))));
  app.get<{ Params: { name: string } }>('/assets/:name', (request, reply) => sendAsset(reply, assets.get(request.params.name)));

  app.get('/api/items', async () => ({ items: library.items().map(itemView), counts: library.counts() }));
  app.get<{ Params: { id: string } }>('/api/items/:id', async (request, reply) => {
    const item = findItem(request.params.id, reply);
    if (item === undefined) return reply;
    const preview = safely(() => hooks.previewReport?.(item, describeUserAgent(request.headers['user-agent'])));
    return { item: itemView(item), report: preview ?? null };
  });
  const streamRoute = (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const item = findItem(request.params.id, reply);
    return item === undefined ? reply : sendMediaFile(request, reply, item);
  };
  app.route({ method: ['GET', 'HEAD'], url: '/media/:id', exposeHeadRoute: false, handler: streamRoute });

  app.post('/api/sessions', async (request, reply) => {
    safely(() => hooks.clientConnected?.(clientOf(request)));
    return reply.code(204).send();
  });
  app.post<{ Body: { itemId?: unknown } }>('/api/playbacks', async (request, reply) => {
    const id = request.body?.itemId;
    const item = typeof id === 'string' ? findItem(id, reply) : undefined;
    if (item === undefined) return typeof id === 'string' ? reply : badRequest(reply, 'itemId must be a string');
    const playback = tracker.start(item, clientOf(request));
    return reply.code(201).send({ playbackId: playback.id });
  });
  app.post<{ Params: { playbackId: string }; Body: unknown }>('/api/playbacks/:playbackId/progress', async (request, reply) => {
    const report = readReport(request.body);
    if (report === null) return badRequest(reply, 'expected { playedSeconds, positionSeconds } as numbers');
    return tracker.progress(request.params.playbackId, report) ? reply.code(204).send() : playbackGone(reply);
  });
  app.post<{ Params: { playbackId: string }; Body: unknown }>('/api/playbacks/:playbackId/stop', async (request, reply) => {
    const report = readReport(request.body);
    if (report === null) return badRequest(reply, 'expected { playedSeconds, positionSeconds } as numbers');
    return tracker.stop(request.params.playbackId, report) === undefined ? playbackGone(reply) : reply.code(204).send();
  });

  app.get<{ Querystring: { token?: string } }>('/login/session', async (request, reply) => {
    const session = typeof request.query.token === 'string' ? auth.login(request.query.token) : null;
    if (session === null) return reply.redirect('/login?failed=1', 303);
    const maxAge = Math.floor((session.expiresAtMs - (options.now ?? Date.now)()) / 1000);
    return reply.header('set-cookie', `${auth.cookieName}=${session.id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}`).redirect('/settings', 303);
  });
  const ownerOnly = (request: FastifyRequest, reply: FastifyReply, mutating: boolean): OwnerSession | null => {
    const session = auth.session(request);
    if (session === null) {
      void reply.code(401).send({ error: { code: 'owner_required', message: 'sign in as the owner first' } });
      return null;
    }
    if (mutating && !auth.verifyCsrf(request, session)) {
      void reply.code(403).send({ error: { code: 'csrf_token_invalid', message: 'the X-CSRF-Token header is missing or wrong; reload the page' } });
      return null;
    }
    return session;
  };
  app.get('/api/settings', async (request, reply) => {
    const session = ownerOnly(request, reply, false);
    if (session === null) return reply;
    return { settings: settings.get(), csrfToken: session.csrfToken, folders: library.folders, problems: library.problems(), counts: library.counts() };
  });
  app.put('/api/settings', async (request, reply) => {
    if (ownerOnly(request, reply, true) === null) return reply;
    const result = settings.update(request.body);
    if (!result.ok) return reply.code(400).send({ error: { code: 'invalid_settings', message: result.message } });
    safely(() => hooks.settingsChanged?.(result.settings));
    return { settings: result.settings };
  });
  app.post('/api/library/scan', async (request, reply) => {
    if (ownerOnly(request, reply, true) === null) return reply;
    return await library.scan();
  });
  app.post('/api/logout', async (request, reply) => {
    const session = ownerOnly(request, reply, true);
    if (session === null) return reply;
    auth.logout(session);
    return reply.header('set-cookie', `${auth.cookieName}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`).code(204).send();
  });

  const context: MediaServerPluginContext = { ownerSession: (r) => auth.session(r), verifyCsrf: (r, s) => auth.verifyCsrf(r, s) };
  for (const plugin of options.plugins ?? []) await plugin(app, context);

  const sweeper = setInterval(() => tracker.sweep(), Math.min(10_000, options.playbackIdleTimeoutMs ?? 90_000));
  sweeper.unref();

  function findItem(id: string, reply: FastifyReply): LibraryItem | undefined {
    if (!ITEM_ID_PATTERN.test(id)) {
      void reply.code(400).send({ error: { code: 'invalid_id', message: 'an item id is 24 hexadecimal digits' } });
      return undefined;
    }
    const item = library.get(id);
    if (item === undefined) void reply.code(404).send({ error: { code: 'item_not_found', message: `no item with id ${id}` } });
    return item;
  }

  return {
    app,
    tracker,
    settings,
    ownerToken,
    async listen() {
      const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
      baseUrl = address.replace('[::1]', 'localhost');
      return baseUrl;
    },
    url: () => baseUrl,
    async close() {
      clearInterval(sweeper);
      tracker.stopAll();
      await app.close();
    },
  };
}

function clientOf(request: FastifyRequest): ClientDescription {
  return { ...describeUserAgent(request.headers['user-agent']), local: isLocalAddress(request.ip) };
}

function sendAsset(reply: FastifyReply, asset: StaticAsset | undefined): FastifyReply {
  if (asset === undefined) return reply.code(404).send({ error: { code: 'not_found', message: 'no such file' } });
  return reply.header('content-type', asset.contentType).header('cache-control', 'no-cache').send(asset.body);
}

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ error: { code: 'invalid_body', message } });
}

function playbackGone(reply: FastifyReply): FastifyReply {
  return reply.code(404).send({ error: { code: 'playback_not_found', message: 'this playback has ended or never started' } });
}

function readReport(body: unknown): PlaybackReport | null {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object') return null;
  const { playedSeconds, positionSeconds } = body as Record<string, unknown>;
  for (const v of [playedSeconds, positionSeconds]) if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) return null;
  return { ...(playedSeconds !== undefined && { playedSeconds: playedSeconds as number }), ...(positionSeconds !== undefined && { positionSeconds: positionSeconds as number }) };
}

function readOrCreateToken(file: string): string {
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return token;
  } catch {
    // No token yet: the first start creates one.
  }
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

// Instrumentation must never break serving: a throwing hook is swallowed here.
function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
