import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartQueries } from '../src/dashboard/chart-queries.js';
import { DASHBOARD_API_ERRORS, DashboardConfigError, resolveDashboardOptions, SESSION_COOKIE, SIGN_IN_COOKIE, type DashboardConfig } from '../src/dashboard/index.js';
import { DASHBOARD_ADMIN_TOKEN, startDashboardCollector, type DashboardCollector } from './dashboard-harness.js';

const HOUR = 3_600_000;
let clockOffsetMs = 0;
const now = (): number => Date.now() + clockOffsetMs;
let c: DashboardCollector;

beforeAll(async () => {
  c = await startDashboardCollector({ installs: 40, days: 10, now });
});
afterAll(async () => {
  await c?.close();
});

function cookieValue(setCookie: string | string[] | undefined, name: string): string | undefined {
  for (const line of [setCookie ?? []].flat()) {
    const m = new RegExp(`^${name}=([^;]*)`).exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/** Opens the sign-in form: its cookie and CSRF token. */
async function signInForm(): Promise<{ nonce: string; csrf: string }> {
  const res = await c.app.inject({ url: '/dashboard/login' });
  expect(res.statusCode).toBe(200);
  return { nonce: cookieValue(res.headers['set-cookie'], SIGN_IN_COOKIE)!, csrf: /name="csrf" value="([^"]+)"/.exec(res.body)![1]! };
}

function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') {
  return c.app.inject({ method: 'POST', url: path, remoteAddress, headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'collector.test', ...headers }, payload: new URLSearchParams(form).toString() });
}

/** Signs in and returns the session cookie and the page's sign-out token. */
async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const f = await signInForm();
  const res = await post('/dashboard/login', { csrf: f.csrf, token: DASHBOARD_ADMIN_TOKEN }, { cookie: `${SIGN_IN_COOKIE}=${f.nonce}`, origin: 'http://collector.test', 'sec-fetch-site': 'same-origin' });
  expect(res.statusCode).toBe(303);
  const cookie = `${SESSION_COOKIE}=${cookieValue(res.headers['set-cookie'], SESSION_COOKIE)!}`;
  const page = await c.app.inject({ url: '/dashboard', headers: { cookie } });
  expect(page.statusCode).toBe(200);
  return { cookie, csrf: /action="\/dashboard\/logout"><input type="hidden" name="csrf" value="([^"]+)"/.exec(page.body)![1]! };
}

