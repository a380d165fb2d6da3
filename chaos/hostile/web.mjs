// The web surfaces: the privacy tab (in a host's web server) and the vendor dashboard (on the
// collector). Clickjacking: every page must forbid framing by other origins, and a real
// Chromium must refuse to render them inside an attacker's page. CSRF: every change must be
// refused without the token or from another site, checked over HTTP and from an attacker's
// page in the browser. Prototype pollution: __proto__ and constructor.prototype through every
// JSON (and form) input, then a look at Object.prototype inside the process over IPC.
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { dayOf } from '@candor/protocol';
import { PRIVACY_TAB_API_ERRORS } from '@candor/web';
import { hex, httpRequest, postBatch, validBatch } from '../lib/http.mjs';
import { HOST_SESSION } from '../lib/host-session.mjs';
import { sleep } from '../lib/util.mjs';
import { codeOf, judgeRefusal } from './verdicts.mjs';

const cookieOf = (res, name) => {
  const list = [res.headers['set-cookie'] ?? []].flat();
  const c = list.find((x) => x.startsWith(`${name}=`));
  return c ? c.split(';')[0] : null;
};

function frameHeaders(res, want) {
  const xfo = String(res.headers['x-frame-options'] ?? '').toUpperCase();
  const csp = String(res.headers['content-security-policy'] ?? '');
  const ancestors = /frame-ancestors ([^;]+)/.exec(csp)?.[1]?.trim() ?? '(none)';
  const ok = want === 'none' ? xfo === 'DENY' && ancestors === "'none'" : (xfo === 'DENY' || xfo === 'SAMEORIGIN') && (ancestors === "'none'" || ancestors === "'self'");
  return { ok, why: `X-Frame-Options ${xfo || '(none)'}, frame-ancestors ${ancestors}` };
}

/**
 * CSRF and clickjacking over HTTP against the privacy tab and the dashboard.
 * @param {{ tab: string, dashboard: string, adminToken: string, ipc: (cmd: string, args?: object) => Promise<any> }} o
 */
