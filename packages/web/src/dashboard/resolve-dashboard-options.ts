import { fileURLToPath } from 'node:url';
import type { CatalogSpec } from '@candor/catalog';
import { mediaServerCatalog } from '@candor/catalog/media-server';
import type { SectionSpec } from './dashboard-config.js';
import { DashboardConfigError } from './errors.js';
import { MEDIA_SERVER_SECTIONS } from './media-server-charts.js';

/** Options of {@link registerDashboard}. */
export interface DashboardOptions {
  /** The collector's admin token: signing in with it opens a session, and the server sends it to `/v1/stats`. */
  readonly adminToken: string;
  /** URL path the dashboard is mounted at. @default '/dashboard' */
  readonly basePath?: string;
  /** The catalog the collector serves; charts of events or fields it does not declare are left out. @default the media-server catalog */
  readonly catalog?: CatalogSpec;
  /** The charts, in sections. @default {@link MEDIA_SERVER_SECTIONS} */
  readonly sections?: readonly SectionSpec[];
  /** How long a session lasts after sign-in. @default 28800000 (8 hours) */
  readonly sessionTtlMs?: number;
  /** Most sessions held at once; signing in past it ends the oldest. @default 100 */
  readonly maxSessions?: number;
  /** Failed sign-ins one client may make per window before it must wait. @default 10 */
  readonly maxFailedSignIns?: number;
  /** The window failed sign-ins are counted over. @default 900000 (15 minutes) */
  readonly failedSignInWindowMs?: number;
  /** Days the page shows when its address names no range. @default 30 */
  readonly rangeDays?: number;
  /** Differential-privacy epsilon per query when the address names none; null asks for exact, k-suppressed counts. @default null */
  readonly epsilon?: number | null;
  /** Noise mechanism asked for with epsilon. @default 'geometric' */
  readonly mechanism?: 'laplace' | 'geometric';
  /** Whether cookies are `Secure`; `'auto'` sets it when the request arrived over TLS (or a trusted proxy says https). @default 'auto' */
  readonly secureCookie?: boolean | 'auto';
  /**
   * Where the page script and styles come from: `'built'` reads them from `assetsDir`,
   * `'source'` bundles them from the TypeScript sources on first use (tests, development).
   * @default 'source' when this module runs from src/, 'built' from dist/
   */
  readonly assets?: 'built' | 'source';
  /** Directory of the built page script and styles. @default packages/web/dist/dashboard/assets */
  readonly assetsDir?: string;
  /** The clock, epoch ms. @default Date.now */
  readonly now?: () => number;
}

/** {@link DashboardOptions} with every default applied. */
export type ResolvedDashboardOptions = Required<Omit<DashboardOptions, 'epsilon'>> & { readonly epsilon: number | null };

/** The default directory of the built assets; the same relative path holds from src and from dist. */
export const DEFAULT_DASHBOARD_ASSETS_DIR = fileURLToPath(new URL('../../dist/dashboard/assets/', import.meta.url));

// Running from the TypeScript sources (vitest, tsx) means the built assets may be stale or absent.
const RUNS_FROM_SOURCE = /\/src\/dashboard\/[^/]+\.ts$/.test(fileURLToPath(import.meta.url));

function invalid(message: string): DashboardConfigError {
  return new DashboardConfigError('DASHBOARD_INVALID_OPTION', message);
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw invalid(`option \`${name}\` must be a positive integer, got ${JSON.stringify(value)?.slice(0, 40) ?? typeof value}`);
  return value;
}

/** Validates options and applies defaults; throws {@link DashboardConfigError} naming the bad option. */
export function resolveDashboardOptions(user: DashboardOptions): ResolvedDashboardOptions {
  const o = user as Partial<DashboardOptions> | undefined;
  if (o === undefined || o === null || typeof o !== 'object') throw invalid('registerDashboard() needs an options object with `adminToken`');
  if (typeof o.adminToken !== 'string' || o.adminToken.trim() === '') throw invalid('option `adminToken` must be the non-empty admin token of the collector');
  const basePath = o.basePath ?? '/dashboard';
  if (typeof basePath !== 'string' || !/^(\/[A-Za-z0-9._~-]+)+$/.test(basePath)) throw invalid(`option \`basePath\` must be a path such as /dashboard, got ${String(basePath).slice(0, 40)}`);
  const epsilon = o.epsilon ?? null;
  if (epsilon !== null && (typeof epsilon !== 'number' || !(epsilon > 0) || !Number.isFinite(epsilon))) throw invalid('option `epsilon` must be a positive number or null');
  const mechanism = o.mechanism ?? 'geometric';
  if (mechanism !== 'geometric' && mechanism !== 'laplace') throw invalid('option `mechanism` must be geometric or laplace');
  const secureCookie = o.secureCookie ?? 'auto';
  if (secureCookie !== 'auto' && typeof secureCookie !== 'boolean') throw invalid("option `secureCookie` must be true, false or 'auto'");
  const assets = o.assets ?? (RUNS_FROM_SOURCE ? 'source' : 'built');
  if (assets !== 'built' && assets !== 'source') throw invalid("option `assets` must be 'built' or 'source'");
  if (o.now !== undefined && typeof o.now !== 'function') throw invalid('option `now` must be a function returning epoch milliseconds');
  return {
    adminToken: o.adminToken,
    basePath,
    catalog: o.catalog ?? mediaServerCatalog,
    sections: o.sections ?? MEDIA_SERVER_SECTIONS,
    sessionTtlMs: positiveInt(o.sessionTtlMs, 'sessionTtlMs', 8 * 3_600_000),
    maxSessions: positiveInt(o.maxSessions, 'maxSessions', 100),
    maxFailedSignIns: positiveInt(o.maxFailedSignIns, 'maxFailedSignIns', 10),
    failedSignInWindowMs: positiveInt(o.failedSignInWindowMs, 'failedSignInWindowMs', 15 * 60_000),
    rangeDays: positiveInt(o.rangeDays, 'rangeDays', 30),
    epsilon,
    mechanism,
    secureCookie,
    assets,
    assetsDir: o.assetsDir ?? DEFAULT_DASHBOARD_ASSETS_DIR,
    now: o.now ?? Date.now,
  };
}
