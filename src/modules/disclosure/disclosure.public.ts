/** The public API: search and the public file, no sign-in, rate limited per client. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { registerRateLimit, requestLocale } from '../../platform/index.ts';
import { PUBLIC } from '../auth/index.ts';
import { MAX_QUERY, PAGE_SIZE_MAX, type SearchService } from '../subjects/index.ts';
import { CreditFileSchema } from './disclosure.routes.ts';
import type { CreditFileService } from './disclosure.service.ts';
import type { PortalStatsService } from './disclosure.stats.ts';

const HitSchema = z.object({
  code: z.string().nullable(),
  codeKind: z.string().nullable(),
  name: z.string(),
  kind: z.string(),
  status: z.string(),
  division: z.object({ code: z.string(), name: z.string().nullable() }).nullable(),
});

/**
 * `perMinute`: requests one client (by address) may make a minute; 0 turns the limit off (the
 * read benchmark measures the engine, not the limiter).
 */
export function publicRoutes(
  files: CreditFileService,
  search: SearchService,
  stats: PortalStatsService,
  perMinute: number,
): FastifyPluginAsyncZod {
  return async (app) => {
    if (perMinute > 0) {
      await registerRateLimit(app, { rule: 'public.rate_limit', max: perMinute });
    }

    app.get(
      '/api/public/subjects',
      {
        config: { publicCache: true },
        schema: {
          tags: ['public'],
          summary:
            'Find a subject by name (two characters or more; legal forms such as 有限公司 ignored) or by code; no sign-in',
          querystring: z.strictObject({
            q: z
              .string()
              .max(MAX_QUERY * 4)
              .optional()
              .describe('a name, part of a name, or a code'),
            page: z.coerce.number().int().min(1).default(1),
            pageSize: z.coerce.number().int().min(1).max(PAGE_SIZE_MAX).default(20),
          }),
          response: {
            200: z.object({
              query: z.string(),
              by: z.enum(['code', 'name']),
              total: z.number(),
              more: z.boolean().describe('more than `total` names match (counted up to 200)'),
              page: z.number(),
              pageSize: z.number(),
              results: z.array(HitSchema),
            }),
          },
        },
      },
      (request) => search.search(request.query),
    );

    app.get(
      '/api/public/stats',
      {
        config: { publicCache: true },
        schema: {
          tags: ['public'],
          summary:
            'The portal’s figures: records the public sees today per category, and how many arrived in the last 7 and 30 days (双公示 for licences and penalties); organisations only, counted once a minute; no sign-in',
          response: {
            200: z.object({
              asOf: z.string().describe('the day the figures are for (Asia/Shanghai)'),
              categories: z.array(
                z.object({
                  category: z.string(),
                  public: z.number(),
                  last7Days: z.number(),
                  last30Days: z.number(),
                }),
              ),
            }),
          },
        },
      },
      () => stats.stats(),
    );

    app.get(
      '/api/public/subjects/:code',
      {
        config: { publicCache: true },
        schema: {
          tags: ['public'],
          summary:
            'The public credit file of a subject: what the law lets the public see today, personal information masked; no sign-in',
          params: z.object({ code: z.string().min(1).max(64) }),
          response: { 200: CreditFileSchema },
        },
      },
      (request, reply) => {
        // The reasons are in the reader's language: a cache keeps one answer per language.
        void reply.header('vary', 'Accept-Language');
        return files.file(PUBLIC, request.params.code, { locale: requestLocale(request) });
      },
    );
  };
}