export async function csrfAndFraming(o) {
  const checks = [];
  const check = (name, verdict) => checks.push({ name, ok: verdict.ok, why: verdict.why });
  const admin = { cookie: HOST_SESSION };
  const json = (body) => ({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(JSON.stringify(body))) });
  const tabHost = new URL(o.tab).host;

  // Privacy tab: framing.
  check('privacy tab page forbids framing by other origins', frameHeaders(await httpRequest({ url: `${o.tab}/`, headers: admin }), 'self'));
  check('privacy tab API answers forbid all framing', frameHeaders(await httpRequest({ url: `${o.tab}/api/consent`, headers: admin }), 'none'));

  // Privacy tab: a real token to make the forgeries as close as they can get.
  const session = await httpRequest({ url: `${o.tab}/api/session`, headers: admin });
  const token = JSON.parse(session.text).csrfToken;
  const csrfCookie = cookieOf(session, 'candor_csrf');
  const off = { category: 'playback', on: false };
  const tabErrors = { extra: PRIVACY_TAB_API_ERRORS };
  const forged = [
    ['no CSRF token at all', { ...admin }, 'CSRF_REJECTED'],
    ['no token, from another origin', { ...admin, origin: 'http://evil.example' }, 'CSRF_REJECTED'],
    ['the right token and cookie, from another origin', { cookie: `${HOST_SESSION}; ${csrfCookie}`, 'x-candor-csrf': token, origin: 'http://evil.example' }, 'CSRF_REJECTED'],
    ['the right token and cookie, Sec-Fetch-Site: cross-site', { cookie: `${HOST_SESSION}; ${csrfCookie}`, 'x-candor-csrf': token, 'sec-fetch-site': 'cross-site' }, 'CSRF_REJECTED'],
    ['the right token and cookie, Sec-Fetch-Site: same-site', { cookie: `${HOST_SESSION}; ${csrfCookie}`, 'x-candor-csrf': token, 'sec-fetch-site': 'same-site' }, 'CSRF_REJECTED'],
    ['the right token and cookie, an opaque origin', { cookie: `${HOST_SESSION}; ${csrfCookie}`, 'x-candor-csrf': token, origin: 'null' }, 'CSRF_REJECTED'],
    ['a header token that does not match the cookie', { cookie: `${HOST_SESSION}; ${csrfCookie}`, 'x-candor-csrf': `${token.split('.')[0]}.${hex(16)}` }, 'CSRF_REJECTED'],
    ['a forged cookie and header pair', { cookie: `${HOST_SESSION}; candor_csrf=abc.def`, 'x-candor-csrf': 'abc.def' }, 'CSRF_REJECTED'],
    ['the token without the admin session', { cookie: csrfCookie, 'x-candor-csrf': token }, 'UNAUTHORIZED'],
  ];
  for (const [name, headers, code] of forged) {
    for (const [path, body] of [
      ['/api/consent', off],
      ['/api/delete', {}],
      ['/api/integrations', { id: 'plex-style-webhook', on: true }],
    ]) {
      const res = await httpRequest({ url: `${o.tab}${path}`, method: 'POST', headers: { ...json(body), ...headers }, body: JSON.stringify(body) });
      check(`privacy tab ${path}: ${name}`, judgeRefusal(res, { codes: [code], ...tabErrors }));
    }
  }
  // A simple cross-site form post (text/plain needs no preflight).
  const formPost = await httpRequest({ url: `${o.tab}/api/delete`, method: 'POST', headers: { ...admin, 'content-type': 'text/plain', origin: 'http://evil.example', 'content-length': '2' }, body: '{}' });
  check('privacy tab /api/delete: a text/plain form post from another site', judgeRefusal(formPost, { codes: ['CSRF_REJECTED'], ...tabErrors }));
  // The control: the same change with the token, from the page's own origin, is accepted.
  const control = await httpRequest({ url: `${o.tab}/api/consent`, method: 'POST', headers: { ...json({ category: 'marketing', on: true }), cookie: `${HOST_SESSION}; ${csrfCookie}`, 'x-candor-csrf': token, origin: `http://${tabHost}` }, body: JSON.stringify({ category: 'marketing', on: true }) });
  check('privacy tab: the same change with its token from its own page is accepted (control)', { ok: control.status === 200, why: `${control.status}` });
  const state = await o.ipc('tab');
  check('privacy tab: no forged request changed anything', { ok: state.consent.playback.granted === true && state.deletions === 0, why: `playback ${state.consent.playback.granted ? 'on' : 'off'}, ${state.deletions} deletion request(s) in the sent log` });

  // Dashboard: framing, then its forms.
  const login = await httpRequest({ url: `${o.dashboard}/login` });
  check('dashboard sign-in page forbids all framing', frameHeaders(login, 'none'));
  const nonce = cookieOf(login, 'candor_dashboard_sign_in');
  const formToken = /name="csrf" value="([^"]+)"/.exec(login.text)?.[1] ?? '';
  const form = (fields) => new URLSearchParams(fields).toString();
  const post = (path, fields, headers) => {
    const body = form(fields);
    return httpRequest({ url: `${o.dashboard}${path}`, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), ...headers }, body });
  };
  const dashHost = new URL(o.dashboard).host;
  // Sign in for real first (the failed sign-ins below lock this client out).
  const signedIn = await post('/login', { csrf: formToken, token: o.adminToken }, { cookie: nonce, origin: `http://${dashHost}` });
  const sessionCookie = cookieOf(signedIn, 'candor_dashboard_session');
  check('dashboard: signing in with the token and the form token works (control)', { ok: signedIn.status === 303 && sessionCookie !== null, why: `${signedIn.status}` });
  const page = await httpRequest({ url: o.dashboard, headers: { cookie: sessionCookie } });
  check('dashboard page forbids all framing', frameHeaders(page, 'none'));
  const htmlRefusal = (res, status) => ({ ok: res.status === status && cookieOf(res, 'candor_dashboard_session') === null, why: `${res.status}${cookieOf(res, 'candor_dashboard_session') ? ' and a session cookie' : ''}` });
  check('dashboard sign-in without the form token', htmlRefusal(await post('/login', { token: o.adminToken }, { cookie: nonce }), 403));
  check('dashboard sign-in from another origin', htmlRefusal(await post('/login', { csrf: formToken, token: o.adminToken }, { cookie: nonce, origin: 'http://evil.example' }), 403));
  check('dashboard sign-in, Sec-Fetch-Site: cross-site', htmlRefusal(await post('/login', { csrf: formToken, token: o.adminToken }, { cookie: nonce, 'sec-fetch-site': 'cross-site' }), 403));
  check('dashboard sign-in with a form token from another nonce', htmlRefusal(await post('/login', { csrf: formToken, token: o.adminToken }, { cookie: 'candor_dashboard_sign_in=AAAAAAAAAAAAAAAAAAAAAAAA' }), 403));
  check('dashboard sign-out without its token', judgeRefusal(await post('/logout', {}, { cookie: sessionCookie }), { codes: ['CSRF_REJECTED'], extra: { CSRF_REJECTED: { status: 403 } } }));
  check('dashboard sign-out from another origin', judgeRefusal(await post('/logout', { csrf: 'x' }, { cookie: sessionCookie, origin: 'http://evil.example' }), { codes: ['CSRF_REJECTED'], extra: { CSRF_REJECTED: { status: 403 } } }));
  const stillIn = await httpRequest({ url: `${o.dashboard}/api/stats?event=client.session`, headers: { cookie: sessionCookie } });
  check('dashboard: the session survived the forged sign-outs', { ok: stillIn.status === 200, why: `${stillIn.status}` });
  check('dashboard statistics without a session', judgeRefusal(await httpRequest({ url: `${o.dashboard}/api/stats?event=client.session` }), { codes: ['SESSION_REQUIRED'], extra: { SESSION_REQUIRED: { status: 401 } } }));
  // Guessing the admin token at the sign-in form: refused, then locked out.
  const failures = [];
  for (let i = 0; i < 11; i++) failures.push((await post('/login', { csrf: formToken, token: `guess-${hex(12)}` }, { cookie: nonce })).status);
  check('dashboard sign-in with wrong tokens: refused, then locked out', { ok: failures.slice(0, 10).every((s) => s === 401) && failures[10] === 429, why: failures.join(' ') });
  return checks;
}

