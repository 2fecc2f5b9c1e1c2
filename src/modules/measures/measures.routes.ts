import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CivilDateSchema } from '../../platform/calendar/index.ts';
import { MATTERS } from '../disclosure/index.ts';
import type { MeasureService } from './measures.service.ts';
import { DIRECTIONS, OBLIGATIONS } from './measures.types.ts';
import { MeasureView, MemorandumCreatedView, MemorandumView } from './measures.view.ts';

const MemorandumSchema = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{2,64}$/),
  name: z.string().min(1).max(200),
  signedOn: CivilDateSchema,
  signatories: z.array(z.string().min(1)).min(1),
  basis: z.string().min(1),
  entries: z.array(
    z.object({
      listType: z.string().min(1),
      measure: z.string().min(1),
      obligation: z.enum(OBLIGATIONS).optional(),
      matters: z.array(z.enum(MATTERS)).optional(),
      implementers: z.array(z.string()).optional(),
    }),
  ),
});

export function measureRoutes(measures: MeasureService): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async
  return async (app) => {
    app.get(
      '/api/measures',
      {
        config: { publicCache: true },
        schema: {
          tags: ['measures'],
          summary:
            'The measure list: each incentive and punishment measure with its legal basis (seed file and line)',
          querystring: z.object({
            direction: z.enum(DIRECTIONS).optional(),
            matter: z.enum(MATTERS).optional(),
          }),
          response: { 200: z.array(MeasureView) },
        },
      },
      async (request) =>
        (await measures.measures()).filter(
          (m) =>
            (request.query.direction === undefined || m.direction === request.query.direction) &&
            (request.query.matter === undefined || m.matters.includes(request.query.matter)),
        ),
    );
    app.get(
      '/api/measures/:code',
      {
        config: { publicCache: true },
        schema: {
          tags: ['measures'],
          summary: 'One measure',
          params: z.object({ code: z.string() }),
          response: { 200: MeasureView },
        },
      },
      (request) => measures.measure(request.params.code),
    );
    app.get(
      '/api/memoranda',
      {
        config: { publicCache: true },
        schema: {
          tags: ['measures'],
          summary: 'Memoranda: which lists take which measures',
          response: { 200: z.array(MemorandumView) },
        },
      },
      () => measures.memoranda(),
    );
    app.post(
      '/api/memoranda',
      {
        config: { requires: { action: 'list_type.manage' } },
        schema: {
          tags: ['measures'],
          summary:
            'Sign in a memorandum (platform administrator); a measure outside the list, of the wrong direction, for a matter it does not cover, or made mandatory while reference-only is refused with the rule',
          body: MemorandumSchema,
          response: { 200: MemorandumCreatedView, 201: MemorandumCreatedView },
        },
      },
      async (request, reply) => {
        const created = await measures.createMemorandum(request.actor, request.body);
        return reply.code(created ? 201 : 200).send({ code: request.body.code, created });
      },
    );
  };
}
