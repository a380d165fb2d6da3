import type { ErrorResponseBody, SessionBody } from '../api-types.js';

/** An API answer that was not 2xx, with the API's code and message. */
export class ApiError extends Error {
  /** @param code the API's error code, or NETWORK  @param status HTTP status, 0 when unreachable */
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Talks to the tab's JSON API with the admin's cookies and the CSRF token. */
export class ApiClient {
  #token: string | null = null;

  /** @param base URL of the API, such as `/privacy/api` */
  constructor(readonly base: string) {}

  /** The URL of an API path. */
  url(path: string): string {
    return `${this.base.replace(/\/$/, '')}/${path}`;
  }

  /** GET a JSON body. */
  async get<T>(path: string): Promise<T> {
    return (await this.#send('GET', path)).json() as Promise<T>;
  }

  /** GET a text body. */
  async text(path: string): Promise<string> {
    return (await this.#send('GET', path)).text();
  }

  /** POST a change; a stale CSRF token (say, after the host restarted) is renewed once. */
  async post<T>(path: string, body: unknown): Promise<T> {
    try {
      return (await (await this.#send('POST', path, body)).json()) as T;
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'CSRF_REJECTED') throw err;
      this.#token = null;
      return (await (await this.#send('POST', path, body)).json()) as T;
    }
  }

  async #send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') {
      this.#token ??= (await this.get<SessionBody>('session')).csrfToken;
      headers['content-type'] = 'application/json';
      headers['x-candor-csrf'] = this.#token;
    }
    let res: Response;
    try {
      res = await fetch(this.url(path), { method, headers, credentials: 'same-origin', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (err) {
      throw new ApiError('NETWORK', `The server could not be reached (${err instanceof Error ? err.message : String(err)}).`, 0);
    }
    if (!res.ok) {
      let parsed: ErrorResponseBody | null = null;
      try {
        parsed = (await res.json()) as ErrorResponseBody;
      } catch {
        // Not the API's error shape (a proxy's page, say): fall back to the status line.
      }
      throw new ApiError(parsed?.error.code ?? `HTTP_${res.status}`, parsed?.error.message ?? `The server answered ${res.status} ${res.statusText}.`, res.status);
    }
    return res;
  }
}
