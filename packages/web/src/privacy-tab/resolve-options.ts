import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage } from 'node:http';
import { listIntegrations } from '@candor/sdk';
import type { Telemetry } from '@candor/sdk';
import { PrivacyTabConfigError } from './errors.js';
import type { PrivacyTabClient, PrivacyTabIntegration, PrivacyTabIntegrationHandle } from './privacy-tab-client.js';

/**
 * What the host's admin check answers: `false`/`null` refuses, `true` admits, and
 * `{ id }` admits and names the admin session so that CSRF tokens are bound to it.
 */
export type PrivacyTabAuthorization = boolean | null | undefined | { readonly id: string };

/** Options of {@link createPrivacyTabHandler}. */
export interface PrivacyTabOptions {
  /** The host's SDK client (`createTelemetry()`), or anything with the same surface. */
  readonly client: PrivacyTabClient;
  /** The host's admin check, run on every API request; the tab never authenticates anyone itself. */
  readonly authorize: (req: IncomingMessage) => PrivacyTabAuthorization | Promise<PrivacyTabAuthorization>;
  /** URL path the tab is mounted at. @default '/privacy' */
  readonly basePath?: string;
  /** Secret that signs CSRF tokens; pass a stable one to keep pages valid across restarts. @default 32 random bytes per process */
  readonly csrfSecret?: string | Uint8Array;
  /** Whether the CSRF cookie is `Secure`; `'auto'` sets it when the request arrived over TLS or `x-forwarded-proto: https`. @default 'auto' */
  readonly secureCookie?: boolean | 'auto';
  /**
   * Third-party integrations: disclosures to show, or the SDK's integration objects, which the
   * owner can also switch from the tab. @default every integration declared on the client (`listIntegrations(client)`)
   */
  readonly integrations?: () => readonly (PrivacyTabIntegration | PrivacyTabIntegrationHandle)[];
  /** Directory of the built element (`candor-privacy-tab.js`). @default packages/web/dist/privacy-tab/assets */
  readonly assetsDir?: string;
  /** Title of the standalone page. @default 'Privacy' */
  readonly title?: string;
  /** The clock, epoch ms; tests pass their own. @default Date.now */
  readonly now?: () => number;
}

/** {@link PrivacyTabOptions} with every default applied. */
export interface ResolvedPrivacyTabOptions {
  readonly client: PrivacyTabClient;
  readonly authorize: PrivacyTabOptions['authorize'];
  readonly basePath: string;
  readonly csrfSecret: Uint8Array;
  readonly secureCookie: boolean | 'auto';
  readonly integrations: () => readonly (PrivacyTabIntegration | PrivacyTabIntegrationHandle)[];
  readonly assetsDir: string;
  readonly title: string;
  readonly now: () => number;
}

/** The default directory of the built element; the same relative path holds from src and from dist. */
export const DEFAULT_ASSETS_DIR = fileURLToPath(new URL('../../dist/privacy-tab/assets/', import.meta.url));

/** Validates options and applies defaults; throws {@link PrivacyTabConfigError} naming the bad option. */
export function resolvePrivacyTabOptions(user: PrivacyTabOptions): ResolvedPrivacyTabOptions {
  const o = user as Partial<PrivacyTabOptions> | undefined;
  if (o === undefined || o === null || typeof o !== 'object') throw new PrivacyTabConfigError('PRIVACY_TAB_INVALID_OPTION', 'createPrivacyTabHandler() needs an options object with `client` and `authorize`.');
  const client = o.client;
  if (client === undefined || client === null || typeof client !== 'object' || typeof client.deleteMyData !== 'function' || typeof client.policy !== 'function' || typeof client.stats !== 'function' || typeof client.consent?.get !== 'function' || typeof client.sentLog?.list !== 'function') {
    throw new PrivacyTabConfigError('PRIVACY_TAB_MISSING_CLIENT', 'Option `client` must be the SDK client (with catalog, consent, sentLog, stats, policy and deleteMyData).');
  }
  if (typeof client.catalog !== 'object' || client.catalog === null || typeof client.catalog.version !== 'string') {
    throw new PrivacyTabConfigError('PRIVACY_TAB_MISSING_CLIENT', 'Option `client` must expose the catalog it was created with (`client.catalog`).');
  }
  if (typeof o.authorize !== 'function') {
    throw new PrivacyTabConfigError('PRIVACY_TAB_MISSING_AUTHORIZE', 'Option `authorize(req)` is required: it tells the tab whether a request comes from your authenticated admin.');
  }
  const basePath = normalizeBasePath(o.basePath ?? '/privacy');
  let csrfSecret: Uint8Array;
  if (o.csrfSecret === undefined) csrfSecret = randomBytes(32);
  else if (typeof o.csrfSecret === 'string' || o.csrfSecret instanceof Uint8Array) {
    csrfSecret = typeof o.csrfSecret === 'string' ? Buffer.from(o.csrfSecret, 'utf8') : o.csrfSecret;
    if (csrfSecret.byteLength < 16) throw new PrivacyTabConfigError('PRIVACY_TAB_INVALID_OPTION', 'Option `csrfSecret` must hold at least 16 bytes.');
  } else throw new PrivacyTabConfigError('PRIVACY_TAB_INVALID_OPTION', 'Option `csrfSecret` must be a string or a Uint8Array.');
  const secureCookie = o.secureCookie ?? 'auto';
  if (secureCookie !== 'auto' && typeof secureCookie !== 'boolean') throw new PrivacyTabConfigError('PRIVACY_TAB_INVALID_OPTION', "Option `secureCookie` must be true, false or 'auto'.");
  if (o.integrations !== undefined && typeof o.integrations !== 'function') throw new PrivacyTabConfigError('PRIVACY_TAB_INVALID_OPTION', 'Option `integrations` must be a function returning the disclosures.');
  if (o.now !== undefined && typeof o.now !== 'function') throw new PrivacyTabConfigError('PRIVACY_TAB_INVALID_OPTION', 'Option `now` must be a function returning epoch milliseconds.');
  const now = o.now ?? Date.now;
  return {
    client,
    authorize: o.authorize,
    basePath,
    csrfSecret,
    secureCookie,
    // The SDK keeps each client's integrations in a registry keyed by the client object; a client
    // that is not the SDK's simply has none there.
    integrations: o.integrations ?? (() => listIntegrations(client as unknown as Telemetry)),
    assetsDir: o.assetsDir ?? DEFAULT_ASSETS_DIR,
    title: o.title ?? 'Privacy',
    now,
  };
}

function normalizeBasePath(path: unknown): string {
  if (typeof path !== 'string' || !/^\/[A-Za-z0-9._~\-/]*$/.test(path) || path.includes('//') || /(^|\/)\.\.?(\/|$)/.test(path)) {
    throw new PrivacyTabConfigError('PRIVACY_TAB_INVALID_OPTION', `Option \`basePath\` must be a plain URL path such as '/privacy', not ${JSON.stringify(path)}.`);
  }
  return path.replace(/\/+$/, '');
}
