// How the hostile checks judge an answer: a refusal is right when it is a 4xx whose body names
// a documented error code, and that code's documented status is the one answered.
import { ERROR_CODES } from '@candor/protocol';

/** The error code of a JSON error body, or null. */
export function codeOf(res) {
  try {
    const code = JSON.parse(res.text).error.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

/**
 * Judges one answer to a request that should be refused. `codes` optionally lists the codes
 * that fit (a 401 for a missing token, say); `extra` maps codes of another API (the privacy
 * tab's, the dashboard's) to their documented statuses.
 * @returns {{ ok: boolean, why: string }}
 */
export function judgeRefusal(res, { codes, extra = {} } = {}) {
  if (res.status === 0) return { ok: false, why: `no answer (${res.error})` };
  if (res.status >= 500) return { ok: false, why: `answered ${res.status}` };
  if (res.status < 400) return { ok: false, why: `accepted with ${res.status}` };
  const code = codeOf(res);
  if (code === null) return { ok: false, why: `${res.status} without a documented error body` };
  const documented = ERROR_CODES[code]?.status ?? extra[code]?.status;
  if (documented === undefined) return { ok: false, why: `${res.status} with undocumented code ${code}` };
  if (documented !== res.status) return { ok: false, why: `${code} answered ${res.status}, documented ${documented}` };
  if (codes && !codes.includes(code)) return { ok: false, why: `${code} where ${codes.join(' or ')} fits` };
  return { ok: true, why: `${res.status} ${code}` };
}

/** Tallies answers by status and code, for the report. */
export function tally(list) {
  const out = {};
  for (const r of list) {
    const k = r.status === 0 ? `no answer` : `${r.status}${codeOf(r) ? ` ${codeOf(r)}` : ''}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** A tally as text: "51 × 200, 30 × 415 UNSUPPORTED_MEDIA_TYPE", most frequent first. */
export function tallyText(t) {
  return Object.entries(t)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${v} × ${k}`)
    .join(', ');
}

/** Runs `fn` over `items` with at most `n` in flight; resolves to the results in order. */
export async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}
