import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { registerRateLimit } from '../../platform/index.ts';
import type { ConductReportService } from './conduct-reports.service.ts';

const Receipt = z.object({
  status: z.enum(['received', 'acknowledged', 'answered']),
  department: z.string().describe('the code of the department handling it'),
  departmentName: z.string().describe('its name'),
  receivedOn: z.string(),
  acknowledgeBy: z.string(),
  answerBy: z.string(),
  acknowledged: z.boolean(),
  answer: z.string().nullable(),
  answeredOn: z.string().nullable(),
});

const ConductReportView = Receipt.extend({
  id: z.number().int(),
  subject: z.object({ name: z.string(), code: z.string().nullable(), id: z.number().int().nullable() }),
  domain: z.string(),
  description: z.string(),
  reporter: z
    .object({ name: z.string().optional(), contact: z.string().optional() })
    .nullable()
    .describe('who reported: for the handling department and the auditor only'),
});

const idParams = z.object({ id: z.coerce.number().int().positive() });

/** `perHour`: reports one address may file an hour (0: no limit). */
export function conductReportRoutes(reports: ConductReportService, perHour: number): FastifyPluginAsyncZod {
  return async (app) => {
    // Its routes have limits per hour and per minute: the message names neither.
    await registerRateLimit(app, { rule: 'conduct_report.rate_limit', message: 'errors.rate_limit.limit' });
    app.post(
      '/api/public/conduct-reports',
      {
        // Counted once the body is valid: a reporter correcting a form is not locked out for an hour.
        config: perHour > 0 ? { rateLimit: { max: perHour, timeWindow: 3_600_000, hook: 'preHandler' } } : {},
        schema: {
          tags: ['public'],
          summary:
            'Report suspected dishonest conduct (no sign-in): routed to the department competent for the domain; the receipt code, shown once, follows it',
          body: z.object({
            subjectName: z.string().trim().min(1).max(200),
            subjectCode: z.string().max(64).optional(),
            domain: z
              .string()
              .min(1)
              .max(64)
              .describe('a domain a department serves, e.g. market_supervision'),
            description: z.string().trim().min(1).max(4000),
            reporter: z
              .object({ name: z.string().max(100).optional(), contact: z.string().max(200).optional() })
              .optional()
              .describe('who reports, if they wish: seen only by the handling department and the auditor'),
          }),
          response: { 201: z.object({ receipt: z.string(), report: Receipt }) },
        },
      },
      async (request, reply) => reply.code(201).send(await reports.file(request.body)),
    );
    app.get(
      '/api/public/conduct-reports/:receipt',
      {
        config: { rateLimit: { max: 60, timeWindow: 60_000 } },
        schema: {
          tags: ['public'],
          summary: 'Follow a report by its receipt code (valid until a year after the case closes)',
          params: z.object({ receipt: z.string().min(1).max(64) }),
          response: { 200: Receipt },
        },
      },
      async (request) => reports.follow(request.params.receipt),
    );
    app.get(
      '/api/conduct-reports',
      {
        config: { requires: { action: 'conduct_report.read' } },
        schema: {
          tags: ['reports'],
          summary:
            'Reports for the department (the auditor: all), the nearest deadline first, with who reported',
          response: { 200: z.array(ConductReportView) },
        },
      },
      async (request) => reports.list(request.actor),
    );
    app.post(
      '/api/conduct-reports/:id/acknowledgement',
      {
        config: { requires: { action: 'conduct_report.handle' } },
        schema: {
          tags: ['reports'],
          summary: 'Acknowledge a report',
          params: idParams,
          response: { 200: ConductReportView },
        },
      },
      async (request) => reports.acknowledge(request.actor, request.params.id),
    );
    app.post(
      '/api/conduct-reports/:id/answer',
      {
        config: { requires: { action: 'conduct_report.handle' } },
        schema: {
          tags: ['reports'],
          summary:
            'Answer a report: what the department found and did (a report changes no record by itself)',
          params: idParams,
          body: z.object({ answer: z.string().trim().min(1).max(4000) }),
          response: { 200: ConductReportView },
        },
      },
      async (request) => reports.answer(request.actor, request.params.id, request.body.answer),
    );
  };
}
