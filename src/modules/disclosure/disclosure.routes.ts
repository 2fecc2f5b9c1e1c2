import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { msg, requestLocale, UnauthorizedError } from '../../platform/index.ts';
import { CALLER_REQUIRED } from '../auth/index.ts';
import type { CreditFileService } from './disclosure.service.ts';
import { MATTERS } from './disclosure.types.ts';

const ReasonSchema = z.object({
  rule: z.string(),
  message: z.string(),
  basis: z
    .object({
      code: z.string(),
      title: z.string(),
      docNumber: z.string().optional(),
      article: z.string().optional(),
    })
    .optional(),
});

const RecordSchema = z.object({
  id: z.number(),
  item: z.object({ code: z.string(), name: z.string() }),
  status: z.string(),
  marks: z.array(z.string()),
  decisionDate: z.string().nullable(),
  tier: z.string().nullable(),
  display: z.object({ from: z.string().nullable(), until: z.string().nullable(), ended: z.boolean() }),
  repair: z.object({
    repairable: z.boolean(),
    from: z.string().nullable(),
    eligible: z.boolean(),
    verdict: z.enum(['eligible', 'not_yet', 'never']),
    rule: z.string(),
    message: z
      .string()
      .describe('why, in the reader’s language: eligible, not yet (from when), or never (why)'),
  }),
  provenance: z.object({
    department: z.object({ code: z.string(), name: z.string() }),
    batchId: z.number().nullable(),
    rowNo: z.number().nullable(),
    catalogVersion: z.number(),
    document: z.object({ type: z.string().nullable(), number: z.string().nullable() }),
    receivedAt: z.string(),
    version: z.number(),
    origin: z
      .string()
      .nullable()
      .describe('the province a federated record came from (its division code); null for this node’s own'),
  }),
  fields: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      value: z.string().nullable(),
      treatment: z.enum(['shown', 'masked', 'withheld']),
    }),
  ),
  disclosure: z.object({
    visibility: z.enum(['full', 'masked', 'hidden']),
    reasons: z.array(ReasonSchema),
    public: z.object({ shown: z.boolean(), reason: ReasonSchema }).optional(),
  }),
});

export const CreditFileSchema = z.object({
  asOf: z.string(),
  audience: z.enum(['public', 'subject', 'department', 'institution', 'auditor']),
  subject: z.object({
    kind: z.string(),
    name: z.string(),
    status: z.string(),
    division: z.object({ code: z.string(), name: z.string().nullable() }).nullable(),
    formerNames: z.array(z.object({ name: z.string(), replacedOn: z.string() })),
  }),
  codes: z.array(z.object({ kind: z.string(), value: z.string() })),
  roles: z.array(
    z.object({
      role: z.string(),
      name: z.string(),
      kind: z.string().nullable(),
      since: z.string().nullable(),
      until: z.string().nullable(),
    }),
  ),
  categories: z.array(z.object({ category: z.string(), records: z.array(RecordSchema) })),
  consents: z
    .array(z.object({ id: z.number(), item: z.string().nullable(), givenAt: z.string() }))
    .optional(),
});

export function disclosureRoutes(files: CreditFileService): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async
  return async (app) => {
    app.get(
      '/api/subjects/:code/file',
      {
        schema: {
          tags: ['files'],
          summary:
            'The credit file of a subject as the caller may see it: the subject itself in full, a department by sharing scope for a declared purpose, an auditor everything (audited)',
          // The caller is checked here, not by an action: who may read depends on whom the file is of.
          security: CALLER_REQUIRED,
          params: z.object({ code: z.string().min(1).max(64) }),
          querystring: z.strictObject({
            purpose: z
              .string()
              .max(600)
              .optional()
              .describe('why a department reads the file (required of departments)'),
            matter: z.enum(MATTERS).optional().describe('the administrative matter the read serves'),
          }),
          response: { 200: CreditFileSchema },
        },
      },
      async (request) => {
        if (request.actor.kind === 'public') {
          throw new UnauthorizedError(msg('disclosure.sign_in', { url: '/api/public/subjects/{code}' }));
        }
        return files.file(request.actor, request.params.code, {
          ...request.query,
          locale: requestLocale(request),
        });
      },
    );

    app.post(
      '/api/subjects/:code/consents',
      {
        config: { requires: { action: 'consent.record' } },
        schema: {
          tags: ['files'],
          summary:
            'Record a natural person’s consent to disclose their personal information, masked (国办发〔2020〕49号 (四)): for one catalog item, or all',
          params: z.object({ code: z.string().min(1).max(64) }),
          body: z.strictObject({
            item: z.string().min(1).max(64).nullable().default(null),
            evidence: z.string().max(500).describe('the document in which the person consented'),
          }),
          response: { 201: z.object({ id: z.number(), item: z.string().nullable() }) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await files.giveConsent(request.actor, request.params.code, request.body)),
    );

    app.delete(
      '/api/subjects/:code/consents/:id',
      {
        config: { requires: { action: 'consent.record' } },
        schema: {
          tags: ['files'],
          summary: 'Withdraw a consent: from now on the personal information is no longer disclosed on it',
          params: z.object({ code: z.string().min(1).max(64), id: z.coerce.number().int().positive() }),
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await files.withdrawConsent(request.actor, request.params.code, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
