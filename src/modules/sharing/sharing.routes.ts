/** Authorisations (the subject's) and verification (the institution's). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestLocale } from '../../platform/index.ts';
import { CATEGORIES } from '../catalog/index.ts';
import { CreditFileSchema, MATTERS, MAX_LOOKUP, type CreditFileService } from '../disclosure/index.ts';
import { QUESTION_YEARS, QUESTIONS, type AuthorisationService } from './sharing.authorisation.ts';
import type { ChangeFeedService } from './sharing.feed.ts';
import type { VerificationService } from './sharing.verify.ts';

const AuthorisationSchema = z.object({
  id: z.number(),
  institution: z.string(),
  categories: z.array(z.string()),
  purpose: z.string(),
  mode: z.enum(['records', 'verification']),
  validFrom: z.string(),
  validUntil: z.string(),
  grantedAt: z.string(),
  revokedAt: z.string().nullable(),
  uses: z.number().optional(),
});

function present(a: {
  id: number;
  institution_code: string;
  categories: string[];
  purpose: string;
  mode: 'records' | 'verification';
  valid_from: string;
  valid_until: string;
  granted_at: Date;
  revoked_at: Date | null;
  uses?: number;
}) {
  return {
    id: a.id,
    institution: a.institution_code,
    categories: a.categories,
    purpose: a.purpose,
    mode: a.mode,
    validFrom: a.valid_from,
    validUntil: a.valid_until,
    grantedAt: a.granted_at.toISOString(),
    revokedAt: a.revoked_at?.toISOString() ?? null,
    ...(a.uses === undefined ? {} : { uses: a.uses }),
  };
}

export function sharingRoutes(services: {
  files: CreditFileService;
  feed: ChangeFeedService;
  authorisations: AuthorisationService;
  verification: VerificationService;
}): FastifyPluginAsyncZod {
  const { files, feed, authorisations, verification } = services;
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async
  return async (app) => {
    app.post(
      '/api/sharing/lookup',
      {
        config: { requires: { action: 'sharing.query' } },
        schema: {
          tags: ['sharing'],
          summary:
            'A department looks up to 1,000 codes at once (批量比对) for a declared purpose: the shareable file of each, or why there is none; one audit event',
          body: z.strictObject({
            codes: z.array(z.string().max(64)).max(MAX_LOOKUP),
            purpose: z.string().max(600),
            matter: z.enum(MATTERS).optional(),
          }),
          response: {
            200: z.object({
              results: z.array(
                z.object({
                  code: z.string(),
                  status: z.enum(['found', 'not_found', 'invalid']),
                  message: z.string().optional(),
                  file: CreditFileSchema.optional(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const { codes, ...purpose } = request.body;
        return {
          results: await files.lookup(request.actor, codes, { ...purpose, locale: requestLocale(request) }),
        };
      },
    );

    app.post(
      '/api/sharing/watches',
      {
        config: { requires: { action: 'sharing.query' } },
        schema: {
          tags: ['sharing'],
          summary: 'A department watches subjects: their changes appear in its change feed',
          body: z.strictObject({ codes: z.array(z.string().max(64)).max(1000) }),
          response: { 200: z.object({ watching: z.number(), unknown: z.array(z.string()) }) },
        },
      },
      (request) => feed.watch(request.actor, request.body.codes),
    );

    app.get(
      '/api/sharing/changes',
      {
        config: { requires: { action: 'sharing.query' } },
        schema: {
          tags: ['sharing'],
          summary:
            'What changed for the watched subjects since the cursor: new records and versions, status and repair changes, and display periods ending on the day they end',
          querystring: z.strictObject({ since: z.string().max(200).optional() }),
          response: {
            200: z.object({
              changes: z.array(
                z.object({
                  subjectId: z.number(),
                  recordId: z.number(),
                  item: z.string(),
                  change: z.string(),
                  at: z.string(),
                }),
              ),
              next: z.string(),
            }),
          },
        },
      },
      (request) => feed.changes(request.actor, request.query.since),
    );

    app.post(
      '/api/me/authorisations',
      {
        config: { requires: { action: 'authorisation.grant' } },
        schema: {
          tags: ['authorisations'],
          summary:
            'A subject authorises an institution to see named catalog categories for a stated purpose until a date at most a year away (国办发〔2021〕52号)',
          body: z.strictObject({
            institution: z.string().min(1).max(40),
            categories: z.array(z.string().max(40)).max(CATEGORIES.length),
            purpose: z.string().max(500),
            validUntil: z.string().max(10).describe('the last day, YYYY-MM-DD, at most a year from today'),
            mode: z.enum(['records', 'verification']).default('records'),
          }),
          response: { 201: AuthorisationSchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(present(await authorisations.grant(request.actor, request.body))),
    );

    app.get(
      '/api/me/authorisations',
      {
        config: { requires: { action: 'authorisation.grant' } },
        schema: {
          tags: ['authorisations'],
          summary: "The subject's authorisations, each with how often it was used",
          response: { 200: z.array(AuthorisationSchema) },
        },
      },
      async (request) => (await authorisations.list(request.actor)).map(present),
    );

    app.post(
      '/api/me/authorisations/:id/revoke',
      {
        config: { requires: { action: 'authorisation.grant' } },
        schema: {
          tags: ['authorisations'],
          summary: 'Revoke an authorisation at once',
          params: z.object({ id: z.coerce.number().int().positive() }),
          response: { 200: AuthorisationSchema },
        },
      },
      async (request) => present(await authorisations.revoke(request.actor, request.params.id)),
    );

    app.post(
      '/api/verifications',
      {
        config: { requires: { action: 'institution.query' } },
        schema: {
          tags: ['authorisations'],
          summary:
            'An authorised institution asks one yes/no question about a subject; each answer is a use, reported to the subject and limited per day',
          body: z.strictObject({
            code: z.string().min(1).max(64),
            question: z.enum(Object.keys(QUESTIONS) as [keyof typeof QUESTIONS]),
            years: z
              .number()
              .int()
              .refine((y) => (QUESTION_YEARS as readonly number[]).includes(y), {
                message: `one of ${QUESTION_YEARS.join(', ')}`,
              })
              .optional(),
          }),
          response: {
            200: z.object({
              question: z.string(),
              text: z.string(),
              years: z.number().nullable(),
              answer: z.boolean(),
              asOf: z.string(),
              authorisation: z.number(),
              remainingToday: z.number(),
            }),
          },
        },
      },
      (request) => verification.verify(request.actor, { ...request.body, locale: requestLocale(request) }),
    );
  };
}
