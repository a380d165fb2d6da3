import type { FastifyInstance, FastifyReply, FastifyRequest, LightMyRequestResponse } from 'fastify';
import { PATHS, dayOf } from '@candor/protocol';
import { buildDashboardConfig } from './build-dashboard-config.js';
import { chartQueries } from './chart-queries.js';
import { dashboardCookie, readCookie } from './cookies.js';
import { createDashboardAssets } from './dashboard-assets.js';
import { DASHBOARD_API_ERRORS, type DashboardApiErrorCode } from './errors.js';
import { renderDashboardPage, renderLoginPage, type DashboardControls } from './render-pages.js';
import { resolveDashboardOptions, type DashboardOptions } from './resolve-dashboard-options.js';
import { securityHeaders } from './security-headers.js';
import { createPrefetchCache } from './prefetch-cache.js';
import { createSessionStore } from './session-store.js';
import { createSignInGuard, crossSiteReason, sameText } from './sign-in-guard.js';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'candor_dashboard_session';
/** Name of the cookie holding the sign-in form's nonce. */
export const SIGN_IN_COOKIE = 'candor_dashboard_sign_in';

/** The statistics parameters the dashboard passes on to `/v1/stats`; anything else is dropped. */
const STATS_PARAMS = ['event', 'groupBy', 'from', 'to', 'granularity', 'epsilon', 'mechanism', 'format'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function one(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function validDay(value: string | undefined): value is string {
  return value !== undefined && DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && dayOf(Date.parse(`${value}T00:00:00Z`)) === value;
}

/**
 * Mounts the vendor dashboard on a fastify app (the collector's): `GET <basePath>` (the page,
 * or a redirect to sign in), `GET|POST <basePath>/login`, `POST <basePath>/logout`, the page's
 * assets, and `GET <basePath>/api/stats[/active]`, which passes a session's queries to the
 * collector's own `/v1/stats` in process with the admin token, so that the page reads released
 * statistics only and the token never reaches the browser.
 * @example registerDashboard(app, { adminToken }); // in createApp, before listen
 */
export function registerDashboard(app: FastifyInstance, userOptions: DashboardOptions): void {
  const options = resolveDashboardOptions(userOptions);
  const { basePath, now } = options;
  const sessions = createSessionStore({ ttlMs: options.sessionTtlMs, maxSessions: options.maxSessions, now });
  const guard = createSignInGuard({ adminToken: options.adminToken, maxFailures: options.maxFailedSignIns, windowMs: options.failedSignInWindowMs, now });
  const assets = createDashboardAssets(options);
  const prefetched = createPrefetchCache<LightMyRequestResponse>({ ttlMs: 15_000, maxEntries: 2000, now });
  const config = buildDashboardConfig(options.catalog, options.sections, {
    apiBase: `${basePath}/api`,
    defaults: { rangeDays: options.rangeDays, granularity: 'day', epsilon: options.epsilon, mechanism: options.mechanism },
  });

  const secure = (request: FastifyRequest): boolean => (options.secureCookie === 'auto' ? request.protocol === 'https' : options.secureCookie);
  const sessionOf = (request: FastifyRequest): { id: string | undefined; session: ReturnType<typeof sessions.get> } => {
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    return { id, session: sessions.get(id) };
  };
  const originFacts = (request: FastifyRequest) => ({ host: request.headers.host, origin: one(request.headers.origin), secFetchSite: one(request.headers['sec-fetch-site']) });

  function sendJsonError(reply: FastifyReply, code: DashboardApiErrorCode, message: string): FastifyReply {
    return reply.code(DASHBOARD_API_ERRORS[code].status).headers(securityHeaders('data')).type('application/json; charset=utf-8').send({ error: { code, message } });
  }

  function sendLogin(request: FastifyRequest, reply: FastifyReply, status: number, error: string | null): FastifyReply {
    const { nonce, token } = guard.issueLoginToken();
    return reply
      .code(status)
      .headers(securityHeaders('page'))
      .header('set-cookie', dashboardCookie(SIGN_IN_COOKIE, nonce, basePath, secure(request), 3600))
      .type('text/html; charset=utf-8')
      .send(renderLoginPage(basePath, token, error));
  }

  function controlsOf(query: Record<string, unknown>): DashboardControls {
    const today = dayOf(now());
    const from = one(query.from);
    const to = one(query.to);
    const epsilon = one(query.epsilon)?.trim() ?? '';
    const granularity = one(query.granularity);
    const measure = one(query.measure);
    const defaultTo = validDay(to) ? to : today;
    return {
      from: validDay(from) ? from : dayOf(Date.parse(`${defaultTo}T00:00:00Z`) - (options.rangeDays - 1) * DAY_MS),
      to: defaultTo,
      granularity: granularity === 'week' ? 'week' : granularity === 'day' ? 'day' : config.defaults.granularity,
      measure: measure === 'installs' ? 'installs' : 'events',
      epsilon: query.epsilon === undefined ? (config.defaults.epsilon === null ? '' : String(config.defaults.epsilon)) : /^\d*\.?\d+$/.test(epsilon) ? epsilon : '',
    };
  }

  /** Asks the collector's own `/v1/stats` route, in process, with the admin token. */
  function askStats(path: string, params: URLSearchParams, accept: string | undefined, ip: string): Promise<LightMyRequestResponse> {
    const outgoing = new URLSearchParams();
    for (const name of STATS_PARAMS) for (const value of params.getAll(name)) outgoing.append(name, value);
    // Through the collector's route: the same parsing, release rules, privacy budget and rate
    // limit (keyed by this client's address) as any caller of /v1/stats.
    return app.inject({
      method: 'GET',
      url: `${path}?${outgoing.toString()}`,
      headers: { authorization: `Bearer ${options.adminToken}`, ...(accept === undefined ? {} : { accept }) },
      remoteAddress: ip,
    });
  }

  /**
   * Starts the queries the page is about to send, so that the collector answers them while the
   * browser loads and runs the page. Not with noise: a query the page then never sends would
   * have spent privacy budget for nothing.
   */
  function prefetch(request: FastifyRequest, csrf: string, controls: DashboardControls): void {
    if (controls.epsilon !== '' || config.defaults.epsilon !== null || controls.from > controls.to) return;
    const c = { from: controls.from, to: controls.to, granularity: controls.granularity, epsilon: null };
    for (const chart of config.sections.flatMap((s) => s.charts)) {
      for (const q of chartQueries(chart, c, config.defaults)) {
        const path = q.path === 'stats' ? PATHS.stats : `${PATHS.stats}/active`;
        prefetched.put(`${csrf}|${path}?${q.query}`, askStats(path, new URLSearchParams(q.query), 'application/json', request.ip));
      }
    }
  }

  async function proxyStats(request: FastifyRequest, reply: FastifyReply, path: string): Promise<FastifyReply> {
    const { session } = sessionOf(request);
    if (session === undefined) return sendJsonError(reply, 'SESSION_REQUIRED', `sign in at ${basePath}/login to read statistics`);
    const at = request.url.indexOf('?');
    const raw = at < 0 ? '' : request.url.slice(at + 1, at + 4097);
    const accept = one(request.headers.accept);
    const answer = (accept === 'application/json' ? prefetched.take(`${session.csrf}|${path}?${raw}`) : undefined) ?? askStats(path, new URLSearchParams(raw), accept, request.ip);
    const res = await answer;
    const pass: Record<string, string> = {};
    for (const h of ['content-type', 'content-disposition', 'retry-after']) {
      const v = res.headers[h];
      if (typeof v === 'string' || typeof v === 'number') pass[h] = String(v);
    }
    return reply.code(res.statusCode).headers(securityHeaders('data')).headers(pass).send(res.rawPayload);
  }

  void app.register(
    async (scope) => {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      });

      scope.get('/', async (request, reply) => {
        const { session } = sessionOf(request);
        if (session === undefined) return reply.code(303).headers(securityHeaders('page')).header('location', `${basePath}/login`).send();
        try {
          await assets();
        } catch (error) {
          return reply.code(503).headers(securityHeaders('page')).type('text/plain; charset=utf-8').send(`The dashboard is unavailable: ${(error as Error).message}`);
        }
        const controls = controlsOf(request.query as Record<string, unknown>);
        prefetch(request, session.csrf, controls);
        const page = renderDashboardPage(config, controls, session.csrf, basePath);
        return reply.code(200).headers(securityHeaders('page')).type('text/html; charset=utf-8').send(page);
      });

      scope.get('/login', async (request, reply) => {
        if (sessionOf(request).session !== undefined) return reply.code(303).headers(securityHeaders('page')).header('location', basePath).send();
        return sendLogin(request, reply, 200, null);
      });

      scope.post('/login', async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, unknown>;
        const crossSite = crossSiteReason(originFacts(request));
        if (crossSite !== null) return sendLogin(request, reply, DASHBOARD_API_ERRORS.CSRF_REJECTED.status, `Refused: ${crossSite}.`);
        if (!guard.loginTokenValid(readCookie(request.headers.cookie, SIGN_IN_COOKIE), one(body.csrf))) {
          return sendLogin(request, reply, DASHBOARD_API_ERRORS.CSRF_REJECTED.status, 'The sign-in form had expired or came without its token. Try again.');
        }
        const wait = guard.blockedForSeconds(request.ip);
        if (wait > 0) return sendLogin(request, reply.header('retry-after', String(wait)), DASHBOARD_API_ERRORS.SIGN_IN_RATE_LIMITED.status, `Too many failed sign-ins. Try again in ${wait} s.`);
        if (!guard.isAdminToken(one(body.token) ?? '')) {
          guard.recordFailure(request.ip);
          return sendLogin(request, reply, DASHBOARD_API_ERRORS.SIGN_IN_REFUSED.status, 'That is not the admin token of this collector.');
        }
        const { id } = sessions.create();
        return reply
          .code(303)
          .headers(securityHeaders('page'))
          .header('set-cookie', [dashboardCookie(SESSION_COOKIE, id, basePath, secure(request), options.sessionTtlMs / 1000), dashboardCookie(SIGN_IN_COOKIE, '', basePath, secure(request), 0)])
          .header('location', basePath)
          .send();
      });

      scope.post('/logout', async (request, reply) => {
        const { id, session } = sessionOf(request);
        const body = (request.body ?? {}) as Record<string, unknown>;
        if (session !== undefined) {
          const crossSite = crossSiteReason(originFacts(request));
          const token = one(body.csrf);
          if (crossSite !== null || token === undefined || !sameText(token, session.csrf)) {
            return sendJsonError(reply, 'CSRF_REJECTED', crossSite ?? 'the sign-out form came without its CSRF token; reload the page');
          }
          sessions.delete(id);
        }
        return reply.code(303).headers(securityHeaders('page')).header('set-cookie', dashboardCookie(SESSION_COOKIE, '', basePath, secure(request), 0)).header('location', `${basePath}/login`).send();
      });

      scope.get('/assets/:file', async (request, reply) => {
        let loaded;
        try {
          loaded = await assets();
        } catch (error) {
          return sendJsonError(reply, 'ASSETS_UNAVAILABLE', (error as Error).message);
        }
        const a = loaded.get((request.params as { file: string }).file);
        if (a === undefined) return reply.callNotFound();
        reply.headers(securityHeaders('asset')).header('etag', a.etag);
        if (request.headers['if-none-match'] === a.etag) return reply.code(304).send();
        return reply.code(200).type(a.type).send(a.body);
      });

      scope.get('/api/stats', (request, reply) => proxyStats(request, reply, PATHS.stats));
      scope.get('/api/stats/active', (request, reply) => proxyStats(request, reply, `${PATHS.stats}/active`));
    },
    { prefix: basePath },
  );
}
