import { compileCatalog, isCatalogSpec, type CatalogSpec } from '@candor/catalog';
import { LIMITS } from '@candor/protocol';
import { ConfigError } from '../errors.js';
import { createCryptoRandom, cryptoRandomBytes } from '../util/crypto-random.js';
import { defaultDiagnostic } from './diagnostics.js';
import type { ResolvedTelemetryOptions, TelemetryOptions } from './telemetry-options.js';

/** Numeric options: default, minimum, maximum. */
const NUMBERS = {
  commitIntervalMs: [1000, 1, 60_000],
  flushIntervalMs: [600_000, 0, 86_400_000],
  maxBatchEvents: [LIMITS.maxEventsPerBatch, 1, LIMITS.maxEventsPerBatch],
  maxBatchBytes: [1_048_576, 4096, LIMITS.maxDecompressedBytes],
  maxBufferedEvents: [100_000, 1, 10_000_000],
  maxOutboxBytes: [32 * 1_048_576, 65_536, 64 * 1_073_741_824],
  maxEventAgeMs: [7 * 86_400_000, 60_000, 366 * 86_400_000],
  maxConcurrentRequests: [2, 1, 64],
  timeoutMs: [10_000, 100, 600_000],
  maxAttempts: [3, 1, 20],
  initialBackoffMs: [1000, 1, 600_000],
  maxBackoffMs: [30_000, 1, 3_600_000],
  retryBaseMs: [30_000, 1, 3_600_000],
  maxRetryDelayMs: [3_600_000, 1, 86_400_000],
  maxSendRounds: [200, 1, 1_000_000],
  sentLogRetentionDays: [30, 1, 3650],
  maxSentLogBytes: [16 * 1_048_576, 65_536, 4 * 1_073_741_824],
  shutdownTimeoutMs: [2000, 0, 600_000],
  subjectRequestTimeoutMs: [15_000, 0, 600_000],
} as const satisfies Record<string, readonly [number, number, number]>;

const BOOLEANS = ['gzip', 'handleSignals', 'disabled', 'doNotTrack', 'debug'] as const;
const FUNCTIONS = ['now', 'random', 'randomBytes', 'onDiagnostic'] as const;
const KNOWN = new Set<string>(['catalog', 'endpoint', 'dataDir', 'transport', 'env', ...Object.keys(NUMBERS), ...BOOLEANS, ...FUNCTIONS]);

const OFF = new Set(['off', '0', 'false', 'no', 'disabled', 'disable', 'none']);
const ON = new Set(['', 'on', '1', 'true', 'yes', 'enabled', 'enable']);

/**
 * Merges the host's options, the environment and the defaults into one validated object.
 * The only place that reads the environment (`process.env` unless `env` is given):
 * `CANDOR_TELEMETRY=off` disables everything, `DO_NOT_TRACK` (any value but empty or `0`)
 * turns optional categories off, `CANDOR_DEBUG=1` prints instead of sending. Throws
 * {@link ConfigError} for bad configuration; an unreadable environment value is read the
 * more private way and reported.
 * @example resolveTelemetryOptions({ catalog, endpoint: 'https://t.example.com', dataDir: '/var/lib/app/telemetry' })
 */
