import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { KeyService } from './keys.service.ts';
import { ALGORITHMS } from './keys.types.ts';

export const PublishedKeySchema = z.object({
  keyId: z.string().describe('the first 16 hex digits of the SHA-256 of the public key'),
  algorithm: z.enum(ALGORITHMS),
  publicKey: z
    .string()
    .describe('Ed25519: SubjectPublicKeyInfo PEM; SM2: the uncompressed point 04‖x‖y in hex'),
  userId: z.string().optional().describe('SM2: the user ID the signatures are computed with'),
  validFrom: z.string(),
  validUntil: z.string().nullable().describe('null while the key still signs'),
  status: z.enum(['active', 'retired', 'revoked']),
  revokedAt: z.string().nullable(),
  revokedReason: z.string().nullable(),
});

const keyParams = z.object({ keyId: z.string().regex(/^[0-9a-f]{16}$/) });

export function keyRoutes(keys: KeyService): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      '/api/public/keys',
      {
        schema: {
          tags: ['public'],
          summary:
            "The platform's public keys with their validity: what verifies its reports and audit checkpoints offline, old ones included",
          response: { 200: z.object({ keys: z.array(PublishedKeySchema) }) },
        },
      },
      async () => ({ keys: await keys.list() }),
    );
    app.post(
      '/api/keys/rotation',
      {
        config: { requires: { action: 'keys.manage' } },
        schema: {
          tags: ['keys'],
          summary: 'Rotate the signing key: a new key signs from now, the previous one stays published',
          response: { 201: z.object({ key: PublishedKeySchema, replaced: z.array(z.string()) }) },
        },
      },
      async (request, reply) => reply.code(201).send(await keys.rotate(request.actor)),
    );
    app.post(
      '/api/keys/:keyId/retirement',
      {
        config: { requires: { action: 'keys.manage' } },
        schema: {
          tags: ['keys'],
          summary: 'Retire a key: it signs no more; what it signed while valid still verifies',
          params: keyParams,
          response: { 200: PublishedKeySchema },
        },
      },
      async (request) => keys.retire(request.actor, request.params.keyId),
    );
    app.post(
      '/api/keys/:keyId/revocation',
      {
        config: { requires: { action: 'keys.manage' } },
        schema: {
          tags: ['keys'],
          summary: 'Revoke a compromised key: nothing it signed is trusted any more',
          params: keyParams,
          body: z.object({ reason: z.string().min(1).max(500) }),
          response: { 200: PublishedKeySchema },
        },
      },
      async (request) => keys.revoke(request.actor, request.params.keyId, request.body.reason),
    );
    return Promise.resolve();
  };
}
