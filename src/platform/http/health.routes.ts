import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseKind } from '../db/index.ts';

export interface HealthDeps {
  databaseKind: DatabaseKind;
  /** Throws when the database does not answer. */
  ping: () => Promise<void>;
  /** Where name search is answered from now: the in-memory index once built, SQL until then. */
  nameSearch?: () => 'index' | 'sql';
}

const NameSearch = z
  .enum(['index', 'sql'])
  .describe('where name search is answered from: the in-memory index, or SQL while the index is built');

export function healthRoutes(deps: HealthDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      '/api/health',
      {
        schema: {
          tags: ['platform'],
          summary: 'Liveness, and which database serves the platform',
          response: {
            200: z.object({
              status: z.literal('ok'),
              database: z.enum(['pglite', 'postgresql']),
              search: NameSearch,
            }),
            503: z.object({ status: z.literal('unavailable'), database: z.enum(['pglite', 'postgresql']) }),
          },
        },
      },
      async (request, reply) => {
        try {
          await deps.ping();
          return { status: 'ok' as const, database: deps.databaseKind, search: deps.nameSearch?.() ?? 'sql' };
        } catch (err) {
          request.log.error({ err }, 'database did not answer');
          return reply.status(503).send({ status: 'unavailable' as const, database: deps.databaseKind });
        }
      },
    );
    return Promise.resolve();
  };
}
