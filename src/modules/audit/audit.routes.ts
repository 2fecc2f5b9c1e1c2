import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AuditService } from './audit.service.ts';

const EventView = z.object({
  seq: z.number(),
  occurredAt: z.string(),
  actor: z.string(),
  actorRole: z.string().nullable(),
  actorDepartment: z.string().nullable(),
  action: z.string(),
  targetKind: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

// PostgreSQL has no year 0; zod's pattern allows it.
const isoTime = z.iso.datetime({ offset: true }).refine((v) => !v.startsWith('0000'), 'year 0 is not a year');

export function auditRoutes(audit: AuditService): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      '/api/audit',
      {
        config: { requires: { action: 'audit.read', hide: true } },
        schema: {
          tags: ['audit'],
          summary: 'Audit events, for auditors; the query is itself recorded',
          querystring: z.strictObject({
            actor: z.string().max(100).optional(),
            action: z.string().max(100).optional(),
            targetKind: z.string().max(100).optional(),
            targetId: z.string().max(200).optional(),
            from: isoTime.optional(),
            to: isoTime.optional(),
            after: z.coerce.number().int().min(0).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.object({ events: z.array(EventView), next: z.number().nullable() }) },
        },
      },
      async (request) => {
        const { after, limit, ...criteria } = request.query;
        const events = await audit.query(request.actor, { ...criteria, afterSeq: after, limit });
        const last = events[events.length - 1];
        return { events, next: events.length === limit && last !== undefined ? last.seq : null };
      },
    );
    return Promise.resolve();
  };
}
