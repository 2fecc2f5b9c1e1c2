import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ATTACHMENT_TYPES,
  ATTACHMENTS_BODY_LIMIT,
  AttachmentsBody,
  decodeAttachments,
  fileResponse,
} from '../../platform/index.ts';
import type { ObjectionService } from './objections.service.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

const Filing = {
  recordId: z.number().int().positive().describe('the record objected to (its id in the credit file)'),
  reasons: z.string().min(1).max(4000).describe('what is wrong with the record'),
  attachments: AttachmentsBody.optional(),
};

const ObjectionView = z.object({
  id: z.number().int(),
  recordId: z.number().int(),
  item: z.string(),
  subject: z.object({ id: z.number().int(), name: z.string() }),
  department: z.string().describe('the department that supplied the record, and decides'),
  status: z.enum(['open', 'upheld', 'rejected']),
  priorStatus: z.string().describe('the record’s status before the objection; a rejection restores it'),
  reasons: z.string(),
  filedBy: z.string(),
  filedVia: z.enum(['account', 'service_desk']),
  receivedAs: z.enum(['written', 'window']).nullable(),
  filedOn: z.string(),
  dueOn: z.string().describe('the department’s deadline, in working days from filing'),
  overdueOn: z.string().describe('20 calendar days after filing: an open case past it is overdue'),
  overdue: z.boolean(),
  pastDue: z.boolean(),
  outcome: z.enum(['corrected', 'revoked', 'removed', 'rejected']).nullable(),
  decision: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.date().nullable(),
  resultRecordId: z.number().int().nullable(),
  attachments: z.array(
    z.object({
      sha256: z.string(),
      fileName: z.string(),
      mediaType: z.enum(ATTACHMENT_TYPES),
      bytes: z.number().int(),
    }),
  ),
  record: z
    .object({
      status: z.string(),
      decisionDate: z.string().nullable(),
      documentNumber: z.string(),
      fields: z
        .array(z.object({ key: z.string(), value: z.string() }))
        .describe('by the catalog item’s field keys, what a correction names; personal values masked'),
      listCase: z
        .number()
        .int()
        .nullable()
        .describe('the designation case whose list entry the record is: upheld needs a documentNumber'),
    })
    .optional()
    .describe('one objection, for its department’s reviewer and the auditor: the record as it stands now'),
});

const Decision = z.object({
  outcome: z.enum(['upheld', 'rejected']),
  decision: z.string().min(1).max(4000).describe('the reasons of the decision, told to the subject'),
  correction: z
    .union([
      z.object({ revoke: z.literal(true) }),
      z.object({ fields: z.record(z.string().max(64), z.string().max(2000)) }),
    ])
    .optional()
    .describe('upheld: revoke the record, or correct its fields (by field key); not for a list entry'),
  documentNumber: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('upheld on a list entry: the removal decision'),
});

export function objectionRoutes(objections: ObjectionService): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async
  return async (app) => {
    app.post(
      '/api/objections',
      {
        bodyLimit: ATTACHMENTS_BODY_LIMIT,
        config: { requires: { action: 'subject.object' } },
        schema: {
          tags: ['objections'],
          summary:
            'Object to one of your own records (a subject’s account): it is marked under objection at once, and its department decides within the item’s working days',
          body: z.object(Filing),
          response: { 201: ObjectionView },
        },
      },
      async (request, reply) => {
        const { attachments, ...rest } = request.body;
        return reply
          .code(201)
          .send(
            await objections.file(request.actor, { ...rest, attachments: decodeAttachments(attachments) }),
          );
      },
    );
    app.post(
      '/api/service-desk/objections',
      {
        bodyLimit: ATTACHMENTS_BODY_LIMIT,
        config: { requires: { action: 'objection.file_for' } },
        schema: {
          tags: ['objections'],
          summary:
            'Record an objection received in writing or at the window, for the subject it names (service desk)',
          body: z.object({
            ...Filing,
            subjectCode: z
              .string()
              .min(1)
              .max(64)
              .describe('a code of the subject: unified code, legacy code or citizen ID'),
            receivedAs: z.enum(['written', 'window']),
          }),
          response: { 201: ObjectionView },
        },
      },
      async (request, reply) => {
        const { attachments, subjectCode, receivedAs, ...rest } = request.body;
        return reply.code(201).send(
          await objections.file(request.actor, {
            ...rest,
            attachments: decodeAttachments(attachments),
            forSubject: { code: subjectCode, receivedAs },
          }),
        );
      },
    );
    app.get(
      '/api/objections',
      {
        config: { requires: { action: 'objection.read' } },
        schema: {
          tags: ['objections'],
          summary:
            'Objections: a subject its own, a reviewer its department’s (open first, nearest deadline first), the administrator, service desk and auditor all; overdue=true: open past 20 days',
          querystring: z.object({
            status: z.enum(['open', 'upheld', 'rejected']).optional(),
            overdue: z.enum(['true', 'false']).optional(),
            limit: z.coerce.number().int().min(1).max(500).optional(),
          }),
          response: { 200: z.array(ObjectionView) },
        },
      },
      async (request) =>
        objections.list(request.actor, {
          ...(request.query.status === undefined ? {} : { status: request.query.status }),
          overdue: request.query.overdue === 'true',
          ...(request.query.limit === undefined ? {} : { limit: request.query.limit }),
        }),
    );
    app.get(
      '/api/objections/:id',
      {
        config: { requires: { action: 'objection.read', hide: true } },
        schema: {
          tags: ['objections'],
          summary: 'An objection',
          params: idParams,
          response: { 200: ObjectionView },
        },
      },
      async (request) => objections.read(request.actor, request.params.id),
    );
    app.post(
      '/api/objections/:id/decision',
      {
        config: { requires: { action: 'objection.decide' } },
        schema: {
          tags: ['objections'],
          summary:
            'Decide an objection (a reviewer of the department that supplied the record): upheld corrects or revokes the record, or removes a list entry by its case; rejected restores its status. The subject is told the reasons and its remedies',
          params: idParams,
          body: Decision,
          response: { 200: ObjectionView },
        },
      },
      async (request) => objections.decide(request.actor, request.params.id, request.body),
    );
    app.get(
      '/api/objections/:id/attachments/:sha256',
      {
        config: { requires: { action: 'objection.read', hide: true } },
        schema: {
          tags: ['objections'],
          summary: 'An attachment of an objection (never public)',
          params: idParams.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
          response: { 200: fileResponse('The attachment as given', ATTACHMENT_TYPES) },
        },
      },
      async (request, reply) => {
        const file = await objections.attachment(request.actor, request.params.id, request.params.sha256);
        return reply
          .header('content-type', file.mediaType)
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
          .header('x-content-type-options', 'nosniff')
          .send(file.content);
      },
    );
  };
}
