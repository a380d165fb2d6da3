import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CompiledEvent } from '@candor/catalog';
import { ConfigError } from '../errors.js';
import type { TelemetryExtensions } from '../client/types.js';
import { nodeCrashProcess, type CrashProcess } from './crash-process.js';
import { isTooBroadAppRoot } from './relativize-app-root.js';
import { unhandledRejectionsMode, type UnhandledRejectionsMode } from './unhandled-rejections-mode.js';

/** The catalog event crash reports are recorded as. */
export const CRASH_EVENT = 'crash.report';

/** Options of `captureCrashes`. Every field is optional. */
export interface CaptureCrashesOptions {
  /**
   * The host's install directory (or several): frames of files under it are kept,
   * module-relative (`src/transcoder/session.ts:120:7`); every other path is removed.
   * @default the nearest folder with a package.json above the main script
   */
  readonly appRoot?: string | readonly string[];
  /** The server version reported (only major.minor leave). @default the version in the app root's package.json, else '0.0' */
  readonly serverVersion?: string;
  /** The operating system reported (generalized to a family). @default process.platform */
  readonly platform?: string;
  /** How long a fatal crash waits for its report to be sent before the process exits as it would have. @default 2000 */
  readonly flushTimeoutMs?: number;
  /** Most reports per linkage period (first occurrences and repeat counts together). @default the catalog's maxPerPeriod of crash.report */
  readonly maxReportsPerPeriod?: number;
  /** Most distinct crashes remembered for deduplication. @default 200 */
  readonly maxFingerprints?: number;
  /** How often counts of repeated crashes are reported. @default 21600000 (6 hours) */
  readonly repeatIntervalMs?: number;
  /** Most stack frames kept per error. @default 40 */
  readonly maxFrames?: number;
  /** Most `cause` links followed. @default 5 */
  readonly maxCauseDepth?: number;
  /** Whether to report uncaught exceptions. @default true */
  readonly uncaughtExceptions?: boolean;
  /** Whether to report unhandled promise rejections. @default true */
  readonly unhandledRejections?: boolean;
  /** The process to watch; a test seam. @default process */
  readonly process?: CrashProcess;
  /** The environment to read `NODE_OPTIONS` from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Options after defaults and validation. */
export interface ResolvedCaptureCrashesOptions {
  readonly appRoots: readonly string[];
  readonly serverVersion: string;
  readonly platform: string;
  readonly runtimeVersion: string;
  readonly flushTimeoutMs: number;
  readonly maxReportsPerPeriod: number;
  readonly maxFingerprints: number;
  readonly repeatIntervalMs: number;
  readonly maxFrames: number;
  readonly maxCauseDepth: number;
  /** Most characters of a message or stack before scrubbing (the catalog cuts further after). */
  readonly maxChars: number;
  readonly uncaughtExceptions: boolean;
  readonly unhandledRejections: boolean;
  readonly rejectionsMode: UnhandledRejectionsMode;
  readonly process: CrashProcess;
  readonly event: CompiledEvent;
}

const KNOWN = new Set(['appRoot', 'serverVersion', 'platform', 'flushTimeoutMs', 'maxReportsPerPeriod', 'maxFingerprints', 'repeatIntervalMs', 'maxFrames', 'maxCauseDepth', 'uncaughtExceptions', 'unhandledRejections', 'process', 'env']);

function integer(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError('CONFIG_INVALID_OPTION', `captureCrashes: ${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** The nearest directory at or above `start` holding a package.json, or null. */
function packageRootOf(start: string): string | null {
  let dir = start;
  for (let i = 0; i < 64; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
  return null;
}

function defaultAppRoot(): string[] {
  const main = process.argv[1];
  if (main === undefined) return [];
  try {
    const root = packageRootOf(dirname(realpathSync(main)));
    return root === null ? [] : [root];
  } catch {
    return [];
  }
}

function packageVersion(roots: readonly string[]): string | undefined {
  for (const root of roots) {
    try {
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No readable package.json: try the next root.
    }
  }
  return undefined;
}

/**
 * Resolves `captureCrashes` options: defaults, the app root and version found on disk, Node's
 * unhandled-rejection mode from the command line or `NODE_OPTIONS`. The only place crash
 * capture reads the environment. Throws {@link ConfigError} for bad options.
 */
export function resolveCaptureCrashesOptions(user: CaptureCrashesOptions, ext: TelemetryExtensions): ResolvedCaptureCrashesOptions {
  if (typeof user !== 'object' || user === null) throw new ConfigError('CONFIG_INVALID_OPTIONS', 'captureCrashes: options must be an object');
  for (const key of Object.keys(user)) {
    if (!KNOWN.has(key)) throw new ConfigError('CONFIG_UNKNOWN_OPTION', `captureCrashes: unknown option "${key}"`);
  }
  const event = ext.catalog.events.get(CRASH_EVENT);
  if (event === undefined) throw new ConfigError('CONFIG_INVALID_CATALOG', `captureCrashes: the catalog has no "${CRASH_EVENT}" event to report crashes with`);

  const given = user.appRoot === undefined ? undefined : typeof user.appRoot === 'string' ? [user.appRoot] : user.appRoot;
  if (given !== undefined && (!Array.isArray(given) || given.some((r) => typeof r !== 'string' || r.length === 0))) {
    throw new ConfigError('CONFIG_INVALID_OPTION', 'captureCrashes: appRoot must be a directory path or a list of them');
  }
  const appRoots = (given ?? defaultAppRoot()).map((r) => (/^[A-Za-z]:[\\/]|^\\\\/.test(r) ? r : resolve(r)));
  for (const root of appRoots) {
    if (isTooBroadAppRoot(root)) {
      throw new ConfigError('CONFIG_INVALID_OPTION', `captureCrashes: appRoot "${root}" is a filesystem root; every path under it would be kept as the server's own code`);
    }
  }
  if (user.serverVersion !== undefined && typeof user.serverVersion !== 'string') throw new ConfigError('CONFIG_INVALID_OPTION', 'captureCrashes: serverVersion must be a string');
  if (user.platform !== undefined && typeof user.platform !== 'string') throw new ConfigError('CONFIG_INVALID_OPTION', 'captureCrashes: platform must be a string');
  const env = user.env ?? process.env;
  const catalogMax = event.spec.maxPerPeriod;
  return {
    appRoots,
    serverVersion: user.serverVersion ?? packageVersion(appRoots) ?? '0.0',
    platform: user.platform ?? process.platform,
    runtimeVersion: process.versions.node,
    flushTimeoutMs: integer('flushTimeoutMs', user.flushTimeoutMs, 2000, 0, 60_000),
    maxReportsPerPeriod: integer('maxReportsPerPeriod', user.maxReportsPerPeriod, catalogMax, 1, catalogMax),
    maxFingerprints: integer('maxFingerprints', user.maxFingerprints, 200, 1, 100_000),
    repeatIntervalMs: integer('repeatIntervalMs', user.repeatIntervalMs, 6 * 3_600_000, 1000, 31 * 86_400_000),
    maxFrames: integer('maxFrames', user.maxFrames, 40, 1, 1000),
    maxCauseDepth: integer('maxCauseDepth', user.maxCauseDepth, 5, 0, 50),
    maxChars: 65_536,
    uncaughtExceptions: user.uncaughtExceptions ?? true,
    unhandledRejections: user.unhandledRejections ?? true,
    rejectionsMode: unhandledRejectionsMode(process.execArgv, env.NODE_OPTIONS),
    process: user.process ?? nodeCrashProcess(),
    event,
  };
}
