import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestLocale } from '../../platform/index.ts';
import { authorize, toAuditActor } from '../auth/index.ts';
import { presentEvaluation, presentLevel, presentModel } from './evaluation.presenter.ts';
import type { EvaluationService } from './evaluation.service.ts';

const Decimal = z.string().describe('points as an exact decimal text with two places');
const Treatment = z.enum(['count', 'exclude']);
const Treatments = z.object({ displayEnded: Treatment, repaired: Treatment, underObjection: Treatment });
const LevelView = z.object({ code: z.string(), name: z.string(), description: z.string().nullable() });

const EvaluationView = z.object({
  model: z.object({ code: z.string(), version: z.number().int(), name: z.string() }),
  asOf: z.string(),
  computedAt: z.date(),
  score: Decimal,
  level: LevelView,
  base: Decimal,
  indicators: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      kind: z.enum(['count', 'years_without', 'registration_age']),
      rule: z.string().nullable(),
      weight: Decimal,
      value: z.number().int().describe('records counted, or whole years'),
      points: z.number().int().describe('before the weight'),
      contribution: Decimal.describe('weight × points; the base and the contributions add up to the score'),
      since: z.object({ date: z.string(), from: z.enum(['record', 'registration']) }).nullable(),
      records: z.array(
        z.object({
          id: z.number().int(),
          item: z.string(),
          tier: z.string().nullable(),
          decisionDate: z.string().nullable(),
          displayEnds: z.string().nullable(),
          status: z.string(),
          use: z.enum(['counted', 'excluded', 'outside_window', 'dates']),
          because: z.enum(['repaired', 'under_objection', 'display_ended']).nullable(),
          note: z.string(),
        }),
      ),
    }),
  ),
  counted: z.array(z.number().int()).describe('every record a contribution rests on'),
});

const ModelView = z.object({
  code: z.string(),
  version: z.number().int(),
  name: z.string(),
  description: z.string(),
  legalBases: z.array(z.string()),
  subjectKinds: z.array(z.string()),
  base: Decimal,
  publicLevel: z.boolean(),
  treatment: Treatments,
  inForce: z.boolean(),
  loadedAt: z.date(),
  inForceSince: z.date().nullable(),
  digest: z.string(),
  indicators: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      description: z.string().nullable(),
      kind: z.string(),
      items: z.array(z.string()),
      weight: Decimal,
      treatment: Treatments,
      tiers: z.array(z.string()).nullable(),
      withinMonths: z.number().int().nullable(),
      pointsEach: z.number().int().nullable(),
      pointsPerYear: z.number().int().nullable(),
      cap: z.number().int(),
    }),
  ),
  levels: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      description: z.string().nullable(),
      min: Decimal.nullable(),
      below: Decimal.nullable(),
    }),
  ),
});

const RunView = z.object({
  id: z.number().int(),
  model: z.object({ code: z.string(), version: z.number().int() }),
  kind: z.enum(['full', 'daily', 'subjects']),
  asOf: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  total: z.number().int(),
  done: z.number().int(),
  levelsUp: z.number().int(),
  levelsDown: z.number().int(),
  unchanged: z.number().int(),
  firstResults: z.number().int(),
  transitions: z
    .record(z.string(), z.number())
    .describe('subjects by "from>to" level ("" before ">" for a first result)'),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  error: z.string().nullable(),
});

const codeParams = z.object({ code: z.string().min(1).max(64) });

