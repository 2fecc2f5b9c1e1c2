/** Routes of accounts: a person's own password and second factor, and the administrator's list and changes. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AccountService } from './auth.accounts.ts';
import { IDENTITY_CHECK_METHODS, type PersonAccountService } from './auth.person-accounts.ts';
import { sessionFrom } from './auth.hooks.ts';
import { PasswordChangeSchema, TotpConfirmSchema, TotpDisableSchema } from './auth.schema.ts';
import { ROLES } from './auth.types.ts';

const UserView = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  department: z.string().nullable(),
  institution: z.string().nullable(),
  subject: z.string().nullable(),
  demo: z.boolean(),
  status: z.enum(['active', 'locked', 'disabled']),
  createdAt: z.date(),
  disabledAt: z.date().nullable(),
  lockedUntil: z.date().nullable(),
  passwordChangedAt: z.date(),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
});

const UserParams = z.object({ id: z.coerce.number().int().positive() });

export function accountRoutes(
  accounts: AccountService,
  persons: PersonAccountService,
): FastifyPluginAsyncZod {
  return (app) => {
    app.post(
      '/api/auth/password',
      {
        config: { requires: { action: 'account.own' } },
        schema: {
          tags: ['auth'],
          summary:
            "Change one's own password (at least 12 characters, not the username); one's other sessions end",
          body: PasswordChangeSchema,
          response: { 200: z.object({ passwordChangedAt: z.date(), sessionsEnded: z.number() }) },
        },
      },
      (request) => accounts.changePassword(request.actor, request.body, sessionFrom(request) || undefined),
    );
    app.post(
      '/api/auth/totp/setup',
      {
        config: { requires: { action: 'account.own' } },
        schema: {
          tags: ['auth'],
          summary:
            'Set up a second factor (TOTP): its secret and otpauth:// URI for an authenticator app, shown once; on once confirmed',
          response: { 200: z.object({ secret: z.string(), uri: z.string() }) },
        },
      },
      (request) => accounts.totpSetup(request.actor),
    );
    app.post(
      '/api/auth/totp/confirm',
      {
        config: { requires: { action: 'account.own' } },
        schema: {
          tags: ['auth'],
          summary: "Turn the second factor on with the app's current code; sign-in asks for one from then on",
          body: TotpConfirmSchema,
          response: { 200: z.object({ totpEnabled: z.literal(true), enabledAt: z.date() }) },
        },
      },
      (request) => accounts.totpConfirm(request.actor, request.body),
    );
    app.post(
      '/api/auth/totp/disable',
      {
        config: { requires: { action: 'account.own' } },
        schema: {
          tags: ['auth'],
          summary: 'Turn the second factor off, given the password and a current code',
          body: TotpDisableSchema,
          response: { 200: z.object({ totpEnabled: z.literal(false) }) },
        },
      },
      (request) => accounts.totpDisable(request.actor, request.body),
    );

    app.get(
      '/api/users',
      {
        config: { requires: { action: 'user.manage', hide: true } },
        schema: {
          tags: ['organisations'],
          summary: 'Accounts of people (platform administrator): never a password hash or a secret',
          response: { 200: z.array(UserView) },
        },
      },
      (request) => accounts.list(request.actor),
    );
    app.post(
      '/api/users/:id/reset-password',
      {
        config: { requires: { action: 'user.manage' } },
        schema: {
          tags: ['organisations'],
          summary:
            'Reset a password (platform administrator): a generated one, shown once, changed at the next sign-in; the sessions end',
          params: UserParams,
          response: {
            200: z.object({ user: UserView, password: z.string(), sessionsEnded: z.number() }),
          },
        },
      },
      (request) => accounts.resetPassword(request.actor, { id: request.params.id }),
    );
    app.post(
      '/api/users/:id/disable',
      {
        config: { requires: { action: 'user.manage' } },
        schema: {
          tags: ['organisations'],
          summary: 'Disable an account (platform administrator); its sessions end',
          params: UserParams,
          response: { 200: UserView },
        },
      },
      (request) => accounts.disable(request.actor, { id: request.params.id }),
    );
    app.post(
      '/api/users/:id/enable',
      {
        config: { requires: { action: 'user.manage' } },
        schema: {
          tags: ['organisations'],
          summary: 'Enable a disabled account, or lift the lock of failed sign-ins (platform administrator)',
          params: UserParams,
          response: { 200: UserView },
        },
      },
      (request) => accounts.enable(request.actor, { id: request.params.id }),
    );
    app.post(
      '/api/service-desk/person-accounts',
      {
        bodyLimit: 8 * 1024 * 1024,
        config: { requires: { action: 'person_account.open' } },
        schema: {
          tags: ['organisations'],
          summary:
            "Open a natural person's subject account at the window (service desk), after an identity check recorded with its evidence; the citizen ID is kept sealed, the password shown once",
          body: z.strictObject({
            username: z.string().min(3).max(64),
            displayName: z.string().min(1).max(100),
            citizenId: z.string().min(15).max(20),
            identityCheck: z.strictObject({
              method: z.enum(IDENTITY_CHECK_METHODS),
              note: z.string().max(1000).optional(),
              evidence: z
                .strictObject({ fileName: z.string().min(1).max(200), content: z.base64() })
                .optional()
                .describe('the identity document or the reader’s printout: PDF, JPEG, PNG or OFD, in base64'),
            }),
          }),
          response: {
            201: z.object({
              id: z.number(),
              username: z.string(),
              subject: z.string().describe('the citizen ID, masked'),
              identityCheck: z.object({
                id: z.number(),
                method: z.string(),
                evidence: z.string().nullable(),
              }),
              password: z.string().describe('shown once; changed at the first sign-in'),
            }),
          },
        },
      },
      async (request, reply) => {
        const { identityCheck, ...rest } = request.body;
        const { evidence, ...check } = identityCheck;
        const opened = await persons.open(
          request.actor,
          { ...rest, identityCheck: check },
          evidence === undefined
            ? undefined
            : { fileName: evidence.fileName, content: Buffer.from(evidence.content, 'base64') },
        );
        return reply.code(201).send(opened);
      },
    );
    return Promise.resolve();
  };
}
