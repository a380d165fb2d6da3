import { pino, type DestinationStream, type Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** pino level. @default 'info' */
  readonly level?: string;
  /** Where log lines go. @default standard output */
  readonly destination?: DestinationStream;
}

function pathOf(url: unknown): string {
  return typeof url === 'string' ? url.split('?')[0]!.slice(0, 256) : '';
}

/**
 * The collector's structured logger. Its serializers keep only method, path, status and error
 * type and message, and redaction removes any header, address or agent field that code might
 * pass by mistake: the collector never logs IP addresses or user agents.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'candor-collector' },
      serializers: {
        req: (req: { method?: unknown; url?: unknown }) => ({ method: req.method, path: pathOf(req.url) }),
        res: (res: { statusCode?: unknown }) => ({ statusCode: res.statusCode }),
        err: (err: { name?: unknown; code?: unknown; message?: unknown }) => ({ type: err.name, code: err.code, message: typeof err.message === 'string' ? err.message.slice(0, 500) : undefined }),
      },
      redact: {
        paths: ['headers', 'ip', 'ips', 'remoteAddress', 'remotePort', 'userAgent', 'req.headers', 'req.ip', 'req.ips', 'req.remoteAddress', 'req.remotePort', 'req.socket', '*.headers', '*.ip', '*.remoteAddress', '*["user-agent"]', '*["x-forwarded-for"]'],
        remove: true,
      },
    },
    options.destination,
  );
}
