import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on port 0. */
export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves a request listener on 127.0.0.1, port 0. */
export async function serve(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<Served> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Cookie header value from a response's set-cookie. */
export function cookieFrom(res: Response): string {
  const set = res.headers.getSetCookie();
  return set.map((c) => c.split(';')[0]).join('; ');
}
