import type { MediaServerCatalog } from '@candor/catalog/media-server';
import type { Telemetry } from '@candor/sdk';
import type { MediaServerPlugin } from '../http/create-media-server.js';
import type { DemoClock } from './demo-clock.js';

/**
 * The demo's owner-only routes: `GET /api/demo` (the telemetry day) and `POST /api/demo/end-day`,
 * which ends the telemetry day so that the day's playback sample is released and sent now
 * instead of at midnight UTC (see {@link DemoClock}).
 */
export function demoRoutes(telemetry: Telemetry<MediaServerCatalog>, clock: DemoClock, onDayEnded?: () => void): MediaServerPlugin {
  return (app, context) => {
    app.get('/api/demo', async (request, reply) => {
      if (context.ownerSession(request) === null) return reply.code(401).send({ error: { code: 'owner_required', message: 'sign in as the owner first' } });
      return { telemetryDay: clock.day(), realDay: new Date().toISOString().slice(0, 10), held: telemetry.stats().held };
    });
    app.post('/api/demo/end-day', async (request, reply) => {
      const session = context.ownerSession(request);
      if (session === null) return reply.code(401).send({ error: { code: 'owner_required', message: 'sign in as the owner first' } });
      if (!context.verifyCsrf(request, session)) return reply.code(403).send({ error: { code: 'csrf_token_invalid', message: 'the X-CSRF-Token header is missing or wrong; reload the page' } });
      const ended = clock.endDay();
      if (ended === null) {
        return reply.code(409).send({ error: { code: 'day_not_over', message: `the telemetry day ${clock.day()} is today's; its playback sample leaves after midnight UTC` } });
      }
      onDayEnded?.();
      const flushed = await telemetry.flush();
      return { ended, telemetryDay: clock.day(), delivered: flushed.delivered, queued: flushed.queued };
    });
  };
}
