// The admin endpoints (released statistics, metrics) with no token, wrong tokens, and tokens in the
// wrong place; one request with the right token shows the refusals are not a broken route.
import { httpRequest } from '../lib/http.mjs';
import { judgeRefusal } from './verdicts.mjs';

/**
 * @param {{ url: string, token: string }} o
 */
export async function adminTokens(o) {
  const t = o.token;
  const flip = (s, i) => s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);
  const cases = [
    ['no Authorization header', {}],
    ['an empty bearer token', { authorization: 'Bearer ' }],
    ['a wrong token of the same length', { authorization: `Bearer ${flip(t, 5)}` }],
    ['the token minus its last character', { authorization: `Bearer ${t.slice(0, -1)}` }],
    ['the token plus one character', { authorization: `Bearer ${t}x` }],
    ['the token as Basic credentials', { authorization: `Basic ${Buffer.from(`admin:${t}`).toString('base64')}` }],
    ['the token without a scheme', { authorization: t }],
    ['the token in a cookie', { cookie: `token=${t}` }],
    ['the token in X-Admin-Token', { 'x-admin-token': t }],
  ];
  const out = [];
  for (const path of ['/v1/stats?event=client.session', '/v1/stats/active', '/metrics']) {
    for (const [name, headers] of cases) out.push({ name: `${path.split('?')[0]}: ${name}`, verdict: judgeRefusal(await httpRequest({ url: `${o.url}${path}`, headers }), { codes: ['UNAUTHORIZED'] }) });
    out.push({ name: `${path.split('?')[0]}: the token in the query string`, verdict: judgeRefusal(await httpRequest({ url: `${o.url}${path}${path.includes('?') ? '&' : '?'}token=${t}` }), { codes: ['UNAUTHORIZED', 'INVALID_QUERY'] }) });
  }
  const control = await httpRequest({ url: `${o.url}/v1/stats?event=client.session`, headers: { authorization: `Bearer ${t}` } });
  return { cases: out, control: control.status };
}
