/**
 * The working-day calendar the platform counts deadlines on (the official table, or the one an
 * operator loaded for the year): its holidays and make-up workdays, public, so that a page counts
 * working days exactly as the platform does.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { WorkingDayCalendar } from '../calendar/index.ts';

export function calendarRoutes(calendar: () => WorkingDayCalendar): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async
  return async (app) => {
    app.get(
      '/api/public/calendar/:year',
      {
        config: { publicCache: true },
        schema: {
          tags: ['public'],
          summary:
            'The working-day calendar of a year: its holidays and make-up workdays (other days: Monday to Friday work), as the platform counts deadlines; no sign-in',
          params: z.object({ year: z.coerce.number().int().min(1949).max(2200) }),
          response: {
            200: z.object({
              year: z.number().int(),
              official: z.boolean().describe('false: no official table for the year, weekdays are counted'),
              source: z.string().nullable(),
              days: z.array(
                z.object({ date: z.string(), kind: z.enum(['holiday', 'workday']), name: z.string() }),
              ),
            }),
          },
        },
      },
      (request) => {
        const current = calendar();
        const { year } = request.params;
        return {
          year,
          official: current.isCovered(year),
          source: current.coverage().find((c) => c.year === year)?.source ?? null,
          days: current.specialDays(year),
        };
      },
    );
  };
}
