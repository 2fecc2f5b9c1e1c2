import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CommitmentService } from './commitments.service.ts';
import { COMMITMENT_KINDS } from './commitments.types.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

const CommitmentView = z.object({
  id: z.number().int(),
  kind: z.enum(COMMITMENT_KINDS),
  subject: z.object({ id: z.number().int(), name: z.string() }),
  department: z.string(),
  matter: z.string(),
  text: z.string().describe('the standard text as signed'),
  signedBy: z.string(),
  signedOn: z.string(),
  fulfilBy: z.string(),
  overdue: z.boolean(),
  status: z.enum(['signed', 'fulfilled', 'breached']),
  outcomeNote: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.date().nullable(),
  recordId: z.number().int().nullable().describe('the credit_commitment record the signature made'),
  breachRecordId: z.number().int().nullable().describe('the breached_commitment record of a breach'),
});

export function commitmentRoutes(commitments: CommitmentService): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async
  return async (app) => {
    app.post(
      '/api/commitments',
      {
        config: { requires: { action: 'commitment.sign' } },
        schema: {
          tags: ['commitments'],
          summary:
            'Sign a credit commitment (a subject’s account): the standard text of its kind for a matter of a department, to be fulfilled by a day; it becomes a credit_commitment record, disclosed as the catalog says',
          body: z.object({
            kind: z.enum(COMMITMENT_KINDS),
            department: z.string().min(1).max(40),
            matter: z.string().min(1).max(500),
            fulfilBy: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
          }),
          response: { 201: CommitmentView },
        },
      },
      async (request, reply) => reply.code(201).send(await commitments.sign(request.actor, request.body)),
    );
    app.get(
      '/api/commitments',
      {
        config: { requires: { action: 'commitment.read' } },
        schema: {
          tags: ['commitments'],
          summary: 'Commitments: a subject its own, a reviewer its department’s (the ones to check first)',
          response: { 200: z.array(CommitmentView) },
        },
      },
      async (request) => commitments.list(request.actor),
    );
    app.get(
      '/api/commitments/standard',
      {
        config: { requires: { action: 'commitment.sign' } },
        schema: {
          tags: ['commitments'],
          summary:
            'What a subject’s account signs: the standard text of each kind (with {matter} and {fulfilBy} filled in on signing), the departments a commitment may be made to, and the days it may be fulfilled by',
          response: {
            200: z.object({
              kinds: z.array(
                z.object({
                  kind: z.enum(COMMITMENT_KINDS),
                  type: z.string().describe('the catalog’s commitment type (承诺类型)'),
                  text: z.string().describe('the standard text, {matter} and {fulfilBy} to be filled in'),
                }),
              ),
              departments: z.array(z.object({ code: z.string(), name: z.string() })),
              fulfilBy: z.object({ earliest: z.string(), latest: z.string() }),
            }),
          },
        },
      },
      async (request) => commitments.standard(request.actor),
    );
    app.get(
      '/api/commitments/:id',
      {
        config: { requires: { action: 'commitment.read', hide: true } },
        schema: {
          tags: ['commitments'],
          summary: 'A commitment',
          params: idParams,
          response: { 200: CommitmentView },
        },
      },
      async (request) => commitments.read(request.actor, request.params.id),
    );
    app.post(
      '/api/commitments/:id/outcome',
      {
        config: { requires: { action: 'commitment.decide' } },
        schema: {
          tags: ['commitments'],
          summary:
            'Record that a commitment was fulfilled, or breached (a finding with its document number, which becomes a breached_commitment record) — the reviewer of the department it was made to',
          params: idParams,
          body: z.discriminatedUnion('outcome', [
            z.object({ outcome: z.literal('fulfilled'), note: z.string().min(1).max(4000) }),
            z.object({
              outcome: z.literal('breached'),
              note: z.string().min(1).max(4000),
              documentNumber: z.string().min(1).max(100),
            }),
          ]),
          response: { 200: CommitmentView },
        },
      },
      async (request) => commitments.decide(request.actor, request.params.id, request.body),
    );
  };
}
