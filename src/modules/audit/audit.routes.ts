import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { reason, requestLocale } from '../../platform/index.ts';
import { presentVerification } from './audit.presenter.ts';
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

const VerificationView = z.object({
  ok: z.boolean(),
  eventsVerified: z.number().describe('events whose links were checked, from the first held to the head'),
  head: z
    .object({ seq: z.number(), hash: z.string() })
    .nullable()
    .describe('the head the chain was verified through; null when a link is broken'),
  brokenLink: z
    .object({ seq: z.number(), problem: z.string() })
    .nullable()
    .describe('the first broken link: an edited, deleted, inserted or reordered event, or a cut tail'),
  checkpoints: z
    .object({
      verified: z
        .number()
        .nullable()
        .describe('signed checkpoints matched; null when verification stopped first'),
      file: z.string().describe('the checkpoint file, outside the database, that anchors the chain'),
      keyId: z.string().describe("the platform key's id (SHA-256 of its public key, 16 hex digits)"),
      latest: z.object({ seq: z.number(), hash: z.string(), signedAt: z.string() }).nullable(),
    })
    .describe("the chain's outside anchor"),
  unsealed: z
    .object({
      events: z.number(),
      oldest: z.string().nullable().describe('when the oldest waiting event occurred'),
      ageMs: z.number().nullable().describe('how long it has waited, in milliseconds'),
    })
    .describe(
      'events written but not yet chained (the sequencer chains them within a bounded delay): not covered by this verification',
    ),
});

// PostgreSQL has no year 0; zod's pattern allows it.
const isoTime = z.iso
  .datetime({ offset: true })
  .refine((v) => !v.startsWith('0000'), reason('audit.reason.year_zero'));

export function auditRoutes(audit: AuditService): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      '/api/audit',
      {
        config: { requires: { action: 'audit.read', hide: true } },
        schema: {
          tags: ['audit'],
          summary: 'Audit events, newest first, for auditors; the query is itself recorded',
          description:
            'At most `limit` events, the newest first. A full page names in `next` the seq to pass as `before` for the page of older events.',
          querystring: z.strictObject({
            actor: z.string().max(100).optional(),
            action: z.string().max(100).optional(),
            targetKind: z.string().max(100).optional(),
            targetId: z.string().max(200).optional(),
            from: isoTime.optional(),
            to: isoTime.optional(),
            after: z.coerce.number().int().min(0).optional().describe('only events after this seq'),
            before: z.coerce.number().int().min(1).optional().describe('only events before this seq'),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: { 200: z.object({ events: z.array(EventView), next: z.number().nullable() }) },
        },
      },
      async (request) => {
        const { after, before, limit, ...criteria } = request.query;
        const events = await audit.query(request.actor, {
          ...criteria,
          afterSeq: after,
          beforeSeq: before,
          limit,
        });
        const oldest = events[events.length - 1];
        return { events, next: events.length === limit && oldest !== undefined ? oldest.seq : null };
      },
    );
    app.get(
      '/api/audit/verify',
      {
        config: { requires: { action: 'audit.read', hide: true } },
        schema: {
          tags: ['audit'],
          summary: 'Verify the audit chain, for auditors: the first broken link, or the head and checkpoints',
          description:
            'The verification `xinyong audit verify` runs: every link from the first event held (or the last archived prefix) to the head, then the signed checkpoints of the checkpoint file. The verification is itself recorded (`audit.verify`).',
          response: { 200: VerificationView },
        },
      },
      async (request) => presentVerification(await audit.verifyFor(request.actor), requestLocale(request)),
    );
    return Promise.resolve();
  };
}
