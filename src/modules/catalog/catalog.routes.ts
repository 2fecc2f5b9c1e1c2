import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fileResponse } from '../../platform/index.ts';
import { presentCatalogs, presentItem } from './catalog.presenter.ts';
import type { CatalogService } from './catalog.service.ts';
import { CATEGORIES } from './catalog.schema.ts';
import {
  TEMPLATE_CONTENT_TYPES,
  TEMPLATE_FORMATS,
  TEMPLATE_MEDIA_TYPES,
  refuseDesignatedTemplate,
  templateCsv,
  templateDisposition,
  templateXlsx,
} from './catalog.template.ts';
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
    for (const format of TEMPLATE_FORMATS) {
      app.get(
        `/api/catalog/items/:code/template.${format}`,
        {
          config: { publicCache: true },
          schema: {
            tags: ['catalog'],
            summary:
              format === 'csv'
                ? "A department's file template for the item: the heading row (UTF-8 CSV), required headings marked with *, which the ingest accepts as they are"
                : "A department's file template for the item (XLSX): the heading row, required headings bold and marked with *, and a sheet 说明 explaining each field",
            params: z.object({ code: z.string().max(64) }),
            response: {
              200: fileResponse(`The template as ${format.toUpperCase()}`, [TEMPLATE_MEDIA_TYPES[format]]),
            },
          },
        },
        async (request, reply) => {
          const item = (await catalog.item(request.params.code)).definition;
          refuseDesignatedTemplate(item);
          const body = format === 'csv' ? templateCsv(item) : await templateXlsx(item);
          return reply
            .type(TEMPLATE_CONTENT_TYPES[format])
            .header('content-disposition', templateDisposition(item, format))
            .send(body);
        },
      );
    }
    return Promise.resolve();
  };
}
