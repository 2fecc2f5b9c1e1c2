import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseKind, ReplicaStatus } from '../db/index.ts';

export interface HealthDeps {
  databaseKind: DatabaseKind;
  /** Throws when the database does not answer. */
  ping: () => Promise<void>;
  /** Where name search is answered from now: the in-memory index once built, SQL until then. */
  nameSearch?: () => 'index' | 'sql';
  /** The read replica's state; undefined when none is configured. */
  replica?: () => ReplicaStatus | undefined;
}

const Replica = z
  .object({
    state: z
      .enum(['starting', 'in_use', 'lagging', 'down'])
      .describe('in_use: the replica serves public reads; lagging, down, starting: the primary serves them'),
    lagMs: z.number().nullable().describe('how long the replica has been missing what the primary had'),
    maxLagMs: z.number().describe('the lag beyond which the primary serves public reads'),
    checkedAt: z.string().nullable(),
    reason: z.string().optional().describe('why it is down'),
  })
  .describe('the read replica (DATABASE_READ_URL), when one is configured');

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
              replica: Replica.optional(),
            }),
            503: z.object({ status: z.literal('unavailable'), database: z.enum(['pglite', 'postgresql']) }),
          },
        },
      },
      async (request, reply) => {
        try {
          await deps.ping();
          const replica = deps.replica?.();
          return {
            status: 'ok' as const,
            database: deps.databaseKind,
            search: deps.nameSearch?.() ?? 'sql',
            ...(replica === undefined ? {} : { replica }),
          };
        } catch (err) {
          request.log.error({ err }, 'database did not answer');
          return reply.status(503).send({ status: 'unavailable' as const, database: deps.databaseKind });
        }
      },
    );
    return Promise.resolve();
  };
}
