import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ATTACHMENT_TYPES,
  ATTACHMENTS_BODY_LIMIT,
  AttachmentsBody,
  decodeAttachments,
} from '../../platform/index.ts';
import { REPAIR_OUTCOMES } from '../catalog/index.ts';
import type { RepairService } from './repairs.service.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

const Attachments = AttachmentsBody.optional().describe(
  'evidence that the decision was fulfilled (a receipt of the fine paid, a rectification report)',
);

const Application = {
  recordId: z.number().int().positive(),
  statement: z.string().min(1).max(4000).describe('how the decision was fulfilled and the conduct corrected'),
  commitment: z.boolean().describe('the repair commitment (信用修复承诺书) signed: must be true'),
  attachments: Attachments,
};

const RepairView = z.object({
  id: z.number().int(),
  recordId: z.number().int(),
  item: z.string(),
  subject: z.object({ id: z.number().int(), name: z.string() }),
  department: z.string().describe('the department that determined the record, and decides'),
  status: z.enum(['submitted', 'returned', 'approved', 'refused']),
  statement: z.string(),
  commitment: z.string().describe('the repair commitment as signed'),
  filedBy: z.string(),
  filedVia: z.enum(['account', 'service_desk']),
  receivedAs: z.enum(['written', 'window']).nullable(),
  submittedOn: z.string(),
  dueOn: z.string().describe('the department’s deadline, in working days from (re)submission'),
  pastDue: z.boolean(),
  returnedOnce: z.boolean(),
  missing: z.array(z.string()).describe('what a returned application lacks'),
  outcome: z.enum(REPAIR_OUTCOMES).nullable(),
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
});

const Decision = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('approve'),
    reasons: z.string().min(1).max(4000),
    documentNumber: z.string().min(1).max(100).optional().describe('a list entry: the removal decision'),
  }),
  z.object({ action: z.literal('refuse'), reasons: z.string().min(1).max(4000) }),
  z.object({
    action: z.literal('return'),
    reasons: z.string().min(1).max(4000),
    missing: z.array(z.string().min(1).max(500)).min(1).max(20),
  }),
]);

export function repairRoutes(repairs: RepairService): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async
  return async (app) => {
    app.post(
      '/api/repairs',
      {
        bodyLimit: ATTACHMENTS_BODY_LIMIT,
        config: { requires: { action: 'repair.apply' } },
        schema: {
          tags: ['repairs'],
          summary:
            'Apply for credit repair of one of your records (free); refused with when or why if the record may not be repaired now (its file says so before you apply)',
          body: z.object(Application),
          response: { 201: RepairView },
        },
      },
      async (request, reply) => {
        const { attachments, ...rest } = request.body;
        return reply
          .code(201)
          .send(await repairs.apply(request.actor, { ...rest, attachments: decodeAttachments(attachments) }));
      },
    );
    app.post(
      '/api/service-desk/repairs',
      {
        bodyLimit: ATTACHMENTS_BODY_LIMIT,
        config: { requires: { action: 'repair.file_for' } },
        schema: {
          tags: ['repairs'],
          summary: 'Record a repair application received in writing or at the window (service desk)',
          body: z.object({
            ...Application,
            subjectCode: z.string().min(1).max(64),
            receivedAs: z.enum(['written', 'window']),
          }),
          response: { 201: RepairView },
        },
      },
      async (request, reply) => {
        const { attachments, subjectCode, receivedAs, ...rest } = request.body;
        return reply.code(201).send(
          await repairs.apply(request.actor, {
            ...rest,
            attachments: decodeAttachments(attachments),
            forSubject: { code: subjectCode, receivedAs },
          }),
        );
      },
    );
    app.get(
      '/api/repairs',
      {
        config: { requires: { action: 'repair.read' } },
        schema: {
          tags: ['repairs'],
          summary:
            'Repair applications: a subject its own, a reviewer its department’s (open first, nearest deadline first)',
          querystring: z.object({
            status: z.enum(['submitted', 'returned', 'approved', 'refused']).optional(),
            limit: z.coerce.number().int().min(1).max(500).optional(),
          }),
          response: { 200: z.array(RepairView) },
        },
      },
      async (request) =>
        repairs.list(request.actor, {
          ...(request.query.status === undefined ? {} : { status: request.query.status }),
          ...(request.query.limit === undefined ? {} : { limit: request.query.limit }),
        }),
    );
    app.get(
      '/api/repairs/:id',
      {
        config: { requires: { action: 'repair.read', hide: true } },
        schema: {
          tags: ['repairs'],
          summary: 'A repair application',
          params: idParams,
          response: { 200: RepairView },
        },
      },
      async (request) => repairs.read(request.actor, request.params.id),
    );
    app.post(
      '/api/repairs/:id/resubmission',
      {
        bodyLimit: ATTACHMENTS_BODY_LIMIT,
        config: { requires: { action: 'repair.read', hide: true } },
        schema: {
          tags: ['repairs'],
          summary: 'Send a returned application again with what was missing',
          params: idParams,
          body: z.object({ statement: z.string().max(4000), attachments: Attachments }),
          response: { 200: RepairView },
        },
      },
      async (request) =>
        repairs.resubmit(request.actor, request.params.id, {
          statement: request.body.statement,
          attachments: decodeAttachments(request.body.attachments),
        }),
    );
    app.post(
      '/api/repairs/:id/decision',
      {
        config: { requires: { action: 'repair.decide' } },
        schema: {
          tags: ['repairs'],
          summary:
            'Decide a repair application (a reviewer of the department that determined the record): approve (the catalog’s outcome applied; a list entry leaves its list), refuse with reasons, or return once with what is missing',
          params: idParams,
          body: Decision,
          response: { 200: RepairView },
        },
      },
      async (request) => repairs.decide(request.actor, request.params.id, request.body),
    );
  };
}
