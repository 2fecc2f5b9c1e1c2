import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CivilDateSchema } from '../../platform/calendar/index.ts';
import { requestLocale } from '../../platform/http/index.ts';
import { MATTERS } from '../disclosure/index.ts';
import { MAX_BATCH, type CheckService } from './measures.check.ts';
import { BatchView, CheckResultView, MeasureStatView, ReviewView } from './measures.view.ts';

const purpose = z.string().max(500);
const date = CivilDateSchema;

export function checkRoutes(checks: CheckService): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async
  return async (app) => {
    app.post(
      '/api/checks',
      {
        config: { requires: { action: 'credit.check' } },
        schema: {
          tags: ['checks'],
          summary:
            'A credit check in an administrative matter (a credit officer): list entries, records, and each measure for the matter with its legal basis, evidence and explanation; audited',
          body: z.object({
            subjectCode: z.string().min(1).max(64),
            matter: z.enum(MATTERS),
            purpose,
            relatedPersons: z.boolean().optional(),
          }),
          response: { 200: CheckResultView },
        },
      },
      (request) => checks.check(request.actor, request.body, requestLocale(request)),
    );
    app.post(
      '/api/checks/batch',
      {
        config: { requires: { action: 'credit.check' } },
        schema: {
          tags: ['checks'],
          summary: `A batch check (批量比对) of up to ${MAX_BATCH} subjects by code or name: one result each and a summary; an ambiguous name is returned for review`,
          body: z.object({
            subjects: z.array(
              z.object({ code: z.string().max(64).optional(), name: z.string().max(200).optional() }),
            ),
            matter: z.enum(MATTERS),
            purpose,
          }),
          response: { 200: BatchView },
        },
      },
      (request) => checks.batch(request.actor, request.body, requestLocale(request)),
    );
    app.get(
      '/api/checks/review',
      {
        config: { requires: { action: 'credit.check' } },
        schema: {
          tags: ['checks'],
          summary: 'Ambiguous names of the department’s batch checks, waiting for a code',
          response: { 200: z.array(ReviewView) },
        },
      },
      (request) => checks.reviews(request.actor),
    );
    app.post(
      '/api/checks/review/:id/resolution',
      {
        config: { requires: { action: 'credit.check' } },
        schema: {
          tags: ['checks'],
          summary:
            'Resolve an ambiguous name with the code of the organisation meant: it is checked as the batch asked',
          params: z.object({ id: z.coerce.number().int().positive() }),
          body: z.object({ subjectCode: z.string().min(1).max(64) }),
          response: { 200: CheckResultView },
        },
      },
      (request) =>
        checks.resolveReview(
          request.actor,
          request.params.id,
          request.body.subjectCode,
          requestLocale(request),
        ),
    );
    app.post(
      '/api/checks/:id/feedback',
      {
        config: { requires: { action: 'credit.check' } },
        schema: {
          tags: ['checks'],
          summary: 'Which of the measures a check returned the department applied, or not, and why',
          params: z.object({ id: z.coerce.number().int().positive() }),
          body: z.object({
            items: z
              .array(
                z.object({
                  measure: z.string(),
                  listType: z.string(),
                  applied: z.boolean(),
                  reason: z.string().max(2000),
                }),
              )
              .min(1),
          }),
          response: { 204: z.null().describe('The feedback is kept') },
        },
      },
      async (request, reply) => {
        await checks.feedback(request.actor, request.params.id, request.body.items);
        return reply.code(204).send(null);
      },
    );
    app.get(
      '/api/measures/stats',
      {
        config: { requires: { action: 'measure.stats' } },
        schema: {
          tags: ['checks'],
          summary: 'Per measure, department and list: how often checks returned it, how often it was applied',
          querystring: z.object({
            department: z.string().optional(),
            from: date.optional(),
            to: date.optional(),
          }),
          response: { 200: z.array(MeasureStatView) },
        },
      },
      (request) => checks.stats(request.actor, request.query),
    );
  };
}
