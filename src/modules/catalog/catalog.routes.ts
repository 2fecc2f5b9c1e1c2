import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { presentCatalogs, presentItem } from './catalog.presenter.ts';
import type { CatalogService } from './catalog.service.ts';
import { CATEGORIES } from './catalog.schema.ts';
import { CatalogViewSchema, ItemViewSchema } from './catalog.view.ts';

export function catalogRoutes(catalog: CatalogService): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      '/api/catalog',
      {
        config: { publicCache: true },
        schema: {
          tags: ['catalog'],
          summary: 'The public credit information catalog: what the platform may hold, why, and for how long',
          querystring: z.strictObject({ category: z.enum(CATEGORIES).optional() }),
          response: { 200: CatalogViewSchema },
        },
      },
      async (request) => {
        const [catalogs, items, bases] = await Promise.all([
          catalog.catalogs(),
          catalog.items(),
          catalog.legalBases(),
        ]);
        const byCode = new Map(bases.map((b) => [b.code, b]));
        const { category } = request.query;
        return {
          catalogs: presentCatalogs(catalogs),
          items: items
            .filter((i) => category === undefined || i.definition.category === category)
            .map((i) => presentItem(i, byCode)),
        };
      },
    );
    app.get(
      '/api/catalog/items/:code',
      {
        config: { publicCache: true },
        schema: {
          tags: ['catalog'],
          summary: 'One catalog item, with its fields, legal bases, sharing, disclosure and display periods',
          params: z.object({ code: z.string().max(64) }),
          response: { 200: ItemViewSchema },
        },
      },
      async (request) => {
        const [row, bases] = await Promise.all([catalog.item(request.params.code), catalog.legalBases()]);
        return presentItem(row, new Map(bases.map((b) => [b.code, b])));
      },
    );
    return Promise.resolve();
  };
}