export function resolveTelemetryOptions<S extends CatalogSpec>(user: TelemetryOptions<S>, env: Readonly<Record<string, string | undefined>> = user?.env ?? process.env): ResolvedTelemetryOptions<S> {
  if (typeof user !== 'object' || user === null) throw new ConfigError('CONFIG_INVALID_OPTIONS', 'createTelemetry needs an options object: { catalog, endpoint, dataDir }');
  for (const key of Object.keys(user)) {
    if (!KNOWN.has(key)) throw new ConfigError('CONFIG_UNKNOWN_OPTION', `unknown option "${key}"; known options are ${[...KNOWN].sort().join(', ')}`);
  }

  if (!isCatalogSpec(user.catalog)) throw new ConfigError('CONFIG_INVALID_CATALOG', 'option "catalog" must be a catalog declared with defineCatalog()');
  let compiled;
  try {
    compiled = compileCatalog(user.catalog);
  } catch (err) {
    throw new ConfigError('CONFIG_INVALID_CATALOG', (err as Error).message);
  }

  if (typeof user.dataDir !== 'string' || user.dataDir.trim() === '') throw new ConfigError('CONFIG_INVALID_DATA_DIR', 'option "dataDir" must name a directory for the outbox, consent and install secret');

  const transport = user.transport ?? null;
  if (transport !== null && (typeof transport !== 'object' || typeof transport.send !== 'function')) {
    throw new ConfigError('CONFIG_INVALID_OPTION', 'option "transport" must be an object with a send(request) method');
  }

  const numbers = {} as Record<keyof typeof NUMBERS, number>;
  for (const [name, [def, min, max]] of Object.entries(NUMBERS) as [keyof typeof NUMBERS, readonly [number, number, number]][]) {
    const v = user[name];
    if (v === undefined) {
      numbers[name] = def;
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      const code = (name === 'maxBatchEvents' || name === 'maxBatchBytes') && typeof v === 'number' && v > max ? 'CONFIG_LIMIT_EXCEEDED' : 'CONFIG_INVALID_OPTION';
      throw new ConfigError(code, `option "${name}" must be a number from ${min} to ${max}, got ${typeof v === 'number' ? v : typeof v}`);
    }
    numbers[name] = v;
  }
  if (numbers.maxBackoffMs < numbers.initialBackoffMs) throw new ConfigError('CONFIG_INVALID_OPTION', 'option "maxBackoffMs" must not be below "initialBackoffMs"');

  for (const name of BOOLEANS) {
    if (user[name] !== undefined && typeof user[name] !== 'boolean') throw new ConfigError('CONFIG_INVALID_OPTION', `option "${name}" must be true or false`);
  }
  for (const name of FUNCTIONS) {
    if (user[name] !== undefined && typeof user[name] !== 'function') throw new ConfigError('CONFIG_INVALID_OPTION', `option "${name}" must be a function`);
  }

  const envWarnings: string[] = [];
  const telemetryVar = env.CANDOR_TELEMETRY?.trim().toLowerCase();
  let envDisabled = false;
  if (telemetryVar !== undefined && !ON.has(telemetryVar)) {
    envDisabled = true;
    if (!OFF.has(telemetryVar)) envWarnings.push(`CANDOR_TELEMETRY="${telemetryVar.slice(0, 32)}" is not "on" or "off"; telemetry stays off`);
  }
  const dnt = env.DO_NOT_TRACK?.trim().toLowerCase();
  // consoledonottrack.com: set to 1 to opt out; anything but empty, 0 or false is read as an opt-out.
  const envDoNotTrack = dnt !== undefined && dnt !== '' && dnt !== '0' && dnt !== 'false';
  const debugVar = env.CANDOR_DEBUG?.trim().toLowerCase();
  const envDebug = debugVar !== undefined && debugVar !== '' && !OFF.has(debugVar);

  const debug = user.debug === true || envDebug;
  const disabled = user.disabled === true || envDisabled;

  let endpoint: URL | null = null;
  if (user.endpoint !== undefined) {
    try {
      endpoint = new URL(user.endpoint);
    } catch {
      throw new ConfigError('CONFIG_INVALID_ENDPOINT', `option "endpoint" is not a URL: ${String(user.endpoint).slice(0, 200)}`);
    }
    if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') throw new ConfigError('CONFIG_INVALID_ENDPOINT', `option "endpoint" must be http or https, got ${endpoint.protocol}`);
    // Credentials in the URL would end up in logs and proxies; the collector needs none from installs.
    if (endpoint.username !== '' || endpoint.password !== '') throw new ConfigError('CONFIG_INVALID_ENDPOINT', 'option "endpoint" must not carry a user name or password');
    if (endpoint.search !== '' || endpoint.hash !== '') throw new ConfigError('CONFIG_INVALID_ENDPOINT', 'option "endpoint" must not carry a query or fragment');
  } else if (transport === null && !debug && !disabled) {
    throw new ConfigError('CONFIG_INVALID_ENDPOINT', 'option "endpoint" is required (the collector base URL), unless a transport is given');
  }

  return {
    catalog: user.catalog,
    compiled,
    endpoint,
    dataDir: user.dataDir,
    ...numbers,
    gzip: user.gzip ?? true,
    handleSignals: user.handleSignals ?? false,
    transport,
    now: user.now ?? Date.now,
    random: user.random ?? createCryptoRandom(),
    randomBytes: user.randomBytes ?? cryptoRandomBytes,
    onDiagnostic: user.onDiagnostic ?? defaultDiagnostic,
    disabled,
    doNotTrack: user.doNotTrack === true || envDoNotTrack,
    debug,
    envWarnings,
  };
}