describe('dashboard access', () => {
  it('refuses the page and every query without a session, even with the admin bearer token', async () => {
    const page = await c.app.inject({ url: '/dashboard' });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/dashboard/login');
    expect(page.body).not.toContain('candor-dashboard-config');
    for (const url of ['/dashboard/api/stats?event=server.daily', '/dashboard/api/stats/active?granularity=day', '/dashboard/api/stats?event=client.session&groupBy=deviceType&format=csv']) {
      for (const headers of [{}, { authorization: `Bearer ${DASHBOARD_ADMIN_TOKEN}` }, { cookie: `${SESSION_COOKIE}=${'A'.repeat(43)}` }]) {
        const res = await c.app.inject({ url, headers });
        expect(res.statusCode, `${url} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.json().error.code).toBe('SESSION_REQUIRED');
        expect(res.body).not.toContain('"cells"');
      }
    }
  });

  it('signs in with the admin token into an HttpOnly, SameSite=Strict session and serves the page under a strict CSP', async () => {
    const f = await signInForm();
    const res = await post('/dashboard/login', { csrf: f.csrf, token: DASHBOARD_ADMIN_TOKEN }, { cookie: `${SIGN_IN_COOKIE}=${f.nonce}`, origin: 'http://collector.test' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/dashboard');
    const line = [res.headers['set-cookie']].flat().find((l) => l!.startsWith(`${SESSION_COOKIE}=`))!;
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Strict/);
    expect(line).toMatch(/; Path=\/dashboard/);
    expect(line).not.toMatch(/Secure/); // plain http here; 'auto' sets it behind TLS
    const id = cookieValue(res.headers['set-cookie'], SESSION_COOKIE)!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const page = await c.app.inject({ url: '/dashboard', headers: { cookie: `${SESSION_COOKIE}=${id}` } });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(page.headers['x-frame-options']).toBe('DENY');
    // The only script elements: the module from /dashboard/assets and the JSON data block.
    const scripts = [...page.body.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(2);
    expect(scripts.every((a) => / src="\/dashboard\/assets\//.test(a) || /type="application\/json"/.test(a))).toBe(true);
    expect(page.body).not.toContain(DASHBOARD_ADMIN_TOKEN);
  });

  it('refuses a wrong token, a missing or forged CSRF token, and posts from another site', async () => {
    const f = await signInForm();
    const other = await signInForm();
    const cookie = `${SIGN_IN_COOKIE}=${f.nonce}`;
    const cases: [string, Record<string, string>, Record<string, string>, number][] = [
      ['wrong token', { csrf: f.csrf, token: 'not-the-token' }, { cookie }, 401],
      ['no csrf field', { token: DASHBOARD_ADMIN_TOKEN }, { cookie }, 403],
      ['no sign-in cookie', { csrf: f.csrf, token: DASHBOARD_ADMIN_TOKEN }, {}, 403],
      ["another form's token", { csrf: other.csrf, token: DASHBOARD_ADMIN_TOKEN }, { cookie }, 403],
      ['another origin', { csrf: f.csrf, token: DASHBOARD_ADMIN_TOKEN }, { cookie, origin: 'https://evil.example' }, 403],
      ['a cross-site page', { csrf: f.csrf, token: DASHBOARD_ADMIN_TOKEN }, { cookie, 'sec-fetch-site': 'cross-site' }, 403],
      ['an opaque origin', { csrf: f.csrf, token: DASHBOARD_ADMIN_TOKEN }, { cookie, origin: 'null' }, 403],
    ];
    for (const [name, form, headers, status] of cases) {
      const res = await post('/dashboard/login', form, headers);
      expect(res.statusCode, name).toBe(status);
      expect(cookieValue(res.headers['set-cookie'], SESSION_COOKIE), name).toBeUndefined();
      expect(res.body, name).toContain('role="alert"');
    }
  });

  it('makes a client wait after ten failed sign-ins, even with the right token', async () => {
    const client = '198.51.100.7';
    for (let i = 0; i < 10; i++) {
      const f = await signInForm();
      expect((await post('/dashboard/login', { csrf: f.csrf, token: `wrong-${i}` }, { cookie: `${SIGN_IN_COOKIE}=${f.nonce}` }, client)).statusCode).toBe(401);
    }
    const f = await signInForm();
    const res = await post('/dashboard/login', { csrf: f.csrf, token: DASHBOARD_ADMIN_TOKEN }, { cookie: `${SIGN_IN_COOKIE}=${f.nonce}` }, client);
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Another client is not held up.
    expect((await post('/dashboard/login', { csrf: f.csrf, token: DASHBOARD_ADMIN_TOKEN }, { cookie: `${SIGN_IN_COOKIE}=${f.nonce}` }, '198.51.100.8')).statusCode).toBe(303);
    clockOffsetMs += 15 * 60_000; // the window ends
    const g = await signInForm();
    expect((await post('/dashboard/login', { csrf: g.csrf, token: DASHBOARD_ADMIN_TOKEN }, { cookie: `${SIGN_IN_COOKIE}=${g.nonce}` }, client)).statusCode).toBe(303);
  });

  it('answers a session with exactly what /v1/stats answers, JSON and CSV, ignoring parameters it does not take', async () => {
    const { cookie } = await signIn();
    const queries = [
      '?event=client.session&groupBy=deviceType&granularity=day',
      '?event=playback.session&groupBy=decision&granularity=week',
      '?event=crash.report&groupBy=errorType',
    ];
    for (const q of queries) {
      const direct = await c.stats(`/v1/stats${q}`);
      const viaDashboard = await c.app.inject({ url: `/dashboard/api/stats${q}&unknown=1&authorization=x`, headers: { cookie } });
      expect(viaDashboard.statusCode).toBe(200);
      expect(viaDashboard.json()).toEqual(JSON.parse(direct.body));
      const csv = await c.app.inject({ url: `/dashboard/api/stats${q}&format=csv`, headers: { cookie } });
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toMatch(/^attachment; filename=".+\.csv"$/);
      expect(csv.body).toBe((await c.stats(`/v1/stats${q}&format=csv`)).body);
    }
    const active = await c.app.inject({ url: '/dashboard/api/stats/active?granularity=week', headers: { cookie } });
    expect(active.json()).toEqual(JSON.parse((await c.stats('/v1/stats/active?granularity=week')).body));
    const bad = await c.app.inject({ url: '/dashboard/api/stats?event=nope', headers: { cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_QUERY');
  });

  it('starts the page\'s queries with the page, and answers each of the page\'s requests with one of them, once', async () => {
    const counted = async (): Promise<number> => {
      const text = (await c.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${DASHBOARD_ADMIN_TOKEN}` } })).body;
      return [...text.matchAll(/^candor_stats_queries_total\{[^}]*\} (\d+)$/gm)].reduce((s, m) => s + Number(m[1]), 0);
    };
    const before = await counted();
    const { cookie } = await signIn(); // its page load starts the 19 queries of the default range
    const page = await c.app.inject({ url: '/dashboard?from=2026-11-01&to=2026-11-20&granularity=week', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    const config = JSON.parse(/<script type="application\/json" id="candor-dashboard-config">(.*?)<\/script>/s.exec(page.body)![1]!) as DashboardConfig;
    const controls = { from: '2026-11-01', to: '2026-11-20', granularity: 'week' as const, epsilon: null };
    const queries = config.sections.flatMap((s) => s.charts).flatMap((chart) => chartQueries(chart, controls, config.defaults));
    expect(queries.length).toBe(19);
    // Both page loads' queries run to completion whether or not anyone asks for them.
    await expect.poll(async () => (await counted()) - before, { timeout: 30_000 }).toBe(2 * queries.length);
    const started = await counted();
    for (const q of queries) {
      const res = await c.app.inject({ url: `/dashboard/api/${q.path}?${q.query}`, headers: { cookie, accept: 'application/json' } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(JSON.parse((await c.stats(`/v1/${q.path}?${q.query}`)).body));
    }
    // Each page request took its prefetched answer: only the direct comparisons were counted anew.
    expect((await counted()) - started).toBe(queries.length);
    // Taken once: asking again runs the query again.
    await c.app.inject({ url: `/dashboard/api/${queries[0]!.path}?${queries[0]!.query}`, headers: { cookie, accept: 'application/json' } });
    expect((await counted()) - started).toBe(queries.length + 1);
  });

  it('ends a session on sign-out with its CSRF token, and after its lifetime', async () => {
    const a = await signIn();
    const refused = await post('/dashboard/logout', {}, { cookie: a.cookie });
    expect(refused.statusCode).toBe(403);
    expect((await c.app.inject({ url: '/dashboard/api/stats?event=server.daily', headers: { cookie: a.cookie } })).statusCode).toBe(200);
    const out = await post('/dashboard/logout', { csrf: a.csrf }, { cookie: a.cookie, origin: 'http://collector.test' });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/dashboard/login');
    expect([out.headers['set-cookie']].flat().join('\n')).toContain(`${SESSION_COOKIE}=; Path=/dashboard; Max-Age=0`);
    expect((await c.app.inject({ url: '/dashboard/api/stats?event=server.daily', headers: { cookie: a.cookie } })).statusCode).toBe(401);

    const b = await signIn();
    clockOffsetMs += 8 * HOUR - 60_000;
    expect((await c.app.inject({ url: '/dashboard/api/stats?event=server.daily', headers: { cookie: b.cookie } })).statusCode).toBe(200);
    clockOffsetMs += 60_000;
    expect((await c.app.inject({ url: '/dashboard/api/stats?event=server.daily', headers: { cookie: b.cookie } })).statusCode).toBe(401);
    expect((await c.app.inject({ url: '/dashboard', headers: { cookie: b.cookie } })).statusCode).toBe(303);
  });

  it('answers malformed and oversized sign-in, sign-out and page requests with 3xx/4xx, never a 5xx or a session', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const cases = [
      { method: 'POST' as const, url: '/dashboard/login', headers: { 'content-type': 'text/plain' }, payload: 'token=x' },
      { method: 'POST' as const, url: '/dashboard/login', headers: form, payload: 'a='.repeat(5000) },
      { method: 'POST' as const, url: '/dashboard/login', headers: form, payload: '%%%&&=' },
      { method: 'POST' as const, url: '/dashboard/login', headers: { 'content-type': 'application/json' }, payload: `{"token":["${DASHBOARD_ADMIN_TOKEN}"],"csrf":{"x":1}}` },
      { method: 'POST' as const, url: '/dashboard/login', headers: form, payload: `token=${DASHBOARD_ADMIN_TOKEN}&token=b&csrf=x&__proto__=1` },
      { method: 'POST' as const, url: '/dashboard/logout', headers: { 'content-type': 'application/json' }, payload: 'nope' },
      { method: 'GET' as const, url: `/dashboard/api/stats?${'x'.repeat(10_000)}`, headers: {} },
      { method: 'GET' as const, url: '/dashboard/assets/..%2F..%2F..%2Fetc%2Fpasswd', headers: {} },
      { method: 'GET' as const, url: '/dashboard?from=9999-99-99&epsilon=abc&granularity[]=x', headers: { cookie: `${SESSION_COOKIE}=${'a'.repeat(5000)}` } },
    ];
    for (const req of cases) {
      const r = await c.app.inject(req);
      const name = `${req.method} ${req.url.slice(0, 60)}`;
      expect(r.statusCode, name).toBeGreaterThanOrEqual(300);
      expect(r.statusCode, name).toBeLessThan(500);
      expect(cookieValue(r.headers['set-cookie'], SESSION_COOKIE) ?? '', name).toBe('');
    }
  });

  it('serves its assets without a session and answers If-None-Match with 304', async () => {
    for (const file of ['dashboard.js', 'dashboard.css']) {
      const res = await c.app.inject({ url: `/dashboard/assets/${file}` });
      expect(res.statusCode).toBe(200);
      expect(res.body.length).toBeGreaterThan(1000);
      const again = await c.app.inject({ url: `/dashboard/assets/${file}`, headers: { 'if-none-match': String(res.headers.etag) } });
      expect(again.statusCode).toBe(304);
    }
    expect((await c.app.inject({ url: '/dashboard/assets/..%2Fregister-dashboard.ts' })).statusCode).toBe(404);
  });
});

describe('dashboard options and documentation', () => {
  it('refuses options without an admin token or with bad values, naming the option', () => {
    for (const [options, name] of [
      [{}, 'adminToken'],
      [{ adminToken: ' ' }, 'adminToken'],
      [{ adminToken: 't', basePath: 'dashboard' }, 'basePath'],
      [{ adminToken: 't', epsilon: -1 }, 'epsilon'],
      [{ adminToken: 't', sessionTtlMs: 0 }, 'sessionTtlMs'],
    ] as const) {
      let error: unknown;
      try {
        resolveDashboardOptions(options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DashboardConfigError);
      expect((error as DashboardConfigError).code).toBe('DASHBOARD_INVALID_OPTION');
      expect((error as Error).message).toContain(name);
    }
  });

  it('documents every error code of its own endpoints in docs/dashboard.md', () => {
    const doc = readFileSync(new URL('../../../docs/dashboard.md', import.meta.url), 'utf8');
    for (const code of Object.keys(DASHBOARD_API_ERRORS)) expect(doc, code).toContain(`\`${code}\``);
  });
});