/**
 * The same attacks from a real Chromium: an attacker's pages (another site) frame the privacy
 * tab and the dashboard, and post forms to the tab's change endpoints with the owner signed in.
 * @param {{ tabOrigin: string, dashboardOrigin: string, ipc: (cmd: string) => Promise<any> }} o
 */
export async function browserAttacks(o) {
  const checks = [];
  const attacker = createServer((req, res) => {
    const tab = `${o.tabOrigin}/privacy`;
    const pages = {
      '/frame-tab.html': `<!doctype html><iframe id="t" src="${tab}/" width="800" height="600"></iframe>`,
      '/frame-dashboard.html': `<!doctype html><iframe id="d" src="${o.dashboardOrigin}/dashboard/login" width="800" height="600"></iframe>`,
      '/csrf.html': `<!doctype html>
<iframe name="sink" style="display:none"></iframe>
<form id="a" method="POST" action="${tab}/api/delete" enctype="text/plain" target="sink"><input name='{"x":"' value='"}'></form>
<form id="b" method="POST" action="${tab}/api/consent" enctype="text/plain" target="sink"><input name='{"category":"playback","on":false,"x":"' value='"}'></form>
<script>
document.getElementById('a').submit();
setTimeout(() => document.getElementById('b').submit(), 300);
fetch('${tab}/api/delete', { method: 'POST', credentials: 'include', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{}' });
fetch('${tab}/api/consent', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json', 'x-candor-csrf': 'guess' }, body: '{"category":"playback","on":false}' }).catch(() => {});
</script>`,
    };
    const body = pages[req.url];
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html' });
    res.end(body ?? 'no');
  });
  await new Promise((resolve) => attacker.listen(0, '::', resolve));
  const port = attacker.address().port;
  // Another site than each target: 127.0.0.1 against the tab on localhost, localhost against the dashboard on 127.0.0.1.
  const tabAttacker = `http://127.0.0.1:${port}`;
  const dashAttacker = `http://localhost:${port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'], timeout: 60_000 });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    // The owner is signed in to the host (its cookie carries no SameSite attribute).
    await page.goto(`${o.tabOrigin}/host-login`);
    const before = await o.ipc('tab');
    for (const [name, url, marker] of [
      ['privacy tab', `${tabAttacker}/frame-tab.html`, 'candor-privacy-tab'],
      ['dashboard sign-in', `${dashAttacker}/frame-dashboard.html`, 'form'],
    ]) {
      await page.goto(url);
      await sleep(1500);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      let rendered = false;
      try {
        rendered = frame ? await frame.evaluate((m) => globalThis.document.querySelector(m) !== null, marker) : false;
      } catch {
        rendered = false;
      }
      checks.push({ name: `Chromium refuses to render the ${name} in another site's frame`, ok: !rendered, why: `frame at ${frame?.url() ?? '(none)'}; content ${rendered ? 'rendered' : 'not rendered'}` });
    }
    await page.goto(`${tabAttacker}/csrf.html`);
    await sleep(2500);
    const after = await o.ipc('tab');
    const posts = after.responses.slice(before.responses.length).filter((r) => r.method === 'POST');
    checks.push({
      name: "Chromium: an attacker's forms and fetches change nothing in the privacy tab",
      ok: posts.length > 0 && posts.every((r) => r.status === 403 || r.status === 401) && after.deletions === before.deletions && after.consent.playback.granted === before.consent.playback.granted,
      why: `${posts.length} cross-site POSTs reached the tab, answered ${[...new Set(posts.map((r) => r.status))].join(', ') || '-'}; deletions ${before.deletions} → ${after.deletions}, playback ${after.consent.playback.granted ? 'on' : 'off'}`,
    });
  } finally {
    await browser.close();
    await new Promise((resolve) => attacker.close(resolve));
  }
  return checks;
}

