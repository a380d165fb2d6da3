import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MediaServerError } from '../media-server-error.js';

/** What `npm start` runs with, after arguments and environment. */
export interface StartOptions {
  /** Where everything lives: DuckDB, the SDK's data, settings, generated media. */
  readonly home: string;
  /** Media folders; empty means "generate samples into `<home>/media`". */
  readonly mediaFolders: readonly string[];
  /** The interface every server listens on. */
  readonly host: string;
  /** The media server's port (0: any free port). */
  readonly port: number;
  /** The collector's port (0: any free port). */
  readonly collectorPort: number;
  /** How many simulated installs report to the collector (0: no fleet). */
  readonly installs: number;
  /** How many past days the simulated fleet fills in. */
  readonly fleetDays: number;
  /** Whether Candor runs on the demo clock, which the owner may move to the end of its day from the settings page. */
  readonly demo: boolean;
}

/** The usage text of `npm start`. */
export const START_USAGE = `Usage: npm start -- [--media <folder>]... [--home <dir>] [--host <ip>] [--port <n>] [--collector-port <n>] [--installs <n>] [--fleet-days <n>] [--no-demo]

  --media <folder>      a folder of video and audio files (repeatable); without it, sample media is generated
  --home <dir>          where data lives (default: $CANDOR_HOME or ./.candor)
  --host <ip>           the interface the servers listen on (default 127.0.0.1)
  --port <n>            the media server's port (default: any free port)
  --collector-port <n>  the collector's port (default: any free port)
  --installs <n>        simulated installs reporting to the collector (default 300; 0 turns the fleet off)
  --fleet-days <n>      days of history the fleet fills in (default 30)
  --no-demo             run Candor on the real clock, without the settings page's "End the telemetry day now"`;

/**
 * Reads `npm start`'s arguments and the environment (`CANDOR_HOME`); the only place that does.
 * @throws MediaServerError `invalid_option` with the usage text for a bad argument.
 */
export function resolveStartOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): StartOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        media: { type: 'string', multiple: true },
        home: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'collector-port': { type: 'string' },
        installs: { type: 'string' },
        'fleet-days': { type: 'string' },
        'no-demo': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new MediaServerError('invalid_option', `${(error as Error).message}\n\n${START_USAGE}`);
  }
  if (values.help === true) throw new MediaServerError('invalid_option', START_USAGE);
  const home = resolve(cwd, values.home ?? env['CANDOR_HOME'] ?? '.candor');
  return {
    home,
    mediaFolders: (values.media ?? []).map((m) => resolve(cwd, m)),
    host: values.host ?? '127.0.0.1',
    port: integer('--port', values.port, 0, 0, 65535),
    collectorPort: integer('--collector-port', values['collector-port'], 0, 0, 65535),
    installs: integer('--installs', values.installs, 300, 0, 100_000),
    fleetDays: integer('--fleet-days', values['fleet-days'], 30, 1, 400),
    demo: values['no-demo'] !== true,
  };
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new MediaServerError('invalid_option', `${name} must be a whole number from ${min} to ${max}, not "${raw}"\n\n${START_USAGE}`);
  return n;
}
