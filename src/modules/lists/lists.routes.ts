import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { presentCase, presentSummary } from './lists.presenter.ts';
import { ListTypeSchema, ProposeSchema, StepSchema } from './lists.schema.ts';
import type { ListService } from './lists.service.ts';
import { CaseSummarySchema, CaseViewSchema, CreatedView, ListTypeView } from './lists.view.ts';

const id = z.object({ id: z.coerce.number().int().positive() });

export function listRoutes(lists: ListService): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async
  return async (app) => {
    app.get(
      '/api/list-types',
      {
        config: { publicCache: true },
        schema: {
          tags: ['lists'],
          summary: 'List types: kind, domain, bases, removal conditions, windows',
          response: { 200: z.array(ListTypeView) },
        },
      },
      async () => (await lists.listTypes()).map((t) => t.definition),
    );
    app.post(
      '/api/list-types',
      {
        config: { requires: { action: 'list_type.manage' } },
        schema: {
          tags: ['lists'],
          summary:
            'Create a list type (platform administrator); a punishment list without a legal basis, removal conditions, a standard consulted for 30 days … is refused with the rule',
          body: ListTypeSchema,
          response: { 200: CreatedView, 201: CreatedView },
        },
      },
      async (request, reply) => {
        const created = await lists.createListType(request.actor, request.body);
        return reply.code(created ? 201 : 200).send({ code: request.body.code, created });
      },
    );
    app.post(
      '/api/list-cases',
      {
        config: { requires: { action: 'list.decide' } },
        schema: {
          tags: ['lists'],
          summary:
            'Propose to list a subject (a reviewer of a department that designates in the list’s domain)',
          body: ProposeSchema,
          response: { 201: CaseViewSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(presentCase(await lists.propose(request.actor, request.body))),
    );
    app.get(
      '/api/list-cases',
      {
        config: { requires: { action: 'list.read' } },
        schema: {
          tags: ['lists'],
          summary:
            'Designation cases of the department (the auditor: all): those still in due process first, the nearest objection deadline first, each with the steps allowed today',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).optional() }),
          response: { 200: z.array(CaseSummarySchema) },
        },
      },
      async (request) =>
        (
          await lists.list(
            request.actor,
            request.query.limit === undefined ? {} : { limit: request.query.limit },
          )
        ).map(presentSummary),
    );
    app.get(
      '/api/list-cases/:id',
      {
        config: { requires: { action: 'list.read', hide: true } },
        schema: {
          tags: ['lists'],
          summary: 'A designation case, its steps and documents',
          params: id,
          response: { 200: CaseViewSchema },
        },
      },
      async (request) => presentCase(await lists.read(request.actor, request.params.id)),
    );
    app.post(
      '/api/list-cases/:id/steps',
      {
        config: { requires: { action: 'list.decide' } },
        schema: {
          tags: ['lists'],
          summary:
            'The next step of due process: notify, object, answer, weigh, decide; announce and confirm (red lists); flag (watch list); remove; withdraw. A step out of order is refused with the rule',
          params: id,
          body: StepSchema,
          response: { 200: CaseViewSchema },
        },
      },
      async (request) => presentCase(await lists.step(request.actor, request.params.id, request.body)),
    );
    app.get(
      '/api/list-cases/:id/documents/:step',
      {
        config: { requires: { action: 'list.read', hide: true } },
        schema: {
          tags: ['lists'],
          summary: 'A document of the case (notice, answer, decision, removal) as HTML',
          params: z.object({
            id: z.coerce.number().int().positive(),
            step: z.coerce.number().int().positive(),
          }),
          response: {
            200: { description: 'The document as HTML', content: { 'text/html': { schema: z.string() } } },
          },
        },
      },
      async (request, reply) =>
        reply
          .type('text/html; charset=utf-8')
          .send(await lists.document(request.actor, request.params.id, request.params.step)),
    );
  };
}
