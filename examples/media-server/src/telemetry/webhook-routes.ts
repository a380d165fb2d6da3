import type { MediaServerPlugin } from '../http/create-media-server.js';
import type { PlaybackWebhookManager } from './playback-webhook.js';

/**
 * The owner-only webhook API of the settings page: `GET /api/webhook` (URL, switches, signing
 * secret, each field and what is sent for it) and `PUT /api/webhook/fields` (`{ name, choice }`
 * with choice `exact`, `generalized` or `omitted`).
 */
export function webhookRoutes(webhook: PlaybackWebhookManager): MediaServerPlugin {
  return (app, context) => {
    app.get('/api/webhook', async (request, reply) => {
      if (context.ownerSession(request) === null) return reply.code(401).send({ error: { code: 'owner_required', message: 'sign in as the owner first' } });
      return webhook.status();
    });
    app.put<{ Body: { name?: unknown; choice?: unknown } }>('/api/webhook/fields', async (request, reply) => {
      const session = context.ownerSession(request);
      if (session === null) return reply.code(401).send({ error: { code: 'owner_required', message: 'sign in as the owner first' } });
      if (!context.verifyCsrf(request, session)) return reply.code(403).send({ error: { code: 'csrf_token_invalid', message: 'the X-CSRF-Token header is missing or wrong; reload the page' } });
      const { name, choice } = request.body ?? {};
      if (typeof name !== 'string' || typeof choice !== 'string' || !webhook.setFieldChoice(name, choice)) {
        return reply.code(400).send({ error: { code: 'invalid_field_choice', message: 'name a declared field of a configured webhook, and a choice it offers (exact, generalized or omitted)' } });
      }
      return webhook.status();
    });
  };
}
