import type { FastifyInstance } from 'fastify';
import { PATHS } from '@candor/protocol';
import type { AppContext } from '../app-context.js';

/** `GET /v1/catalogs`: which catalog and versions this collector accepts (public; no data). */
export function registerCatalogRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { registry } = ctx.deps;
  const body = {
    catalogs: [
      {
        id: registry.id,
        current: registry.current.version,
        versions: registry.versions.map((c) => ({ version: c.version, effectiveDate: c.spec.effectiveDate })),
        linkagePeriod: registry.linkage,
      },
    ],
  };
  app.get(PATHS.catalogs, async () => body);
}
