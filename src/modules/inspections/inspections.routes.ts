import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { registerRateLimit } from '../../platform/index.ts';
import type { InspectionService } from './inspections.service.ts';
import { MAX_POOL, PlanSchema } from './inspections.plan.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

const SeedView = z.object({
  id: z.number().int(),
  department: z.string(),
  purpose: z.string(),
  seed: z.string().describe('64 hex characters: 256 random bits, the HMAC key of the draw that uses it'),
  announcedAt: z.date(),
});

const Model = z
  .object({ code: z.string(), version: z.number().int() })
  .nullable()
  .describe('the evaluation model in force whose levels grouped the pool; null: none (all unrated)');

const DrawView = z.object({
  id: z.number().int(),
  department: z.string(),
  departmentName: z.string(),
  matter: z.string().describe('the inspection matter (检查事项)'),
  seedId: z.number().int(),
  seed: z.string(),
  announcedAt: z.date().describe('when the seed was announced: before the draw'),
  drawnAt: z.date(),
  model: Model,
  poolSize: z.number().int(),
  poolDigest: z.string().describe('SHA-256 of the pool’s normalised codes, sorted, joined by line feeds'),
  groups: z.array(
    z.object({
      level: z.string().describe('a level of the model, or "unrated"'),
      poolSize: z.number().int(),
      rate: z.number(),
      drawn: z.number().int().describe('ceil(rate × poolSize)'),
    }),
  ),
  sample: z
    .array(
      z.object({
        code: z.string(),
        name: z.string(),
        level: z.string().nullable(),
        inspectors: z.array(z.string()),
      }),
    )
    .describe(
      'sorted by code: in each group the subjects with the lowest HMAC-SHA256(seed bytes, "subject:" + code); per subject the inspectors with the lowest HMAC-SHA256(seed bytes, "inspector:" + code + ":" + inspector)',
    ),
});

const DrawRecordView = DrawView.extend({ drawnBy: z.string() });

/** `perMinute`: requests one client may make a minute to the public routes (0: no limit). */
export function inspectionRoutes(inspections: InspectionService, perMinute: number): FastifyPluginAsyncZod {
  return async (app) => {
    await registerRateLimit(app, { rule: 'public.rate_limit' });
    app.post(
      '/api/inspections/seeds',
      {
        config: { requires: { action: 'inspection.draw' } },
        schema: {
          tags: ['inspections'],
          summary:
            'Announce (publish) a random seed of the department, before the draw that will use it: one draw uses one seed',
          body: z.strictObject({ purpose: z.string().trim().min(1).max(500) }),
          response: { 201: SeedView },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await inspections.announce(request.actor, request.body.purpose)),
    );
    app.post(
      '/api/inspections/draws',
      {
        // A pool of 100,000 codes is some 2.5 MB of JSON.
        bodyLimit: 8 * 1024 * 1024,
        config: { requires: { action: 'inspection.draw' } },
        schema: {
          tags: ['inspections'],
          summary: `Draw the subjects to inspect and their inspectors (双随机), by credit level: per level ceil(rate × group size) of a pool of up to ${MAX_POOL} codes, from a seed announced before; stored, audited and published`,
          body: PlanSchema,
          response: { 201: DrawRecordView },
        },
      },
      async (request, reply) => reply.code(201).send(await inspections.draw(request.actor, request.body)),
    );
    app.get(
      '/api/inspections/draws/:id',
      {
        config: { requires: { action: 'inspection.read', hide: true } },
        schema: {
          tags: ['inspections'],
          summary: 'A draw, for its department and the auditor',
          params: idParams,
          response: { 200: DrawRecordView },
        },
      },
      async (request) => inspections.read(request.actor, request.params.id),
    );
    app.get(
      '/api/public/inspections/seeds',
      {
        config: perMinute > 0 ? { rateLimit: { max: perMinute, timeWindow: 60_000 } } : {},
        schema: {
          tags: ['public'],
          summary: 'The inspection seeds announced, latest first, and whether a draw has used each',
          response: {
            200: z.array(
              SeedView.extend({
                departmentName: z.string(),
                used: z.boolean(),
                draw: z.number().int().nullable(),
              }),
            ),
          },
        },
      },
      async () => inspections.publicSeeds(),
    );
    app.get(
      '/api/public/inspections/draws',
      {
        config: perMinute > 0 ? { rateLimit: { max: perMinute, timeWindow: 60_000 } } : {},
        schema: {
          tags: ['public'],
          summary: 'The latest 50 inspection draws (一公开)',
          response: {
            200: z.array(
              z.object({
                id: z.number().int(),
                department: z.string(),
                departmentName: z.string(),
                matter: z.string(),
                seed: z.string(),
                drawnAt: z.date(),
                model: Model,
                poolSize: z.number().int(),
                drawn: z.number().int(),
              }),
            ),
          },
        },
      },
      async () => inspections.publicDraws(),
    );
    app.get(
      '/api/public/inspections/draws/:id',
      {
        config: perMinute > 0 ? { rateLimit: { max: perMinute, timeWindow: 60_000 } } : {},
        schema: {
          tags: ['public'],
          summary:
            'A draw as published (一公开): matter, department, seed, time, groups, and the organisations drawn with their inspectors; a subject’s level only where the model lets the public see levels (else null)',
          params: idParams,
          response: { 200: DrawView },
        },
      },
      async (request) => inspections.publicDraw(request.params.id),
    );
  };
}