/**
 * __proto__ and constructor.prototype through every JSON (and form) input of the collector,
 * the dashboard, the privacy tab and the SDK; then Object.prototype is inspected inside the
 * process, and every part must still work.
 * @param {{ collector: string, tab: string, dashboard: string, adminToken: string, ipc: (cmd: string, args?: object) => Promise<any> }} o
 */
export async function prototypePollution(o) {
  const keys = ['polluted', 'isAdmin', 'authorized'];
  const day = dayOf(Date.now());
  const proto = '{"polluted":"yes","isAdmin":true,"authorized":true}';
  const inject = (json, where) => json.replace(where, (m) => `${m}"__proto__":${proto},"constructor":{"prototype":${proto}},`);
  const b = JSON.stringify(validBatch(day));
  const bodies = [
    inject(b, /^\{/),
    inject(b, /"catalog":\{/),
    inject(b, /"events":\[\{/),
    inject(b, /"fields":\{/),
    b.replace(/^\{/, `{"__proto__":${proto},`),
    `{"constructor":{"prototype":${proto}}}`,
    `[{"__proto__":${proto}}]`,
  ];
  const sent = [];
  const send = async (name, req) => sent.push({ name, res: await httpRequest(req) });
  for (const [i, body] of bodies.entries()) {
    for (const gzip of [false, true]) {
      const raw = gzip ? gzipSync(body) : Buffer.from(body);
      await send(`collector /v1/batches #${i}${gzip ? ' gzip' : ''}`, { url: `${o.collector}/v1/batches`, method: 'POST', headers: { 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}), 'content-length': String(raw.length) }, body: raw });
    }
  }
  for (const kind of ['delete', 'export']) {
    for (const body of [`{"__proto__":${proto},"catalogId":"media-server","pseudonyms":["${hex(32)}"]}`, `{"constructor":{"prototype":${proto}},"catalogId":"media-server","pseudonyms":["${hex(32)}"]}`, `{"catalogId":"media-server","pseudonyms":["${hex(32)}"],"categories":["__proto__"]}`]) {
      await send(`collector /v1/subjects/${kind}`, { url: `${o.collector}/v1/subjects/${kind}`, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, body });
    }
  }
  for (const q of ['__proto__[polluted]=yes&event=client.session', 'constructor[prototype][polluted]=yes&event=client.session', 'event=__proto__', 'event=client.session&groupBy=__proto__', 'event=client.session&groupBy=constructor']) {
    await send(`collector /v1/stats?${q}`, { url: `${o.collector}/v1/stats?${q}`, headers: { authorization: `Bearer ${o.adminToken}` } });
  }
  // The dashboard's forms (urlencoded).
  const login = await httpRequest({ url: `${o.dashboard}/login` });
  const nonce = cookieOf(login, 'candor_dashboard_sign_in');
  const formToken = /name="csrf" value="([^"]+)"/.exec(login.text)?.[1] ?? '';
  for (const f of ['__proto__[polluted]=yes', 'constructor[prototype][polluted]=yes', '__proto__=yes', 'constructor=x']) {
    const body = `${f}&csrf=${encodeURIComponent(formToken)}&token=wrong`;
    await send(`dashboard /login ${f}`, { url: `${o.dashboard}/login`, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)), cookie: nonce }, body, localAddress: '127.66.6.8' });
  }
  // The privacy tab, with a valid token so that its bodies are parsed.
  const admin = HOST_SESSION;
  const session = await httpRequest({ url: `${o.tab}/api/session`, headers: { cookie: admin } });
  const token = JSON.parse(session.text).csrfToken;
  const csrf = cookieOf(session, 'candor_csrf');
  for (const [path, body] of [
    ['/api/consent', `{"__proto__":${proto},"category":"marketing","on":true}`],
    ['/api/consent', `{"constructor":{"prototype":${proto}},"category":"marketing","on":true}`],
    ['/api/consent', `{"category":"__proto__","on":true}`],
    ['/api/integrations', `{"__proto__":${proto},"id":"constructor","on":true}`],
    ['/api/sent?kind=__proto__&category=constructor', null],
  ]) {
    await send(`privacy tab ${path}`, body === null ? { url: `${o.tab}${path}`, headers: { cookie: admin } } : { url: `${o.tab}${path}`, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), cookie: `${admin}; ${csrf}`, 'x-candor-csrf': token }, body });
  }
  // The SDK's own input: raw events a host parsed from JSON.
  const dropped = await o.ipc('recordRaw', { name: 'client.session', texts: [`{"__proto__":${proto},"deviceType":"tv","clientPlatform":"roku","clientVersion":"1.2.3"}`, `{"constructor":{"prototype":${proto}},"deviceType":"tv","clientPlatform":"roku","clientVersion":"1.2.3"}`] });
  const inspected = await o.ipc('prototypes', { keys });
  const afterBatch = await postBatch(o.collector, validBatch(day));
  const afterTab = await httpRequest({ url: `${o.tab}/api/consent`, headers: { cookie: admin } });
  const fiveHundreds = sent.filter((s) => s.res.status >= 500 || s.res.status === 0);
  return {
    requests: sent.length,
    sdkRecords: 2,
    statuses: Object.entries(sent.reduce((acc, s) => ({ ...acc, [`${s.res.status}${codeOf(s.res) ? ` ${codeOf(s.res)}` : ''}`]: (acc[`${s.res.status}${codeOf(s.res) ? ` ${codeOf(s.res)}` : ''}`] ?? 0) + 1 }), {})),
    fiveHundreds: fiveHundreds.map((s) => `${s.name}: ${s.res.status}`),
    prototypes: inspected,
    sdkDropped: dropped.invalid_event,
    stillWorks: afterBatch.status === 202 && afterTab.status === 200,
    stillWorksDetail: `valid batch ${afterBatch.status}, privacy tab ${afterTab.status}`,
  };
}