export function evaluationRoutes(evaluation: EvaluationService): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async
  return async (app) => {
    app.get(
      '/api/evaluations/:code',
      {
        config: { requires: { action: 'evaluation.read' } },
        schema: {
          tags: ['evaluation'],
          summary:
            'A market entity’s public credit evaluation with its explanation (each indicator’s value, points, contribution and the records it rests on), for the subject and government users; natural persons are never evaluated',
          params: codeParams,
          response: { 200: EvaluationView },
        },
      },
      async (request) => {
        const result = await evaluation.forSubject(request.actor, request.params.code);
        const model = await evaluation.describe(result.model.code, result.model.version);
        return presentEvaluation(model.model, result, requestLocale(request));
      },
    );
    app.get(
      '/api/public/evaluations/:code',
      {
        config: { publicCache: true },
        schema: {
          tags: ['public'],
          summary:
            'A market entity’s evaluation level, where the model in force makes levels public (never the score or its explanation); no sign-in',
          params: codeParams,
          response: {
            200: z.object({
              model: z.object({ code: z.string(), version: z.number().int(), name: z.string() }),
              asOf: z.string(),
              level: LevelView,
            }),
          },
        },
      },
      async (request, reply) => {
        void reply.header('vary', 'Accept-Language');
        const locale = requestLocale(request);
        const { model, evaluation: e } = await evaluation.publicLevel(request.params.code);
        return {
          model: {
            code: model.code,
            version: model.version,
            name: locale === 'en' ? model.nameEn : model.nameZh,
          },
          asOf: e.asOf,
          level: presentLevel(model, e.level, locale),
        };
      },
    );
    app.get(
      '/api/public/evaluation/model',
      {
        config: { publicCache: true },
        schema: {
          tags: ['public'],
          summary:
            'The evaluation model in force, as the public may read it: indicators, the items they read, weights, points, how repaired, objected and ended records are treated, and the levels',
          querystring: z.object({
            code: z.string().max(40).optional(),
            version: z.coerce.number().int().min(1).max(9999).optional(),
          }),
          response: { 200: ModelView },
        },
      },
      async (request, reply) => {
        void reply.header('vary', 'Accept-Language');
        const found = await evaluation.describe(request.query.code, request.query.version);
        return presentModel(
          found.model,
          {
            inForce: found.inForce,
            loadedAt: found.row.loaded_at,
            currentSince: found.row.current_since,
            digest: found.row.digest,
          },
          requestLocale(request),
        );
      },
    );
    app.get(
      '/api/evaluation/models',
      {
        config: { requires: { action: 'evaluation.manage' } },
        schema: {
          tags: ['evaluation'],
          summary: 'Every model version loaded, the one in force marked',
          response: { 200: z.array(ModelView) },
        },
      },
      async (request) =>
        (await evaluation.models()).map((m) =>
          presentModel(
            m.model,
            { inForce: m.inForce, loadedAt: m.loaded_at, currentSince: m.current_since, digest: m.digest },
            requestLocale(request),
          ),
        ),
    );
    app.post(
      '/api/evaluation/models',
      {
        config: { requires: { action: 'evaluation.manage' } },
        schema: {
          tags: ['evaluation'],
          summary:
            'Load a model version (the file as JSON). Refused with every reason when an indicator names an unknown item, a weight does not parse, levels overlap or leave a gap, or natural persons are named. A new version is computed for every subject in the background and comes into force when done; the old results are kept',
          body: z.record(z.string(), z.unknown()),
          response: {
            201: z.object({
              id: z.number().int(),
              code: z.string(),
              version: z.number().int(),
              status: z.enum(['created', 'unchanged']),
              run: z.number().int().optional(),
            }),
          },
        },
      },
      async (request, reply) => {
        authorize(request.actor, 'evaluation.manage');
        return reply.code(201).send(await evaluation.load(request.body, toAuditActor(request.actor)));
      },
    );
    app.get(
      '/api/evaluation/runs',
      {
        config: { requires: { action: 'evaluation.manage' } },
        schema: {
          tags: ['evaluation'],
          summary: 'Recomputations, latest first: progress, and how many subjects moved up or down a level',
          response: { 200: z.array(RunView) },
        },
      },
      async () => evaluation.runs(),
    );
    app.get(
      '/api/evaluation/runs/:id',
      {
        config: { requires: { action: 'evaluation.manage' } },
        schema: {
          tags: ['evaluation'],
          summary: 'One recomputation: its progress and the level changes so far',
          params: z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) }),
          response: { 200: RunView },
        },
      },
      async (request) => evaluation.run(request.params.id),
    );
  };
}
