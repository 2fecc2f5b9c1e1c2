import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StatsService } from './stats.service.ts';

const asOf = z.string().describe('the day the figures are for (Asia/Shanghai), YYYY-MM-DD');

const RecordStatsView = z.object({
  asOf,
  total: z.number().describe('records in force: current versions, neither revoked nor corrected'),
  byCategory: z.array(
    z.object({
      category: z.string(),
      records: z.number(),
      public: z.number().describe('of them, shown to the public'),
    }),
  ),
  byDivision: z.array(
    z.object({
      division: z.string().nullable().describe("the subject's administrative division code; null: unknown"),
      name: z.string().nullable(),
      records: z.number(),
    }),
  ),
});

const CaseStatsView = z.object({
  asOf,
  buckets: z
    .array(z.object({ from: z.number(), to: z.number().nullable() }))
    .describe('age buckets in working days, inclusive; to null: and more'),
  kinds: z.array(
    z.object({
      kind: z.enum(['objection', 'repair', 'conduct_report', 'designation']),
      open: z.number(),
      overdue: z.number().nullable().describe('past their deadline; null: the kind has no deadline'),
      byAge: z.array(z.number()).describe('open cases per bucket'),
      oldest: z.number().nullable().describe("the oldest open case's age in working days"),
    }),
  ),
});

export function statsRoutes(stats: StatsService): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async
  return async (app) => {
    app.get(
      '/api/stats/records',
      {
        config: { requires: { action: 'quality.read' } },
        schema: {
          tags: ['stats'],
          summary:
            'Records in force, platform-wide, by catalog category and by the subject’s administrative division (platform administrator, auditor)',
          response: { 200: RecordStatsView },
        },
      },
      (request) => stats.records(request.actor),
    );
    app.get(
      '/api/stats/cases',
      {
        config: { requires: { action: 'quality.read' } },
        schema: {
          tags: ['stats'],
          summary:
            'Open objections, repair applications, conduct reports and designation cases by age in working days, those past their deadline counted (platform administrator, auditor)',
          response: { 200: CaseStatsView },
        },
      },
      (request) => stats.cases(request.actor),
    );
  };
}
