import type { MediaServerCatalog } from '@candor/catalog/media-server';
import type { Telemetry } from '@candor/sdk';
import { createPrivacyTabHandler, type PrivacyTabOptions } from '@candor/web';
import type { MediaServerPlugin } from '../http/create-media-server.js';

/** Where the privacy tab is mounted. */
export const PRIVACY_TAB_PATH = '/privacy';

/** Options of {@link privacyTabPlugin}. */
export interface PrivacyTabPluginOptions {
  /** The SDK client whose consent, sent log and deletion the tab shows. */
  readonly telemetry: Telemetry<MediaServerCatalog>;
  /** Where the built `<candor-privacy-tab>` element is. @default @candor/web's dist */
  readonly assetsDir?: string;
  /** The third-party integrations to disclose (the owner's webhook). */
  readonly integrations?: PrivacyTabOptions['integrations'];
}

/**
 * Mounts Candor's privacy tab at `/privacy`, behind the media server's own owner sign-in: the
 * tab admits exactly the requests that carry the owner's session, and binds its CSRF tokens to
 * that session. The settings page embeds it as `<candor-privacy-tab>`.
 */
export function privacyTabPlugin(options: PrivacyTabPluginOptions): MediaServerPlugin {
  return async (app, context) => {
    const handler = createPrivacyTabHandler({
      client: options.telemetry,
      authorize: (req) => {
        const session = context.ownerSession(req);
        return session === null ? null : { id: session.id };
      },
      basePath: PRIVACY_TAB_PATH,
      title: 'Privacy · Media',
      now: () => options.telemetry.extensions.now(),
      ...(options.integrations !== undefined && { integrations: options.integrations }),
      ...(options.assetsDir !== undefined && { assetsDir: options.assetsDir }),
    });
    await app.register(handler.fastify);
  };
}
