import type { ErrorAnswerBody } from './api-types.js';
import type { ChartFailure } from './chart-card.js';

/** An answer or why there is none. */
export type Fetched<T> = { readonly ok: true; readonly answer: T } | { readonly ok: false; readonly failure: ChartFailure };

/** GETs a JSON answer of the dashboard's API (the session cookie goes along, same origin). */
export async function fetchAnswer<T>(url: string): Promise<Fetched<T>> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
  } catch (error) {
    return { ok: false, failure: { status: 0, code: 'NETWORK', message: error instanceof Error ? error.message : String(error) } };
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  if (res.ok && body !== undefined) return { ok: true, answer: body as T };
  const error = (body as Partial<ErrorAnswerBody> | undefined)?.error;
  const retry = Number(res.headers.get('retry-after'));
  return {
    ok: false,
    failure: {
      status: res.status,
      code: typeof error?.code === 'string' ? error.code : `HTTP_${res.status}`,
      message: typeof error?.message === 'string' ? error.message : res.statusText || 'no explanation was given',
      ...(Number.isFinite(retry) && retry > 0 ? { retryAfterSeconds: retry } : {}),
    },
  };
}
