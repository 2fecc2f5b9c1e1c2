import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FederationService } from './federation.service.ts';

const OriginView = z.object({
  origin: z.string().describe('the province, by its division code'),
  subscription: z.string(),
  enabled: z.boolean(),
  connected: z.boolean().describe('whether the subscription’s worker is connected to the province'),
  lastReceivedAt: z.string().nullable(),
  received: z.number().describe('changes received from the province'),
  applied: z.number(),
  waiting: z.number(),
  failed: z.number().describe('changes kept unapplied with their reason'),
});

const StatusView = z.object({
  role: z.enum(['single', 'provincial', 'national']),
  node: z.string(),
  published: z
    .object({
      publication: z.boolean(),
      journalled: z.number().describe('record changes journalled in this province'),
      shareable: z.number().describe('of those, the ones the publication sends to the nation'),
      slots: z.array(z.object({ name: z.string(), active: z.boolean(), lagBytes: z.number().nullable() })),
    })
    .optional(),
  origins: z.array(OriginView).optional(),
});

export function federationRoutes(federation: FederationService): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      '/api/federation/status',
      {
        config: { requires: { action: 'federation.read' } },
        schema: {
          tags: ['federation'],
          summary:
            'This node’s place in the federation: a province’s journal and publication, or the nation’s subscriptions and what each delivered',
          response: { 200: StatusView },
        },
      },
      (request) => federation.status(request.actor),
    );
    return Promise.resolve();
  };
}
